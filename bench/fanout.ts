/**
 * Daily-digest fan-out under Discord's global rate limit:
 *   npx tsx bench/fanout.ts [--guilds 2000] [--loopback inline|process] [--window fixed|sliding] [--processes 4] [--proxy] [--timeline]
 *
 * The real bot (startBot, SQLite store, fake clock) logs into a loopback Discord with N guilds, one text
 * channel each, that enforces 50 bot-token requests per second. Every guild's digest is due at the same
 * minute; the bench moves the clock there and times how long the loopback takes to receive all N
 * digests, against the floor N / 50 s. Meanwhile a member runs `/story summary` every 250 ms and the
 * time from the command to the stored reply is recorded: interaction callbacks are outside the global
 * limit, so the digest queue must not slow them down.
 *
 * `--loopback inline` (default) runs the loopback in this process, sharing the bot's event loop: when
 * the bot blocks, the loopback reads requests late and in batches. `--loopback process` runs it in a
 * child process (its own loop, its own clock for arrivals and command latency), closer to a real
 * Discord. It asserts nothing; read the figures against the targets printed with them.
 *
 * `--processes N` runs N bots (shards 0..N-1 of N) each with its own REST and 45/N digests a second, in
 * this process (one event loop; shard processes of their own are `npm run shards`'s job), on one SQLite
 * file. `--proxy` sends all their REST through the REST proxy (src/rest-proxy.ts) in a child process.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Bot, startBot } from '../src/bot.js';
import type { Config } from '../src/config.js';
import { registerCommands } from '../src/deploy.js';
import { StoreDigestRepository } from '../src/digests/repository.js';
import { createLogger } from '../src/logger.js';
import { openStore } from '../src/storage/store.js';
import { loadStoryPack } from '../src/story/load.js';
import { FakeClock } from '../test/helpers/fake-clock.js';
import { fakeToken } from '../test/helpers/token.js';
import { startLoopbackDiscord, type LoopbackOptions, type RecordedRequest } from '../test/loopback/index.js';
import { startRemoteLoopback, timeCommand, type RemoteCommandResult, type RemoteStats } from '../test/loopback/remote.js';
import { arg, isMainModule } from './cli.js';

export interface FanoutOptions {
  guilds: number;
  /** The loopback's global limit (Discord's default: 50). */
  perSecond?: number;
  /** How the loopback counts the global limit; see GlobalRateLimit in test/loopback/server.ts. */
  window?: 'fixed' | 'sliding';
  /** Where the loopback runs: in this process (default) or in a child process. */
  loopback?: 'inline' | 'process';
  /** Interval between `/story summary` commands during the fan-out. */
  commandEveryMs?: number;
  /** Interval between `/discuss` commands (reply, then a bot-token thread request) during the fan-out. */
  discussEveryMs?: number;
  /** Bots (shards 0..N-1 of N, in this process, each with its own REST) sharing the guilds and the store. */
  processes?: number;
  /** Send every bot's REST through the REST proxy (src/rest-proxy.ts), run as a child process. */
  proxy?: boolean;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface FanoutResult {
  guilds: number;
  processes: number;
  proxy: boolean;
  perSecond: number;
  window: 'fixed' | 'sliding';
  loopback: 'inline' | 'process';
  /** Loopback start, bulk settings write, bot login until READY + every GUILD_CREATE handled. */
  setupSeconds: { loopback: number; settings: number; login: number };
  /** Clock moved to the digest minute → the N-th digest arrived at the loopback. */
  totalSeconds: number;
  /** N / perSecond: the least time N requests can take under the global limit. */
  floorSeconds: number;
  /** totalSeconds / floorSeconds (target ≤ 1.25). */
  ratio: number;
  /** Clock moved → first digest arrived: what the tick costs before anything is sent. */
  firstDigestSeconds: number;
  digestsPosted: number;
  /** Guilds whose channel holds exactly one digest afterwards. */
  guildsWithOneDigest: number;
  /** Requests the loopback answered 429 (global limit) during the fan-out (target 0). */
  globalRateLimited: number;
  /** When those 429s came, in seconds after the clock moved. */
  rateLimitedAtSeconds: number[];
  /** Other non-2xx answers to the bot during the fan-out (should be 0). */
  failedRequests: number;
  /** Payloads the loopback refused as Discord would, e.g. 10062 for a reply after the 3 s window. */
  violations: number;
  /** `/story summary`: an interaction callback only, outside the global limit. */
  commands: { sent: number; answered: number; failed: number; latencyMs: Latency };
  /** `/discuss`: callback, then POST …/threads, a bot-token request that queues behind the digests. */
  discuss: { sent: number; threads: number; replyMs: Latency; threadMs: Latency };
  /** Worst lateness of a 20 ms timer in the bot's process during the fan-out. */
  maxLoopLagMs: number;
  /** Per 250 ms after the clock moved: digests accepted, 429s, worst loop lag, command latencies. */
  timeline: Array<{ at: number; digests: number; limited: number; lagMs: number; commandsMs: number[] }>;
}

