/**
 * End-to-end vote figure: a burst of simultaneous button clicks on a poll, each timed by the loopback
 * Discord (running in its own process, test/loopback/remote.ts) from the INTERACTION_CREATE it sends on
 * the gateway to the interaction callback it accepts (the HTTP acknowledgement). In between: the gateway
 * frame, discord.js, tamasha's router, the poll service and the SQLite store, and the callback request.
 *
 * The floor: the same clicks on the same loopback answered by a bare discord.js client (the same
 * createClient options) that replies at once and stores nothing. Both run in this process, one at a
 * time, in rounds that alternate which goes first, each burst after a warm-up burst, after one
 * discarded round; the figures compared are the medians over the rounds.
 *
 *   npx tsx bench/vote-journey.ts [--votes 500] [--rounds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events, MessageFlags } from 'discord.js';
import { startBot } from '../src/bot.js';
import type { Config } from '../src/config.js';
import { registerCommands } from '../src/deploy.js';
import { createClient } from '../src/discord/client.js';
import { createLogger } from '../src/logger.js';
import { loadStoryPack } from '../src/story/load.js';
import type { ClickBurstResult } from '../test/loopback/burst.js';
import { type RemoteLoopback, startRemoteLoopback } from '../test/loopback/remote.js';
import { fakeToken } from '../test/helpers/token.js';
import { isMainModule } from './cli.js';

const APP_ID = '1100000000000000001';
const TOKEN = fakeToken(APP_ID);
const WARM_UP = 100;

export interface BurstFigures {
  votes: number;
  acknowledged: number;
  p50: number;
  p99: number;
  max: number;
  /** Acknowledged clicks per second, first INTERACTION_CREATE sent → last callback accepted. */
  perSecond: number;
  /** CPU (user + system, all threads) per vote during the measured burst: this process (the bot) and the loopback's. */
  botCpuMsPerVote: number;
  loopbackCpuMsPerVote: number;
  errors: string[];
}

export interface VoteJourneyResult {
  /** Every measured burst, in order (rounds alternate which side goes first). */
  rounds: { tamasha: BurstFigures[]; floor: BurstFigures[] };
  /** Medians over the rounds. */
  tamasha: BurstFigures;
  floor: BurstFigures;
  /** tamasha p99 / floor p99 (target ≤ 1.25). */
  p99Ratio: number;
  /** tamasha throughput / floor throughput (target ≥ 0.8). */
  throughputRatio: number;
}

function figures(r: ClickBurstResult, botCpuMs: number): BurstFigures {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { votes: r.clicks, acknowledged: r.acknowledged, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, perSecond: (r.acknowledged * 1000) / r.spanMs,
    botCpuMsPerVote: botCpuMs / r.clicks, loopbackCpuMsPerVote: r.loopbackCpuMs / r.clicks, errors: r.errors };
}

/** A warm-up burst, then the measured one, on the poll's first answer button; fresh voters each time. */
async function burst(remote: RemoteLoopback, messageId: string, customId: string, votes: number, name: string): Promise<BurstFigures> {
  await remote.clickBurst({ messageId, customIds: Array(WARM_UP).fill(customId), memberPrefix: `${name}-warm-`, timeoutMs: 15_000 });
  mark(`${name} start`);
  const cpu = process.cpuUsage();
  const clicked = await remote.clickBurst({ messageId, customIds: Array(votes).fill(customId), memberPrefix: `${name}-`, timeoutMs: 15_000 });
  const used = process.cpuUsage(cpu);
  const result = figures(clicked, (used.user + used.system) / 1000);
  mark(`${name} end`);
  return result;
}

/** With BENCH_MARKS set, prints monotonic µs at phase edges, to cut a --cpu-prof profile by phase. */
function mark(what: string): void {
  if (process.env.BENCH_MARKS) process.stderr.write(`mark ${what} ${process.hrtime.bigint() / 1000n}\n`);
}

