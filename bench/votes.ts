import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import KeyvSqlite from '@keyv/sqlite';
import pg from 'pg';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { castVote, type PollClick } from '../src/polls/flow.js';
import { answersOf } from '../src/polls/ballot.js';
import { StorePollRepository } from '../src/polls/repository.js';
import { PollService } from '../src/polls/service.js';
import type { Poll } from '../src/polls/types.js';
import { openStore } from '../src/storage/store.js';

export interface BenchOptions {
  /** Voters on the poll once the measured burst is done. */
  voters: number;
  /** New voters cast in the measured burst (at most `voters`). */
  burst?: number;
  /** Votes in flight at once during the burst. */
  inFlight?: number;
  /** Arrival rate of the paced phase (votes/s, changes of mind by existing voters) and its length. */
  pacedRate?: number;
  pacedVotes?: number;
  /** Votes cast one after another (new voters, then changes of mind), to time a single vote with no queueing. */
  sequentialVotes?: number;
  /** A postgres:// URL: run on PostgreSQL (in a schema of its own, dropped afterwards) instead of SQLite. */
  databaseUrl?: string;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface BenchResult {
  voters: number;
  journalMode: string;
  /** Rebuilding the live tally from the stored votes at start-up. */
  loadMs: number;
  burst: { votes: number; inFlight: number; votesPerSec: number; msPerVote: number; latency: Latency };
  paced: { votes: number; rate: number; achievedPerSec: number; latency: Latency };
  /** One at a time: new voters (an insert each) and changes of mind by random existing voters (an update each). */
  sequential: { votes: number; newMsPerVote: number; changeMsPerVote: number };
  onChangeCalls: number;
  /** The live tally equals the rows in the store after the run. */
  consistent: boolean;
}

const GUILD = '100000000000000001';
const ANSWERS = 4;

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** Writes `count` votes straight into the votes table in one statement, in the format keyv reads. */
async function prepopulate(url: string, pollId: string, count: number): Promise<string> {
  const adapter = new KeyvSqlite({ uri: url, table: 'votes', busyTimeout: 5000 });
  if (count > 0) {
    await adapter.query(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
       INSERT INTO votes (key, value) SELECT 'votes:poll:' || ? || ':user:pre' || i, '{"value":' || (i % ${ANSWERS}) || '}' FROM s`,
      count,
      pollId,
    );
  }
  const rows = (await adapter.query('PRAGMA journal_mode')) as Array<{ journal_mode: string }>;
  await adapter.disconnect();
  return rows[0]?.journal_mode ?? 'unknown';
}

/** The PostgreSQL twin of prepopulate: same rows, same encoding, into the bench's schema. */
async function prepopulatePostgres(url: string, schema: string, pollId: string, count: number): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (count > 0) {
      await client.query(
        `INSERT INTO ${schema}.votes (key, value) SELECT 'votes:poll:' || $1 || ':user:pre' || i, '{"value":' || (i % ${ANSWERS}) || '}' FROM generate_series(0, $2 - 1) AS i`,
        [pollId, count],
      );
    }
    // As after a day of votes: the planner knows the table's size.
    await client.query(`ANALYZE ${schema}.votes`);
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${version.rows[0]?.server_version ?? '?'}`;
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
}

/**
 * Drives "button click in → stored vote → acknowledgement out" (castVote with a fake ack) on the
 * default SQLite store, opened by openStore in WAL mode, in a temp dir; or on PostgreSQL when
 * `databaseUrl` is given.
 */
export async function benchVotes(opts: BenchOptions): Promise<BenchResult> {
  const burstVotes = Math.min(opts.burst ?? 2000, opts.voters);
  const inFlight = opts.inFlight ?? 1000;
  const pacedRate = opts.pacedRate ?? 2000;
  const pacedVotes = opts.pacedVotes ?? 2000;
  const sequentialVotes = opts.sequentialVotes ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-bench-'));
  const schema = `tamasha_bench_${process.pid}_${Date.now().toString(36)}`;
  const url = opts.databaseUrl ? withSchema(opts.databaseUrl, schema) : `sqlite://${join(dir, 'bench.sqlite')}`;
  const logger = createLogger('silent');
  let onChangeCalls = 0;
  const make = (store: ReturnType<typeof openStore>) =>
    new PollService({ repo: new StorePollRepository(store), clock: systemClock, logger, onChange: () => void onChangeCalls++, onClose: () => undefined });
  const origin = { guildId: GUILD, channelId: '200000000000000002', creatorId: 'bench' };
  const input = { question: 'Bench?', answers: 'a,b,c,d', duration: '7d' };

  try {
    // Create the polls, fill the measured one with existing voters, then start a fresh process on the file.
    const setupStore = openStore(url, logger);
    const setup = make(setupStore);
    const poll = await setup.create(input, origin);
    const warm = await setup.create(input, origin);
    await setup.stop();
    await setupStore.close();
    const journalMode = opts.databaseUrl
      ? await prepopulatePostgres(opts.databaseUrl, schema, poll.id, opts.voters - burstVotes)
      : await prepopulate(url, poll.id, opts.voters - burstVotes);

    const store = openStore(url, logger);
    const service = make(store);
    let started = performance.now();
    await service.load([GUILD]);
    const loadMs = performance.now() - started;

    const click = (p: Poll, userId: string, answer: number): PollClick => ({ action: 'vote', args: [p.id, String(answer)], guildId: GUILD, userId, memberRoleIds: [] });
    /** One vote through the flow; resolves with its latency, from the call to the acknowledgement. */
    const timed = async (c: PollClick): Promise<number> => {
      const t0 = performance.now();
      let acked = 0;
      const outcome = await castVote(service, c, () => {
        acked = performance.now();
      });
      if (!outcome.ok) throw new Error(`vote refused: ${outcome.message}`);
      return acked - t0;
    };

    // Warm-up on another poll: JIT and the SQLite connection, without touching the measured one.
    for (let i = 0; i < 500; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => timed(click(warm, `w${i + j}`, j % ANSWERS))));

    // Burst: new voters, `inFlight` at once (closed loop).
    const burst: number[] = [];
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(inFlight, burstVotes) }, async () => {
        for (let i = next++; i < burstVotes; i = next++) burst.push(await timed(click(poll, `new${i}`, i % ANSWERS)));
      }),
    );
    const burstMs = performance.now() - started;