const APP_ID = '1100000000000000001';
const TOKEN = fakeToken(APP_ID);
/** Every digest is due at 09:00 UTC on this day; the clock starts a minute before. */
const DUE = Date.parse('2026-06-10T09:00:00Z');
const START = DUE - 60_000;
const DIGEST_POST = /^POST \/channels\/\d+\/messages$/;

/** A digest the loopback accepted: a 2xx answer to POST /channels/:id/messages. */
export const isDigestPost = (r: Pick<RecordedRequest, 'status' | 'method' | 'path'>): boolean => r.status >= 200 && r.status < 300 && DIGEST_POST.test(`${r.method} ${r.path}`);

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/**
 * Writes every guild's digest settings, due at `time` (UTC), through the store itself as `/digest set`
 * would (setup, not measured). Rows written straight into SQLite in keyv's format no longer matched what
 * the store's conditional writes compare, so every digest's claim failed ("kept changing under this
 * write") and none was sent.
 */
export async function writeSettings(url: string, guilds: Discord['guilds'], time = '09:00', activeSince = START): Promise<void> {
  const store = openStore(url, createLogger('silent'));
  const repo = new StoreDigestRepository(store);
  await Promise.all(
    guilds.map((g) =>
      repo.save({
        guildId: g.id, channelId: g.channels[0]!.id, time, zone: 'UTC', thread: false, enabled: true, activeSince,
        daysSent: 0, lastSentDay: null, lastSentAt: null, sending: null, lastError: null, pollSnapshot: null, skipDay: null, notifyRoleId: null, lastWarning: null,
      }),
    ),
  );
  await store.close();
}

/** What the bench needs from a loopback, in this process or in a child. */
type Kind = 'summary' | 'discuss';
const COMMANDS = {
  summary: { name: 'story', subcommand: 'summary' },
  discuss: { name: 'discuss', options: { topic: 'take:engineer' } },
} as const;

interface Discord {
  apiUrl: string;
  guilds: ReadonlyArray<{ id: string; channels: ReadonlyArray<{ id: string }> }>;
  waitForReady(sessions: number, timeoutMs: number): Promise<void>;
  ask(guildId: string, kind: Kind, timeoutMs: number): Promise<RemoteCommandResult>;
  stats(from: number, withTimes?: boolean): Promise<RemoteStats>;
  close(): Promise<void>;
}

