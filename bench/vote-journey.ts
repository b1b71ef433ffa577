/**
 * End-to-end vote figure: a burst of simultaneous button clicks on a poll, each timed by the loopback
 * Discord (running in its own process, test/loopback/remote.ts) from the INTERACTION_CREATE it sends on
 * the gateway to the interaction callback it accepts (the HTTP acknowledgement). In between: the gateway
 * frame, discord.js, tamasha's router, the poll service and the SQLite store, and the callback request.
 *
 * The floor: the same clicks on the same loopback answered by a bare discord.js client (the same
 * createClient options, the same reply payload) that stores nothing. Each side runs in a child process
 * of its own (this file, `--journey-side tamasha|floor`), logged in for the whole run, so neither pays
 * for the other's garbage or JIT, and each is a running bot, not one just restarted. Both are logged in
 * at once: tamasha as shard 0 of 2, the floor as shard 1 of 2, each owning one of the loopback's two
 * servers, each clicked on a poll tamasha started in its server. A round sends one side a warm-up burst,
 * then the measured one; then the other side does the same. Rounds alternate which side goes first,
 * after one discarded round of each. The ratios are the medians of the
 * per-round ratios (each pair ran back to back, so a change in the shared machine's load between rounds
 * mostly cancels); the medians of each side's figures are reported too.
 *
 *   npx tsx bench/vote-journey.ts [--votes 500] [--rounds 15] [--store memory]
 *   BENCH_PROFILE=dir: each side writes a V8 CPU profile of its measured bursts there (one per round).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config.js';
import type { ClickBurstResult } from '../test/loopback/burst.js';
import { type RemoteLoopback, startRemoteLoopback } from '../test/loopback/remote.js';
import { fakeToken } from '../test/helpers/token.js';
import { arg, isMainModule } from './cli.js';

const APP_ID = '1100000000000000001';
const TOKEN = fakeToken(APP_ID);
const WARM_UP = 100;
/** The floor's reply: what tamasha says to a first vote, with the payload replyPrivately sends. */
const FLOOR_REPLY = 'Your vote for **A** is in. Click another answer to change it.';

type Side = 'tamasha' | 'floor';

export interface BurstFigures {
  votes: number;
  acknowledged: number;
  p50: number;
  p99: number;
  max: number;
  /** Acknowledged clicks per second, first INTERACTION_CREATE sent → last callback accepted. */
  perSecond: number;
  /** CPU (user + system, all threads) per vote during the measured burst: the side's process (the bot) and the loopback's. */
  botCpuMsPerVote: number;
  loopbackCpuMsPerVote: number;
  /** Garbage-collection pauses in the side's process during the measured burst, ms in all. */
  botGcMs: number;
  errors: string[];
}

export interface VoteJourneyResult {
  /** Every measured burst, in round order; `first` says which side went first in that round. */
  rounds: Array<{ first: Side; tamasha: BurstFigures; floor: BurstFigures }>;
  /** Medians over the rounds, per figure. */
  tamasha: BurstFigures;
  floor: BurstFigures;
  /** Median over rounds of tamasha p99 / floor p99 (target ≤ 1.25). */
  p99Ratio: number;
  /** Median over rounds of tamasha throughput / floor throughput (target ≥ 0.8). */
  throughputRatio: number;
  /** The loadavg line before and after the run. */
  load: [string, string];
}

function figures(r: ClickBurstResult, botCpuMs: number, botGcMs: number): BurstFigures {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { votes: r.clicks, acknowledged: r.acknowledged, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, perSecond: (r.acknowledged * 1000) / r.spanMs,
    botCpuMsPerVote: botCpuMs / r.clicks, loopbackCpuMsPerVote: r.loopbackCpuMs / r.clicks, botGcMs, errors: r.errors };
}

type SideRequest =
  | { op: 'init'; side: Side; config: Config; profileDir?: string }
  | { op: 'login'; shards?: { shards: number[]; shardCount: number } }
  | { op: 'logout' }
  | { op: 'measure'; start: boolean; label: string };

