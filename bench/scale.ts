/**
 * Daily-digest fan-out from real shard processes on PostgreSQL, all their REST through one REST proxy:
 *   npx tsx bench/scale.ts --database-url postgres://… [--servers 2000] [--processes 1,4] [--lead 75]
 *
 * The loopback Discord (in this process, which does nothing else) enforces Discord's global limit of
 * 50 bot-token requests a second. `npm run rest-proxy` runs as a process of its own in front of it, and
 * every shard process (`npm start` with SHARD_COUNT=4 and its SHARD_IDS, DISCORD_API_URL=the proxy,
 * DISCORD_API_PROXY=true, digests paced by default at 45 × its shards ÷ SHARD_COUNT) sends its REST through it. The
 * processes share one PostgreSQL schema of the bench's own (dropped afterwards), where every server's
 * digest is due at the same minute; their clocks run ahead (test/fixtures/clock-offset.ts) so that
 * minute falls `--lead` seconds after they are spawned. Meanwhile a member runs `/story summary` every
 * 250 ms, in each server in turn (so in every process), timed from INTERACTION_CREATE to the reply.
 * It asserts nothing; read the figures against the targets printed with them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Config, DIGEST_BUDGET_PER_SECOND } from '../src/config.js';
import { registerCommands } from '../src/deploy.js';
import { PROXY_GLOBAL_PER_SECOND } from '../src/rest-proxy.js';
import { loadStoryPack } from '../src/story/load.js';
import { type BotProcess, exitWithin, startBotProcess } from '../test/e2e/child.js';
import { APP_ID, TOKEN } from '../test/e2e/harness.js';
import { type Loopback, startLoopbackDiscord } from '../test/loopback/index.js';
import { timeCommand } from '../test/loopback/remote.js';
import { isDigestPost, latency, startProxyProcess, writeSettings, type Latency } from './fanout.js';
import { dropSchema, withSchema } from './votes.js';
import { arg, isMainModule } from './cli.js';

export interface ScaleOptions {
  servers: number;
  /** Shard processes splitting SHARD_COUNT=4 shards between them (1: all four in one process; at most 4). */
  processes: number;
  /** A postgres:// URL; the bench works in a schema of its own, dropped afterwards. */
  databaseUrl: string;
  /** Processes spawned → the digest minute, in seconds: they must all be online before it. */
  leadSeconds?: number;
  commandEveryMs?: number;
}

export interface ScaleResult {
  servers: number;
  processes: number;
  digestSendsPerSecond: number;
  /** First process spawned → the last one's "tamasha is online". */
  onlineSeconds: number;
  /** Digest minute → the N-th digest accepted by the loopback. */
  totalSeconds: number;
  floorSeconds: number;
  ratio: number;
  firstDigestSeconds: number;
  digests: number;
  guildsWithOneDigest: number;
  /** Global 429s the loopback answered during the fan-out, and over the whole run (start-up included). */
  rateLimitedFanout: number;
  rateLimitedAll: number;
  /** Each of those 429s: seconds after the digest minute (negative: during start-up), and the route. */
  rateLimitedAt: Array<{ seconds: number; route: string }>;
  failedRequests: number;
  violations: number;
  /** `/story summary` while idle (online → digest minute) and during the fan-out. */
  idle: { sent: number; answered: number; latencyMs: Latency };
  fanout: { sent: number; answered: number; latencyMs: Latency };
  /** Peak resident memory of each shard process (VmHWM), MB. */
  peakRssMb: number[];
  /** 1-minute load average when the fan-out started and when it ended. */
  load: [number, number];
}