async function startDiscord(where: 'inline' | 'process', opts: Omit<LoopbackOptions, 'now'>): Promise<Discord> {
  if (where === 'process') {
    const remote = await startRemoteLoopback(opts);
    return {
      apiUrl: remote.apiUrl,
      guilds: remote.guilds,
      waitForReady: (sessions, timeoutMs) => remote.waitForReady(sessions, timeoutMs),
      ask: (guildId, kind, timeoutMs) => remote.sendCommand({ ...COMMANDS[kind], guildId, memberName: 'reader', waitForThread: kind === 'discuss' }, timeoutMs),
      stats: (from, withTimes) => remote.stats(from, DIGEST_POST, { channelIds: withTimes ? remote.guilds.map((g) => g.channels[0]!.id) : [], times: withTimes ?? false }),
      close: () => remote.close(),
    };
  }
  const loop = await startLoopbackDiscord(opts);
  const reader = loop.member({ username: 'reader' });
  // Incremental count, so polling stays cheap with 10,000 requests recorded.
  let scanned = 0;
  let matched = 0;
  let firstMatchedAt: number | null = null;
  let lastMatchedAt: number | null = null;
  return {
    apiUrl: loop.apiUrl,
    guilds: loop.guilds,
    waitForReady: (sessions, timeoutMs) => loop.waitForReady(sessions, timeoutMs),
    ask: (guildId, kind, timeoutMs) => timeCommand(loop, { ...COMMANDS[kind], guildId, member: reader }, { waitForThread: kind === 'discuss', timeoutMs }),
    async stats(from, withTimes) {
      if (scanned < from) [scanned, matched, firstMatchedAt, lastMatchedAt] = [from, 0, null, null];
      for (; scanned < loop.requests.length; scanned++) {
        const r = loop.requests[scanned]!;
        if (isDigestPost(r)) {
          matched++;
          firstMatchedAt ??= r.at;
          lastMatchedAt = r.at;
        }
      }
      const since = withTimes ? loop.requests.slice(from) : [];
      return {
        requests: loop.requests.length, matched, firstMatchedAt, lastMatchedAt,
        ...(withTimes ? { matchedAt: since.filter(isDigestPost).map((r) => r.at) } : {}),
        rateLimited: since.filter((r) => r.status === 429).map(({ at, method, path }) => ({ at, method, path })),
        failed: since.filter((r) => r.status >= 300 && r.status !== 429).length,
        violations: loop.violations.length,
        channelsWithOnePost: withTimes ? loop.guilds.filter((g) => loop.messagesIn(g.channels[0]!.id).filter((m) => !m.interaction_metadata).length === 1).length : 0,
      };
    },
    close: () => loop.close(),
  };
}