export async function benchVoteJourney(opts: { votes?: number; rounds?: number; store?: 'sqlite' | 'memory' } = {}): Promise<VoteJourneyResult> {
  const votes = opts.votes ?? 500;
  const rounds = opts.rounds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-vote-journey-'));
  const remote = await startRemoteLoopback({ token: TOKEN, applicationId: APP_ID, timeoutMs: 15_000 });
  try {
    const guildId = remote.guilds[0]!.id;
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId, databaseUrl: opts.store === 'memory' ? 'memory:' : `sqlite://${join(dir, 'bench.sqlite')}`, logLevel: 'silent', apiUrl: remote.apiUrl, storyDir: 'data' };
    await registerCommands(config, loadStoryPack(config.storyDir));

    // The poll, created by tamasha on the default (SQLite) store; both bots are clicked on its first answer.
    let bot = await startBot(config, createLogger('silent'));
    await remote.waitForReady();
    const poll = await remote.replyOf({ name: 'poll', subcommand: 'start', options: { question: 'Bench?', answers: 'A, B, C, D', duration: '7d' } });
    await bot.stop();
    const vote = poll.customIds.find((id) => id.startsWith('poll:vote:'));
    if (!vote) throw new Error(`the poll message has no vote button (${poll.customIds.join(', ')})`);

    const runTamasha = async (round: number): Promise<BurstFigures> => {
      bot = await startBot(config, createLogger('silent'));
      try {
        return await burst(remote, poll.messageId, vote, votes, `tamasha${round}`);
      } finally {
        await bot.stop();
      }
    };
    // The floor: a bare discord.js client with the same options, answering each click at once.
    const runFloor = async (round: number): Promise<BurstFigures> => {
      const bare = createClient(config);
      bare.on(Events.InteractionCreate, (interaction) => {
        if (interaction.isButton()) void interaction.reply({ content: 'Your vote for **A** is in. Click another answer to change it.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      });
      try {
        const ready = new Promise<void>((resolve) => bare.once(Events.ClientReady, () => resolve()));
        await bare.login(TOKEN);
        await ready;
        return await burst(remote, poll.messageId, vote, votes, `floor${round}`);
      } finally {
        await bare.destroy();
      }
    };
    // Alternating order, so drift in the shared machine's load does not favour one side.
    const tamasha: BurstFigures[] = [];
    const floor: BurstFigures[] = [];
    // A discarded round first: both processes' first full bursts run ~2× slower (JIT, connection pools).
    await runTamasha(-1);
    await runFloor(-1);
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        tamasha.push(await runTamasha(round));
        floor.push(await runFloor(round));
      } else {
        floor.push(await runFloor(round));
        tamasha.push(await runTamasha(round));
      }
    }
    const t = median(tamasha);
    const f = median(floor);
    return { rounds: { tamasha, floor }, tamasha: t, floor: f, p99Ratio: t.p99 / f.p99, throughputRatio: t.perSecond / f.perSecond };
  } finally {
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
    botCpuMsPerVote: mid((b) => b.botCpuMsPerVote), loopbackCpuMsPerVote: mid((b) => b.loopbackCpuMsPerVote), errors: list.flatMap((b) => b.errors).slice(0, 3) };
}

export function printVoteJourney(r: VoteJourneyResult): void {
  const f = (n: number, d = 1) => n.toFixed(d).padStart(9);
  const row = (name: string, b: BurstFigures) =>
    console.log(`${name.padEnd(16)}${String(b.votes).padStart(6)}${String(b.acknowledged).padStart(6)}${f(b.p50)}${f(b.p99)}${f(b.max)}${f(b.perSecond, 0)}${f(b.botCpuMsPerVote, 3)}${f(b.loopbackCpuMsPerVote, 3)}${b.errors.length > 0 ? `  errors: ${b.errors.map((e) => e.split('\n')[0]).join('; ')}` : ''}`);
  console.log('                 votes acked   p50 ms   p99 ms   max ms  votes/s  bot CPU  loop CPU ms/vote');
  r.rounds.tamasha.forEach((b, i) => {
    row(`tamasha round ${i + 1}`, b);
    row(`floor   round ${i + 1}`, r.rounds.floor[i]!);
  });
  row('tamasha median', r.tamasha);
  row('floor   median', r.floor);
  const met = r.p99Ratio <= 1.25 && r.throughputRatio >= 0.8;
  console.log(`\np99 tamasha/floor ×${r.p99Ratio.toFixed(2)} (target ≤ 1.25); throughput tamasha/floor ×${r.throughputRatio.toFixed(2)} (target ≥ 0.8) → ${met ? 'targets met' : 'TARGETS MISSED'}`);
  console.log('latency: the loopback sends INTERACTION_CREATE on the gateway → it accepts the interaction callback (HTTP acknowledgement), timed in the loopback process');
  console.log('votes/s: acknowledged clicks ÷ (first INTERACTION_CREATE sent → last callback accepted); all clicks of a burst are sent at once, each by a new voter');
  console.log('CPU ms/vote: user + system CPU of the bot\'s process (all threads, SQLite included) and of the loopback\'s, during the measured burst, ÷ votes');
  console.log('floor: the same clicks answered at once by a bare discord.js client (same createClient options) that stores nothing\n');
}

if (isMainModule(import.meta.url)) {
  const i = process.argv.indexOf('--votes');
  const votes = i >= 0 ? Number(process.argv[i + 1]) : 500;
  const r = process.argv.indexOf('--rounds');
  // `--store memory` swaps SQLite for the in-memory store: the difference is what waiting for the commit costs.
  const store = process.argv.includes('--store') && process.argv[process.argv.indexOf('--store') + 1] === 'memory' ? 'memory' : 'sqlite';
  printVoteJourney(await benchVoteJourney({ votes, rounds: r >= 0 ? Number(process.argv[r + 1]) : 5, store }));
}