const SHARD_COUNT = 4;
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
/** Process `i` of `processes` connects shards i, i + processes, … of the four. */
const shardIdsOf = (i: number, processes: number) => Array.from({ length: SHARD_COUNT }, (_, s) => s).filter((s) => s % processes === i).join(',');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchScale(opts: ScaleOptions): Promise<ScaleResult> {
  const n = opts.servers;
  const leadMs = (opts.leadSeconds ?? 75) * 1000;
  const commandEveryMs = opts.commandEveryMs ?? 250;
  const schema = `tamasha_bench_scale_${process.pid}_${Date.now().toString(36)}`;
  const url = withSchema(opts.databaseUrl, schema);
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-bench-scale-'));
  if (!(opts.processes >= 1 && opts.processes <= SHARD_COUNT)) throw new Error(`processes must be 1 to ${SHARD_COUNT}, got ${opts.processes}`);
  // What each process paces at by default behind the proxy (its shards' share of the budget): 45 ÷ processes here.
  const digestSendsPerSecond = (DIGEST_BUDGET_PER_SECOND * (SHARD_COUNT / opts.processes)) / SHARD_COUNT;
  let loop: Loopback | undefined;
  let proxy: Awaited<ReturnType<typeof startProxyProcess>> | undefined;
  const procs: BotProcess[] = [];
  let commandTimer: NodeJS.Timeout | undefined;
  try {
    loop = await startLoopbackDiscord({
      token: TOKEN, applicationId: APP_ID, timeoutMs: 120_000,
      guilds: Array.from({ length: n }, (_, i) => ({ name: `Guild ${i + 1}`, channels: [{ name: 'news' }] })),
      globalRateLimit: { perSecond: 50 },
    });
    const l = loop;
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: url, logLevel: 'silent', apiUrl: l.apiUrl, storyDir: 'data' };
    await registerCommands(config, loadStoryPack('data'));
    proxy = await startProxyProcess(l.apiUrl);

    // The processes' clocks run `offset` ahead, so their digest minute comes `leadMs` after the spawn.
    const spawnAt = Date.now();
    const digestAt = Math.ceil((spawnAt + leadMs) / 60_000) * 60_000;
    const offset = digestAt - spawnAt - leadMs;
    const dueAt = spawnAt + leadMs; // the digest minute, in this process's (real) time
    await writeSettings(url, l.guilds, new Date(digestAt).toISOString().slice(11, 16), spawnAt + offset);
    if (Date.now() > spawnAt + 5_000) throw new Error('writing the digest settings took over 5 s: raise --lead');

    const t0 = performance.now();
    for (let i = 0; i < opts.processes; i++) {
      procs.push(
        startBotProcess(proxy.apiUrl, dir, {
          DATABASE_URL: url, LOG_LEVEL: 'info', SHARD_COUNT: String(SHARD_COUNT), SHARD_IDS: shardIdsOf(i, opts.processes),
          DISCORD_API_PROXY: 'true', TAMASHA_TEST_CLOCK_OFFSET_MS: String(offset),
        }, ['test/fixtures/clock-offset.ts']),
      );
    }
    await Promise.all(procs.map((p) => p.until('tamasha is online', leadMs)));
    const onlineSeconds = (performance.now() - t0) / 1000;
    const seen = procs.reduce((sum, p) => sum + Number(/"guilds":(\d+)[^\n]*tamasha is online/.exec(p.output())?.[1] ?? 0), 0);
    if (seen !== n) throw new Error(`the processes see ${seen} servers, expected ${n}`);
    if (Date.now() > dueAt - 1_000) throw new Error(`the processes were online ${((Date.now() - dueAt) / 1000).toFixed(1)} s after the digest minute: raise --lead`);

    // A member keeps reading the summary, in each server in turn, from now until the last digest.
    const reader = l.member({ username: 'reader' });
    const commands: Array<{ at: number; ok: boolean; ms: number }> = [];
    const pending = new Set<Promise<void>>();
    let k = 0;
    commandTimer = setInterval(() => {
      const at = Date.now();
      const guildId = l.guilds[k++ % n]!.id;
      const reply = timeCommand(l, { name: 'story', subcommand: 'summary', guildId, member: reader }, { timeoutMs: 30_000 }).then((r) => void commands.push({ at, ok: r.ok, ms: r.latencyMs }));
      pending.add(reply);
      void reply.finally(() => pending.delete(reply));
    }, commandEveryMs);

    const rateLimitedBefore = l.rateLimited.length;
    await sleep(dueAt - Date.now());
    const from = l.requests.length;
    const loadAtStart = loadavg()[0]!;
    const deadline = dueAt + Math.max(120_000, (n / 50) * 3_000);
    let scanned = from;
    let matched = 0;
    let first: number | null = null;
    let last: number | null = null;
    while (matched < n) {
      if (Date.now() > deadline) throw new Error(`only ${matched} of ${n} digests arrived in ${((Date.now() - dueAt) / 1000).toFixed(0)} s`);
      await sleep(100);
      for (; scanned < l.requests.length; scanned++) {
        const r = l.requests[scanned]!;
        if (isDigestPost(r)) {
          matched++;
          first ??= r.at;
          last = r.at;
        }
      }
    }
    clearInterval(commandTimer);
    const endAt = last ?? Date.now();
    const loadAtEnd = loadavg()[0]!;
    await Promise.all(pending);
    await sleep(1_000); // a late extra digest would show here
    const since = l.requests.slice(from);
    const during = (c: { at: number }) => c.at >= dueAt && c.at <= endAt;
    const idleCommands = commands.filter((c) => c.at < dueAt);
    const fanoutCommands = commands.filter(during);
    const peaks = procs.map((p) => peakRssMb(p.child.pid!));
    const totalSeconds = (endAt - dueAt) / 1000;
    return {
      servers: n,
      processes: opts.processes,
      digestSendsPerSecond,
      onlineSeconds,
      totalSeconds,
      floorSeconds: n / 50,
      ratio: totalSeconds / (n / 50),
      firstDigestSeconds: ((first ?? dueAt) - dueAt) / 1000,
      digests: since.filter(isDigestPost).length,
      guildsWithOneDigest: l.guilds.filter((g) => l.messagesIn(g.channels[0]!.id).filter((m) => !m.interaction_metadata).length === 1).length,
      rateLimitedFanout: l.rateLimited.slice(rateLimitedBefore).filter((r) => r.at >= dueAt).length,
      rateLimitedAll: l.rateLimited.length,
      rateLimitedAt: l.rateLimited.map((r) => ({ seconds: (r.at - dueAt) / 1000, route: `${r.method} ${r.path}` })),
      failedRequests: since.filter((r) => r.status >= 300 && r.status !== 429).length,
      violations: l.violations.length,
      idle: { sent: idleCommands.length, answered: idleCommands.filter((c) => c.ok).length, latencyMs: latency(idleCommands.filter((c) => c.ok).map((c) => c.ms)) },
      fanout: { sent: fanoutCommands.length, answered: fanoutCommands.filter((c) => c.ok).length, latencyMs: latency(fanoutCommands.filter((c) => c.ok).map((c) => c.ms)) },
      peakRssMb: peaks,
      load: [loadAtStart, loadAtEnd],
    };
  } finally {
    clearInterval(commandTimer);
    for (const p of procs) p.child.kill('SIGTERM');
    for (const p of procs) await exitWithin(p, 20_000).catch(() => undefined);
    await proxy?.close();
    await loop?.close();
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(opts.databaseUrl, schema).catch(() => undefined);
  }
}