    // Paced: existing voters change their minds at a steady rate (open loop).
    const existing = (i: number) => (i < opts.voters - burstVotes ? `pre${i}` : `new${i - (opts.voters - burstVotes)}`);
    const paced: Array<Promise<number>> = [];
    started = performance.now();
    const tickMs = 5;
    const perTick = Math.max(1, Math.round((pacedRate * tickMs) / 1000));
    for (let sent = 0; sent < pacedVotes; ) {
      for (let k = 0; k < perTick && sent < pacedVotes; k++, sent++) {
        const voter = (sent * 7919) % opts.voters;
        paced.push(timed(click(poll, existing(voter), (sent + 1) % ANSWERS)));
      }
      const due = started + ((sent / perTick) * tickMs);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    const pacedLatencies = await Promise.all(paced);
    const pacedMs = performance.now() - started;

    // Sequential: one vote at a time, changes of mind then new voters (who stay, so `voters` grows by these).
    started = performance.now();
    for (let i = 0; i < sequentialVotes; i++) await timed(click(poll, existing((i * 104729) % opts.voters), (i + 2) % ANSWERS));
    const changeMs = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < sequentialVotes; i++) await timed(click(poll, `seq${i}`, i % ANSWERS));
    const newMs = performance.now() - started;

    const tally = await service.tally(poll);
    const stored = await new StorePollRepository(store).votesOf(poll.id);
    const counts = Array.from({ length: ANSWERS }, () => 0);
    for (const ballot of stored.values()) for (const a of answersOf(ballot)) counts[a] = (counts[a] ?? 0) + 1;
    const expected = opts.voters + sequentialVotes;
    const consistent = tally.voters === expected && stored.size === expected && counts.every((c, i) => c === tally.counts[i]);
    await service.stop();
    await store.close();

    return {
      voters: opts.voters,
      journalMode,
      loadMs,
      burst: { votes: burstVotes, inFlight: Math.min(inFlight, burstVotes), votesPerSec: (burstVotes * 1000) / burstMs, msPerVote: burstMs / burstVotes, latency: latency(burst) },
      paced: { votes: pacedVotes, rate: pacedRate, achievedPerSec: (pacedVotes * 1000) / pacedMs, latency: latency(pacedLatencies) },
      sequential: { votes: sequentialVotes, newMsPerVote: newMs / sequentialVotes, changeMsPerVote: changeMs / sequentialVotes },
      onChangeCalls,
      consistent,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (opts.databaseUrl) await dropSchema(opts.databaseUrl, schema);
  }
}

export function withSchema(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}