/** `npm run rest-proxy` as its own process in front of `upstream`, on a free port. */
export async function startProxyProcess(upstream: string): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const env = { ...process.env, REST_PROXY_PORT: '0', REST_PROXY_HOST: '127.0.0.1', REST_PROXY_UPSTREAM: upstream, LOG_LEVEL: 'info' };
  // fork() reuses our execArgv, so tsx's loader comes along.
  const child = fork(fileURLToPath(new URL('../src/rest-proxy.ts', import.meta.url)), [], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const lines = createInterface({ input: child.stdout! });
  const apiUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the REST proxy exited (${code}) before listening`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { apiUrl?: string };
      if (parsed.apiUrl) resolve(parsed.apiUrl);
    });
  });
  return {
    apiUrl,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function benchFanout(opts: FanoutOptions): Promise<FanoutResult> {
  const n = opts.guilds;
  const perSecond = opts.perSecond ?? 50;
  const window = opts.window ?? 'fixed';
  const where = opts.loopback ?? 'inline';
  const commandEveryMs = opts.commandEveryMs ?? 250;
  const discussEveryMs = opts.discussEveryMs ?? 2_000;
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-fanout-'));
  const databaseUrl = `sqlite://${join(dir, 'bench.sqlite')}`;
  const processes = opts.processes ?? 1;
  const viaProxy = opts.proxy ?? false;
  let discord: Discord | undefined;
  let proxy: Awaited<ReturnType<typeof startProxyProcess>> | undefined;
  let stopBot: (() => Promise<void>) | undefined;
  const timers: NodeJS.Timeout[] = [];

  try {
    let t = performance.now();
    discord = await startDiscord(where, {
      token: TOKEN,
      applicationId: APP_ID,
      guilds: Array.from({ length: n }, (_, i) => ({ name: `Guild ${i + 1}`, channels: [{ name: 'news' }] })),
      globalRateLimit: { perSecond, window },
      timeoutMs: 60_000,
    });
    const loopbackSeconds = (performance.now() - t) / 1000;
    const d = discord;

    t = performance.now();
    await writeSettings(databaseUrl, d.guilds);
    const settingsSeconds = (performance.now() - t) / 1000;

    const guild0 = d.guilds[0]!.id;
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId: guild0, databaseUrl, logLevel: 'silent', apiUrl: d.apiUrl, storyDir: 'data' };
    await registerCommands(config, loadStoryPack(config.storyDir));
    if (viaProxy) proxy = await startProxyProcess(d.apiUrl);
    // Each bot's share of the one budget: together they pace digests at 45/s, as one bot alone does.
    const botConfig: Config = { ...config, ...(proxy ? { apiUrl: proxy.apiUrl, apiProxy: true } : {}), digestSendsPerSecond: 45 / processes };
    const clock = new FakeClock(START);
    t = performance.now();
    const bots: Bot[] = [];
    stopBot = async () => {
      for (const b of bots) await b.stop();
    };
    for (let shard = 0; shard < processes; shard++) {
      bots.push(await startBot(botConfig, createLogger('silent'), { clock, ...(processes > 1 ? { shards: [shard], shardCount: processes } : {}) }));
    }
    await d.waitForReady(processes, 120_000);
    const loginSeconds = (performance.now() - t) / 1000;
    const seen = bots.reduce((sum, b) => sum + b.client.guilds.cache.size, 0);
    if (seen !== n) throw new Error(`the bots see ${seen} guilds, expected ${n}`);
    // Let the start-up requests' window pass, so the fan-out starts with a fresh one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const from = (await d.stats(0)).requests;
    const violationsBefore = (await d.stats(from)).violations;

    // Event-loop lag in the bot's process.
    const lags: Array<[number, number]> = [];
    let maxLoopLagMs = 0;
    let expected = performance.now() + 20;
    timers.push(setInterval(() => {
      const now = performance.now();
      maxLoopLagMs = Math.max(maxLoopLagMs, now - expected);
      if (now - expected > 20) lags.push([now, now - expected]);
      expected = now + 20;
    }, 20));

    // A member keeps reading the summary while the digests go out.
    const commands: Array<{ at: number; result: RemoteCommandResult }> = [];
    const discussions: RemoteCommandResult[] = [];
    const pending = new Set<Promise<void>>();
    const ask = (kind: Kind) => {
      const at = performance.now();
      const reply = d.ask(guild0, kind, kind === 'discuss' ? (n / perSecond) * 3_000 + 60_000 : 30_000).then((result) => void (kind === 'discuss' ? discussions.push(result) : commands.push({ at, result })));
      pending.add(reply);
      void reply.finally(() => pending.delete(reply));
    };

    // Go: 08:59 → 09:00 fires the digest timer, and every guild is due.
    const started = performance.now();
    const startedEpoch = Date.now();
    ask('summary');
    ask('discuss');
    timers.push(setInterval(() => ask('summary'), commandEveryMs), setInterval(() => ask('discuss'), discussEveryMs));
    clock.set(DUE);
    const deadline = started + Math.max(60_000, (n / perSecond) * 3_000);
    let progress = await d.stats(from);
    while (progress.matched < n) {
      if (performance.now() > deadline) throw new Error(`only ${progress.matched} of ${n} digests arrived in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = await d.stats(from);
    }
    for (const timer of timers.splice(0)) clearInterval(timer);
    await Promise.all(pending);
    await Promise.all(bots.map((b) => b.ctx.digests.idle()));
    const final = await d.stats(from, true);

    const totalSeconds = ((final.lastMatchedAt ?? startedEpoch) - startedEpoch) / 1000;
    const floorSeconds = n / perSecond;
    const ok = commands.filter((c) => c.result.ok);
    const timeline = new Map<number, FanoutResult['timeline'][number]>();
    const slot = (sinceStartMs: number) => {
      const k = Math.max(0, Math.floor(sinceStartMs / 250));
      let entry = timeline.get(k);
      if (!entry) timeline.set(k, (entry = { at: k / 4, digests: 0, limited: 0, lagMs: 0, commandsMs: [] }));
      return entry;
    };
    for (const at of final.matchedAt ?? []) slot(at - startedEpoch).digests++;
    for (const r of final.rateLimited) slot(r.at - startedEpoch).limited++;
    for (const [at, lag] of lags) slot(at - lag - started).lagMs = Math.max(slot(at - lag - started).lagMs, lag);
    for (const c of commands) slot(c.at - started).commandsMs.push(c.result.ok ? Math.round(c.result.latencyMs) : -1);
    return {
      guilds: n,
      processes,
      proxy: viaProxy,
      perSecond,
      window,
      loopback: where,
      setupSeconds: { loopback: loopbackSeconds, settings: settingsSeconds, login: loginSeconds },
      totalSeconds,
      floorSeconds,
      ratio: totalSeconds / floorSeconds,
      firstDigestSeconds: ((final.firstMatchedAt ?? startedEpoch) - startedEpoch) / 1000,
      digestsPosted: final.matched,
      guildsWithOneDigest: final.channelsWithOnePost,
      globalRateLimited: final.rateLimited.length,
      rateLimitedAtSeconds: final.rateLimited.map((r) => (r.at - startedEpoch) / 1000),
      failedRequests: final.failed,
      violations: final.violations - violationsBefore,
      commands: { sent: commands.length, answered: ok.length, failed: commands.length - ok.length, latencyMs: latency(ok.map((c) => c.result.latencyMs)) },
      discuss: {
        sent: discussions.length,
        threads: discussions.filter((r) => r.threadMs !== undefined).length,
        replyMs: latency(discussions.map((r) => r.latencyMs)),
        threadMs: latency(discussions.flatMap((r) => (r.threadMs === undefined ? [] : [r.threadMs]))),
      },
      maxLoopLagMs,
      timeline: [...timeline.values()].sort((a, b) => a.at - b.at),
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await stopBot?.();
    await proxy?.close();
    await discord?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printTable(results: FanoutResult[], showTimeline: boolean): void {
  const f = (value: number, digits = 1) => value.toFixed(digits);
  const rows: string[][] = [
    ['guilds', 'bots', 'via', 'loopback', 'total s', 'floor s', 'ratio', '429s', 'first s', 'cmd p50 ms', 'cmd p99 ms', 'cmd max ms', 'cmds ok', 'max lag ms', '/discuss thread p50/max s', 'digests', 'setup s (loop/db/login)'],
    ...results.map((r) => [
      String(r.guilds), String(r.processes), r.proxy ? 'proxy' : 'direct', r.loopback, f(r.totalSeconds), f(r.floorSeconds), f(r.ratio, 3), String(r.globalRateLimited), f(r.firstDigestSeconds, 2),
      f(r.commands.latencyMs.p50), f(r.commands.latencyMs.p99), f(r.commands.latencyMs.max), `${r.commands.answered}/${r.commands.sent}`, f(r.maxLoopLagMs, 0),
      `${f(r.discuss.threadMs.p50 / 1000)}/${f(r.discuss.threadMs.max / 1000)} (${r.discuss.threads}/${r.discuss.sent})`,
      `${r.digestsPosted} (${r.guildsWithOneDigest} ×1)`, `${f(r.setupSeconds.loopback)}/${f(r.setupSeconds.settings)}/${f(r.setupSeconds.login)}`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  for (const r of results) {
    const met = r.ratio <= 1.25 && r.globalRateLimited === 0 && r.commands.latencyMs.p99 < 500 && r.commands.failed === 0 && r.failedRequests === 0 && r.violations === 0;
    console.log(
      `\n${r.guilds} guilds, ${r.processes} bot(s) ${r.proxy ? 'through the REST proxy' : 'each with its own limiter'}, ${r.loopback} loopback, global limit ${r.perSecond}/s (${r.window} window): ratio ${f(r.ratio, 3)} (target ≤ 1.25), ` +
        `${r.globalRateLimited} global 429s (target 0), command p99 ${f(r.commands.latencyMs.p99)} ms (target < 500), ${r.commands.failed} commands unanswered, ` +
        `${r.failedRequests} failed requests, ${r.violations} violations → ${met ? 'targets met' : 'TARGETS MISSED'}`,
    );
    if (r.globalRateLimited > 0) {
      const at = r.rateLimitedAtSeconds;
      console.log(`429s between ${f(Math.min(...at), 2)} s and ${f(Math.max(...at), 2)} s after the digest minute`);
    }
    if (showTimeline) {
      console.log('\n    t s  digests  429s  lag ms  command ms (-1: no reply)');
      for (const e of r.timeline.filter((x) => x.at <= 30 || x.limited > 0)) {
        console.log(`${f(e.at, 2).padStart(7)}  ${String(e.digests).padStart(7)}  ${String(e.limited).padStart(4)}  ${f(e.lagMs, 0).padStart(6)}  ${e.commandsMs.join(', ')}`);
      }
    }
  }
}

/** What each column of printTable times, from where to where. */
export function printFanoutLegend(): void {
  console.log(
    [
      '\nWhat each column times:',
      '  total s      fake clock moved to the digest minute → the N-th digest POST /channels/:id/messages accepted by the loopback (its arrival time)',
      '  floor s      N ÷ the global limit (50/s): the least time N bot-token requests can take',
      '  ratio        total s ÷ floor s',
      '  429s         digest-time requests the loopback answered 429 (global limit)',
      '  first s      clock moved → the first digest POST accepted (the cost of the tick before anything is sent)',
      '  cmd p50/p99/max ms   `/story summary` every 250 ms: INTERACTION_CREATE sent by the loopback → the reply stored by it',
      '  cmds ok      summaries answered / sent',
      '  max lag ms   worst lateness of a 20 ms interval timer in the bot\'s process during the fan-out',
      '  /discuss thread p50/max s   `/discuss` every 2 s: INTERACTION_CREATE sent → the thread request on its reply accepted (a bot-token call that queues with the digests)',
      '  digests      digest posts accepted (guilds whose channel holds exactly one digest)',
      '  setup s      loopback start / digest settings written through the store / bot(s) login until READY and every GUILD_CREATE; not part of the figures\n',
    ].join('\n'),
  );
}

if (isMainModule(import.meta.url)) {
  const guilds = Number(arg('guilds') ?? 2_000);
  if (!Number.isInteger(guilds) || guilds < 1) throw new Error(`--guilds must be a positive integer, got ${arg('guilds')}`);
  const window = arg('window') === 'sliding' ? 'sliding' : 'fixed';
  const loopback = arg('loopback') === 'process' ? 'process' : 'inline';
  const processes = Number(arg('processes') ?? 1);
  if (!Number.isInteger(processes) || processes < 1) throw new Error(`--processes must be a positive integer, got ${arg('processes')}`);
  const proxy = process.argv.includes('--proxy');
  console.log(`Node ${process.version}; daily digests to ${guilds} guilds from ${processes} bot(s)${proxy ? ' through the REST proxy' : ''} through a loopback Discord (${loopback}) limited to 50 requests/s (${window} window)\n`);
  printTable([await benchFanout({ guilds, window, loopback, processes, proxy })], process.argv.includes('--timeline'));
  printFanoutLegend();
}