export function printScale(results: ScaleResult[]): void {
  const f = (value: number, digits = 1) => value.toFixed(digits);
  console.log(`Node ${process.version}; loopback Discord limited to 50 requests/s; REST proxy at ${PROXY_GLOBAL_PER_SECOND}/s (PROXY_GLOBAL_PER_SECOND); PostgreSQL; SHARD_COUNT=${SHARD_COUNT}\n`);
  const rows: string[][] = [
    ['servers', 'processes', 'digests/s each', 'online s', 'total s', 'floor s', 'ratio', '429s fan-out/all', 'first s', 'cmd idle p50/p99 ms', 'cmd fan-out p50/p99/max ms', 'cmds ok', 'digests (×1)', 'peak RSS MB', 'load 1m start/end'],
    ...results.map((r) => [
      String(r.servers), String(r.processes), f(r.digestSendsPerSecond, 2), f(r.onlineSeconds), f(r.totalSeconds), f(r.floorSeconds), f(r.ratio, 3), `${r.rateLimitedFanout}/${r.rateLimitedAll}`, f(r.firstDigestSeconds, 2),
      `${f(r.idle.latencyMs.p50)}/${f(r.idle.latencyMs.p99)}`, `${f(r.fanout.latencyMs.p50)}/${f(r.fanout.latencyMs.p99)}/${f(r.fanout.latencyMs.max)}`,
      `${r.fanout.answered}/${r.fanout.sent}`, `${r.digests} (${r.guildsWithOneDigest})`, r.peakRssMb.map((m) => f(m, 0)).join(' '), `${f(r.load[0], 2)}/${f(r.load[1], 2)}`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  for (const r of results) {
    const met = r.ratio <= 1.25 && r.rateLimitedAll === 0 && r.fanout.latencyMs.p99 < 500 && r.fanout.answered === r.fanout.sent && r.guildsWithOneDigest === r.servers && r.failedRequests === 0 && r.violations === 0;
    console.log(
      `\n${r.processes} process(es): ratio ${f(r.ratio, 3)} (target ≤ 1.25), ${r.rateLimitedAll} global 429s (target 0), command p99 ${f(r.fanout.latencyMs.p99)} ms during the fan-out (target < 500), ` +
        `${r.fanout.sent - r.fanout.answered} unanswered, ${r.failedRequests} failed requests, ${r.violations} violations → ${met ? 'targets met' : 'TARGETS MISSED'}`,
    );
    if (r.rateLimitedAt.length > 0) console.log(`429s: ${r.rateLimitedAt.map((x) => `${x.route} at ${f(x.seconds, 2)} s`).join(', ')}`);
  }
  console.log(
    [
      '\nWhat each column times:',
      '  online s     first shard process spawned → the last one\'s "tamasha is online" (every server of its shards received)',
      '  total s      the digest minute (on the processes\' clocks) → the N-th digest POST /channels/:id/messages accepted by the loopback',
      '  floor s      N ÷ 50 (Discord\'s global limit): the least time N bot-token requests can take; ratio = total ÷ floor',
      '  429s         requests the loopback answered 429 (global limit): during the fan-out / over the whole run, start-up included',
      '  first s      digest minute → the first digest accepted',
      '  cmd ms       `/story summary` every 250 ms, each in the next server: INTERACTION_CREATE sent by the loopback → the reply stored by it; idle: online → digest minute, fan-out: digest minute → last digest',
      '  digests (×1) digest posts accepted during the fan-out (servers whose channel holds exactly one digest)',
      '  peak RSS MB  each shard process\'s peak resident memory (VmHWM) at the end',
      '  load 1m      the machine\'s 1-minute load average at the digest minute and at the last digest (a shared 2-core box)\n',
    ].join('\n'),
  );
}

if (isMainModule(import.meta.url)) {
  const databaseUrl = arg('database-url') ?? (process.env.TEST_DATABASE_URL?.trim() || undefined);
  if (!databaseUrl) throw new Error('give --database-url postgres://… or set TEST_DATABASE_URL');
  const servers = Number(arg('servers') ?? 2_000);
  const counts = (arg('processes') ?? '1,4').split(',').map(Number);
  const leadSeconds = Number(arg('lead') ?? 75);
  const results: ScaleResult[] = [];
  for (const processes of counts) results.push(await benchScale({ servers, processes, databaseUrl, leadSeconds }));
  printScale(results);
}
