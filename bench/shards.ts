/**
 * Start-up time and memory per shard process at N servers (default 5,000), against the loopback
 * Discord in its own process. Each layout runs real `npm start` / `npm run shards` processes:
 *   1 process      SHARD_COUNT=4, every shard in one process
 *   4 processes    SHARD_COUNT=4, SHARD_IDS=0..3, started at the same moment (as on 4 machines)
 *   npm run shards SHARD_COUNT=4, discord.js's ShardingManager forking one child per shard (one at a time)
 * Start-up: process spawned → its "tamasha is online" line (every guild of its shards received).
 * RSS: resident memory read from /proc right after that line, and its peak (VmHWM) until then.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BotProcess, exitWithin, startBotProcess } from '../test/e2e/child.js';
import { APP_ID, TOKEN } from '../test/e2e/harness.js';
import { startRemoteLoopback } from '../test/loopback/remote.js';

export interface ProcessFigures {
  startMs: number;
  rssMb: number;
  peakMb: number;
  guilds: number;
}
export interface LayoutResult {
  layout: string;
  /** First spawn → the last process online. */
  allOnlineMs: number;
  processes: ProcessFigures[];
}

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
};
const onlineGuilds = (output: string) => [...output.matchAll(/"guilds":(\d+)[^\n]*tamasha is online/g)].map((m) => Number(m[1]));

export async function benchShards({ servers = 5_000, shardCount = 4 } = {}): Promise<LayoutResult[]> {
  const loop = await startRemoteLoopback({ token: TOKEN, applicationId: APP_ID, guilds: Array.from({ length: servers }, () => ({})), recommendedShards: Math.ceil(servers / 2_500) });
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-bench-shards-'));
  const results: LayoutResult[] = [];
  let run = 0;
  const env = (extra: Record<string, string>) => ({ DATABASE_URL: `sqlite://${join(dir, `bench-${run}.sqlite`)}`, LOG_LEVEL: 'info', SHARD_COUNT: String(shardCount), ...extra });
  const stopAll = async (procs: BotProcess[]) => {
    for (const p of procs) p.child.kill('SIGTERM');
    for (const p of procs) await exitWithin(p, 20_000);
  };
  try {
    for (const layout of ['1 process', `${shardCount} processes`]) {
      run++;
      const ids = layout === '1 process' ? [undefined] : Array.from({ length: shardCount }, (_, i) => String(i));
      const t0 = performance.now();
      const procs = ids.map((id) => ({ started: performance.now(), proc: startBotProcess(loop.apiUrl, dir, env(id === undefined ? {} : { SHARD_IDS: id })) }));
      const figures = await Promise.all(
        procs.map(async ({ started, proc }) => {
          await proc.until('tamasha is online', 120_000);
          const startMs = performance.now() - started;
          return { startMs, ...memory(proc.child.pid!), guilds: onlineGuilds(proc.output())[0] ?? NaN };
        }),
      );
      results.push({ layout, allOnlineMs: performance.now() - t0, processes: figures });
      await stopAll(procs.map((p) => p.proc));
    }

    run++;
    const t0 = performance.now();
    const manager = startBotProcess(loop.apiUrl, dir, env({}), [], 'src/shards.ts');
    await manager.until('every shard process is ready', 180_000);
    const allOnlineMs = performance.now() - t0;
    // Let the last child finish loading its guilds before reading every child's memory.
    await new Promise((r) => setTimeout(r, 2_000));
    const out = manager.output();
    const spawned = [...out.matchAll(/"time":(\d+)[^\n]*?"shard":(\d+),"pid":(\d+)[^\n]*"shard process started"/g)].map((m) => ({ at: Number(m[1]), pid: Number(m[3]) }));
    const onlineAt = [...out.matchAll(/"time":(\d+)[^\n]*tamasha is online/g)].map((m) => Number(m[1]));
    const guilds = onlineGuilds(out);
    const processes = spawned.map(({ at, pid }, i) => ({ startMs: (onlineAt[i] ?? NaN) - at, ...memory(pid), guilds: guilds[i] ?? NaN }));
    results.push({ layout: `npm run shards (${shardCount} children)`, allOnlineMs, processes });
    await stopAll([manager]);
  } finally {
    await loop.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function printShards(results: LayoutResult[], servers: number): void {
  const f = (n: number, d = 0) => n.toFixed(d).padStart(9);
  console.log(`Node ${process.version}; ${servers} servers; each process: spawned → "tamasha is online"; RSS right then, and peak RSS\n`);
  console.log('layout                        | all online ms | per process: start ms   RSS MB  peak MB   guilds');
  for (const r of results) {
    r.processes.forEach((p, i) => console.log(`${(i === 0 ? r.layout : '').padEnd(30)}|${(i === 0 ? f(r.allOnlineMs) : '').padStart(14)} |${''.padStart(12)}${f(p.startMs)}${f(p.rssMb)}${f(p.peakMb)}${f(p.guilds)}`));
  }
  console.log('\n(npm run shards starts its children one after another, each once the previous is on the gateway, and starts each');
  console.log(' as the normal entry under tsx; its start ms are child forked → online, from the log timestamps.)\n');
}
