/**
 * How fast `npm start` could start: the same bot run three ways against the loopback Discord (in this
 * process, which does nothing else meanwhile), each timed from the process spawned to its "tamasha is
 * online" line (logged in, every server received), then stopped with SIGTERM:
 *   tsx             node_modules/.bin/tsx src/index.ts: what `npm start` runs today (tsx's CLI starts a second node with its loader)
 *   node --import   node --import tsx src/index.ts: tsx's loader in the one process, compiling on the fly
 *   compiled        node dist/src/index.js after `npm run build` (tsconfig.build.json)
 * Runs alternate between the ways (after one discarded round), and the median is kept.
 *   npx tsx bench/startup.ts [--runs 7] [--no-build]
 * `npm run build` runs first (timed) unless --no-build; the compiled build writes dist/ (git-ignored).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ID, TOKEN } from '../test/e2e/harness.js';
import { startLoopbackDiscord } from '../test/loopback/index.js';
import { arg, isMainModule } from './cli.js';

const WAYS = {
  tsx: [resolve('node_modules/.bin/tsx'), 'src/index.ts'],
  'node --import tsx': [process.execPath, '--import', 'tsx', 'src/index.ts'],
  compiled: [process.execPath, 'dist/src/index.js'],
} as const satisfies Record<string, readonly string[]>;
type Way = keyof typeof WAYS;

export interface StartupResult {
  /** `npm run build`'s wall time, or null when skipped. */
  buildSeconds: number | null;
  runs: number;
  /** Per way: every measured start (ms), and their median. */
  ways: Array<{ way: Way; startsMs: number[]; medianMs: number }>;
  /** 1-minute load average before and after. */
  load: [number, number];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Spawns one way, resolves with spawn → "tamasha is online" in ms, after it has exited on SIGTERM. */
async function startOnce(way: Way, env: Record<string, string>): Promise<number> {
  const [command, ...args] = WAYS[way];
  const t0 = performance.now();
  const child = spawn(command, args, { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const online = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${way}: not online within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (output.includes('tamasha is online')) {
        clearTimeout(timer);
        ok(performance.now() - t0);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    void exited.then((code) => fail(new Error(`${way}: exited (${code}) before online:\n${output.slice(-2000)}`)));
  });
  // tsx's CLI relays the signal to its child and exits with it.
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`${way}: exited ${code} on SIGTERM:\n${output.slice(-2000)}`);
  return online;
}

export async function benchStartup({ runs = 7, build = true } = {}): Promise<StartupResult> {
  const load0 = loadavg()[0]!;
  let buildSeconds: number | null = null;
  if (build) {
    const t = performance.now();
    const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
    buildSeconds = (performance.now() - t) / 1000;
  }
  if (!existsSync('dist/src/index.js')) throw new Error('no dist/src/index.js: run npm run build (or drop --no-build)');
  const loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-bench-startup-'));
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: loop.apiUrl, DATABASE_URL: `sqlite://${join(dir, 'startup.sqlite')}`, LOG_LEVEL: 'info',
  };
  const ways = Object.keys(WAYS) as Way[];
  const starts = new Map<Way, number[]>(ways.map((w) => [w, []]));
  try {
    for (let round = 0; round <= runs; round++) {
      for (const way of round % 2 ? [...ways].reverse() : ways) {
        const ms = await startOnce(way, env);
        if (round > 0) starts.get(way)!.push(ms); // round 0 warms the disk cache
      }
    }
  } finally {
    await loop.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { buildSeconds, runs, ways: ways.map((way) => ({ way, startsMs: starts.get(way)!, medianMs: median(starts.get(way)!) })), load: [load0, loadavg()[0]!] };
}

export function printStartup(r: StartupResult): void {
  console.log(`Node ${process.version}; spawned → "tamasha is online" against the loopback Discord (1 server, SQLite), ${r.runs} runs each after a discarded round; load 1m ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)}`);
  if (r.buildSeconds !== null) console.log(`npm run build: ${r.buildSeconds.toFixed(1)} s`);
  console.log('\nway                 median ms   every run (ms)');
  for (const w of r.ways) console.log(`${w.way.padEnd(18)}${w.medianMs.toFixed(0).padStart(11)}   ${w.startsMs.map((ms) => ms.toFixed(0)).join(' ')}`);
  const tsx = r.ways.find((w) => w.way === 'tsx')!.medianMs;
  const compiled = r.ways.find((w) => w.way === 'compiled')!.medianMs;
  console.log(`\ncompiled vs tsx: ${(compiled / tsx).toFixed(2)}× the time (${(tsx - compiled).toFixed(0)} ms ${compiled < tsx ? 'saved' : 'lost'}); npm's own start (npm start → the command) comes on top of either\n`);
}

if (isMainModule(import.meta.url)) {
  const runs = Number(arg('runs') ?? 7);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${arg('runs')}`);
  printStartup(await benchStartup({ runs, build: !process.argv.includes('--no-build') }));
}