/** One side's process, driven over IPC. */
class SideProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 0;

  constructor(readonly side: Side) {
    // fork() reuses our execArgv, so tsx's loader comes along.
    this.#child = fork(fileURLToPath(import.meta.url), ['--journey-side', side], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (raw) => {
      const msg = raw as { id: number; ok: boolean; value?: unknown; error?: string };
      const waiter = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      if (msg.ok) waiter?.resolve(msg.value);
      else waiter?.reject(new Error(`${side}: ${msg.error ?? 'failed'}`));
    });
    this.#child.on('exit', (code) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`${side} process exited (${code})`));
      this.#pending.clear();
    });
  }

  call<T>(request: SideRequest): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, ...request });
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.disconnect();
    await exited;
  }
}

/** In the side's process: tamasha (startBot) or the floor (a bare client), logged in and out on request. */
async function runSide(): Promise<void> {
  const [{ Events, MessageFlags }, { startBot }, { createClient }, { createLogger }] = await Promise.all([import('discord.js'), import('../src/bot.js'), import('../src/discord/client.js'), import('../src/logger.js')]);
  let side: Side = 'floor';
  let config: Config | undefined;
  let profileDir: string | undefined;
  let logout: (() => Promise<void>) | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  let profiler: Session | undefined;
  const login = async (shards: { shards: number[]; shardCount: number } | undefined): Promise<void> => {
    if (!config) throw new Error('not initialised');
    if (side === 'tamasha') {
      const bot = await startBot(config, createLogger('silent'), shards ?? {});
      logout = () => bot.stop();
      return;
    }
    const bare = createClient(config, shards ?? {});
    // The same reply tamasha's vote handler sends (replyPrivately): ephemeral, no pings.
    bare.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isButton()) void interaction.reply({ content: FLOOR_REPLY, flags: [MessageFlags.Ephemeral], allowedMentions: { parse: [] } }).catch(() => undefined);
    });
    const ready = new Promise<void>((resolve) => bare.once(Events.ClientReady, () => resolve()));
    await bare.login(config.token);
    await ready;
    logout = () => bare.destroy();
  };
  const handle = async (req: SideRequest): Promise<unknown> => {
    switch (req.op) {
      case 'init':
        ({ side, config, profileDir } = req);
        return undefined;
      case 'login':
        return login(req.shards);
      case 'logout': {
        const out = logout;
        logout = undefined;
        return out?.();
      }
      case 'measure': {
        if (req.start) {
          if (profileDir) {
            profiler = new Session();
            profiler.connect();
            await profiler.post('Profiler.enable');
            await profiler.post('Profiler.start');
          }
          gcMs = 0;
          gc.observe({ entryTypes: ['gc'] });
          cpu = process.cpuUsage();
          return 0;
        }
        const used = process.cpuUsage(cpu);
        gc.disconnect();
        if (profiler && profileDir) {
          const { profile } = await profiler.post('Profiler.stop');
          profiler.disconnect();
          profiler = undefined;
          writeFileSync(join(profileDir, `${side}-${req.label}.cpuprofile`), JSON.stringify(profile));
        }
        return { cpuMs: (used.user + used.system) / 1000, gcMs };
      }
    }
  };
  process.on('message', (raw) => {
    const { id, ...req } = raw as SideRequest & { id: number };
    handle(req as SideRequest).then(
      (value) => process.send?.({ id, ok: true, value }),
      (error: unknown) => process.send?.({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => void Promise.resolve(logout?.()).catch(() => undefined).finally(() => process.exit(0)));
}

interface Target {
  messageId: string;
  customId: string;
}

/** One side's round: a warm-up burst, then the measured burst (fresh voters each time). */
async function round(remote: RemoteLoopback, proc: SideProcess, { messageId, customId }: Target, votes: number, label: string): Promise<BurstFigures> {
  await remote.clickBurst({ messageId, customIds: Array(WARM_UP).fill(customId), memberPrefix: `${proc.side}${label}-warm-`, timeoutMs: 15_000 });
  await proc.call({ op: 'measure', start: true, label });
  // Every click must be answered as a first vote, or the figures would time a refusal.
  const clicked = await remote.clickBurst({ messageId, customIds: Array(votes).fill(customId), memberPrefix: `${proc.side}${label}-`, timeoutMs: 15_000, expectContent: '^Your vote for \\*\\*A\\*\\* is in\\.' });
  const { cpuMs, gcMs } = await proc.call<{ cpuMs: number; gcMs: number }>({ op: 'measure', start: false, label });
  return figures(clicked, cpuMs, gcMs);
}

/** Two servers, the first owned by shard 0 of 2 and the second by shard 1 of 2 (a guild's shard is (id >> 22) % 2). */
const GUILDS = [
  { id: '1200000000004194304', name: 'tamasha' },
  { id: '1200000000000000000', name: 'floor' },
];

const loadavg = async (): Promise<string> => {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8').catch(() => 'n/a')).trim();
};

export async function benchVoteJourney(opts: { votes?: number; rounds?: number; store?: 'sqlite' | 'memory' } = {}): Promise<VoteJourneyResult> {
  const votes = opts.votes ?? 500;
  const rounds = opts.rounds ?? 15;
  const loadBefore = await loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-vote-journey-'));
  const profileDir = process.env.BENCH_PROFILE;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const remote = await startRemoteLoopback({ token: TOKEN, applicationId: APP_ID, timeoutMs: 15_000, guilds: GUILDS });
  const sides = { tamasha: new SideProcess('tamasha'), floor: new SideProcess('floor') };
  try {
    // Commands registered globally: both servers have /poll.
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: opts.store === 'memory' ? 'memory:' : `sqlite://${join(dir, 'bench.sqlite')}`, logLevel: 'silent', apiUrl: remote.apiUrl, storyDir: 'data' };
    const { registerCommands } = await import('../src/deploy.js');
    const { loadStoryPack } = await import('../src/story/load.js');
    await registerCommands(config, loadStoryPack(config.storyDir));
    for (const proc of Object.values(sides)) await proc.call({ op: 'init', side: proc.side, config, ...(profileDir ? { profileDir } : {}) });

    // A poll in each server, started by tamasha; clicks go to its first answer's button.
    const startPoll = async (guildId: string): Promise<Target> => {
      const poll = await remote.replyOf({ name: 'poll', subcommand: 'start', guildId, options: { question: 'Bench?', answers: 'A, B, C, D', duration: '7d' } });
      const customId = poll.customIds.find((id) => id.startsWith('poll:vote:'));
      if (!customId) throw new Error(`the poll message has no vote button (${poll.customIds.join(', ')})`);
      return { messageId: poll.messageId, customId };
    };
    // The floor's poll: tamasha, owning both servers for a moment, starts it in the floor's server.
    await sides.tamasha.call({ op: 'login' });
    const targets = { floor: await startPoll(GUILDS[1]!.id) } as Record<Side, Target>;
    await sides.tamasha.call({ op: 'logout' });
    // Then both log in for the whole run, one shard each; tamasha starts its own poll (on a `memory:`
    // store, the one poll it can see).
    await sides.tamasha.call({ op: 'login', shards: { shards: [0], shardCount: 2 } });
    await sides.floor.call({ op: 'login', shards: { shards: [1], shardCount: 2 } });
    await remote.waitForReady(2);
    targets.tamasha = await startPoll(GUILDS[0]!.id);

    const run = (side: Side, label: string) => round(remote, sides[side], targets[side], votes, label);
    // A discarded round first: each process's first full bursts run slower (JIT, connection pools).
    await run('tamasha', 'discarded');
    await run('floor', 'discarded');
    const measured: VoteJourneyResult['rounds'] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternating order, so drift in the shared machine's load does not favour one side.
      const first: Side = i % 2 === 0 ? 'tamasha' : 'floor';
      const second: Side = first === 'tamasha' ? 'floor' : 'tamasha';
      const a = await run(first, `round${i + 1}`);
      const b = await run(second, `round${i + 1}`);
      measured.push({ first, tamasha: first === 'tamasha' ? a : b, floor: first === 'floor' ? a : b });
    }
    const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
    return {
      rounds: measured,
      tamasha: median(measured.map((r) => r.tamasha)),
      floor: median(measured.map((r) => r.floor)),
      p99Ratio: mid(measured.map((r) => r.tamasha.p99 / r.floor.p99)),
      throughputRatio: mid(measured.map((r) => r.tamasha.perSecond / r.floor.perSecond)),
      load: [loadBefore, await loadavg()],
    };
  } finally {
    await Promise.all(Object.values(sides).map((proc) => proc.call({ op: 'logout' }).catch(() => undefined)));
    await Promise.all(Object.values(sides).map((proc) => proc.close()));
    await remote.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per figure, the median over rounds. */
function median(list: BurstFigures[]): BurstFigures {
  const mid = (pick: (b: BurstFigures) => number) => {
    const sorted = list.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  return { votes: list[0]?.votes ?? 0, acknowledged: mid((b) => b.acknowledged), p50: mid((b) => b.p50), p99: mid((b) => b.p99), max: mid((b) => b.max), perSecond: mid((b) => b.perSecond),
    botCpuMsPerVote: mid((b) => b.botCpuMsPerVote), loopbackCpuMsPerVote: mid((b) => b.loopbackCpuMsPerVote), botGcMs: mid((b) => b.botGcMs), errors: list.flatMap((b) => b.errors).slice(0, 3) };
}

export function printVoteJourney(r: VoteJourneyResult): void {
  const f = (n: number, d = 1) => n.toFixed(d).padStart(9);
  const row = (name: string, b: BurstFigures, extra = '') =>
    console.log(`${name.padEnd(18)}${String(b.votes).padStart(6)}${String(b.acknowledged).padStart(6)}${f(b.p50)}${f(b.p99)}${f(b.max)}${f(b.perSecond, 0)}${f(b.botCpuMsPerVote, 3)}${f(b.loopbackCpuMsPerVote, 3)}${f(b.botGcMs)}${extra}${b.errors.length > 0 ? `  errors: ${b.errors.map((e) => e.split('\n')[0]).join('; ')}` : ''}`);
  console.log('                   votes acked   p50 ms   p99 ms   max ms  votes/s  bot CPU loop CPU ms/vote  bot GC ms   p99 ×   votes/s ×');
  r.rounds.forEach((round, i) => {
    const order = round.first === 'tamasha' ? ['tamasha', 'floor'] as const : ['floor', 'tamasha'] as const;
    for (const side of order) {
      const ratios = side === 'floor' ? '' : `${f(round.tamasha.p99 / round.floor.p99, 2)}${f(round.tamasha.perSecond / round.floor.perSecond, 2)}`;
      row(`${side.padEnd(7)} round ${i + 1}`, round[side], ratios);
    }
  });
  row('tamasha median', r.tamasha, `${f(r.tamasha.p99 / r.floor.p99, 2)}${f(r.tamasha.perSecond / r.floor.perSecond, 2)}  (ratio of the medians)`);
  row('floor   median', r.floor);
  const met = r.p99Ratio <= 1.25 && r.throughputRatio >= 0.8;
  console.log(`\nmedian of the rounds' ratios: p99 tamasha/floor ×${r.p99Ratio.toFixed(2)} (target ≤ 1.25); throughput tamasha/floor ×${r.throughputRatio.toFixed(2)} (target ≥ 0.8) → ${met ? 'targets met' : 'TARGETS MISSED'}`);
  console.log(`load average (/proc/loadavg) before: ${r.load[0]}; after: ${r.load[1]}`);
  console.log('latency: the loopback sends INTERACTION_CREATE on the gateway → it accepts the interaction callback (HTTP acknowledgement), timed in the loopback process');
  console.log('votes/s: acknowledged clicks ÷ (first INTERACTION_CREATE sent → last callback accepted); all clicks of a burst are sent at once, each by a new voter');
  console.log('CPU ms/vote: user + system CPU of the side\'s process (all threads, SQLite included) and of the loopback\'s, during the measured burst, ÷ votes');
  console.log('bot GC ms: garbage-collection pauses in the side\'s process during the measured burst, in all');
  console.log('floor: the same clicks answered at once, with the same reply payload, by a bare discord.js client (same createClient options) that stores nothing');
  console.log('each side runs in its own process, logged in for the whole run (tamasha shard 0 of 2, the floor shard 1 of 2, a server each); a round sends one side a 100-click warm-up burst, then the measured burst; rounds alternate which side goes first\n');
}

if (process.argv.includes('--journey-side')) void runSide();
else if (isMainModule(import.meta.url)) {
  const votes = Number(arg('votes') ?? 500);
  const rounds = Number(arg('rounds') ?? 7);
  // `--store memory` swaps SQLite for the in-memory store: the difference is what waiting for the commit costs.
  const store = arg('store') === 'memory' ? 'memory' : 'sqlite';
  printVoteJourney(await benchVoteJourney({ votes, rounds, store }));
}
