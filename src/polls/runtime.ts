import type { Clock } from '../clock.js';
import { MINUTE } from '../constants.js';
import type { Logger } from '../logger.js';
import { Coalescer } from './coalesce.js';
import { redeliverResults } from './close.js';
import { armDeadline } from './deadlines.js';
import { emitChange } from './edits.js';
import { KeyedQueue } from '../queue.js';
import { PollRegistry } from './registry.js';
import type { PollRepository } from './repository.js';
import { ResultsDelivery } from './results.js';
import { StartLimiter } from './start-limit.js';
import type { Ballot, Poll, Tally } from './types.js';

/** Polls one member may start in one server per minute (a flood of polls buries the discussion). */
export const STARTS_PER_MINUTE = 3;

/** Which vote was stored: ballot null when it was retracted, previous null when there was none. */
export interface StoredVote {
  poll: Poll;
  userId: string;
  ballot: Ballot | null;
  previous: Ballot | null;
}

export interface PollServiceOptions {
  repo: PollRepository;
  clock: Clock;
  logger: Logger;
  /** The poll's standings changed: re-render its message. Coalesced, never overlapping, last state always delivered. */
  onChange: (poll: Poll, tally: Tally) => Promise<void> | void;
  /**
   * The poll closed (status already stored): edit its message and post the results. Called again,
   * with backoff, while it throws; `resumed` says an earlier attempt may have posted already (it
   * was interrupted), so the edge should look for that post before posting again.
   */
  onClose: (poll: Poll, tally: Tally, attempt: { resumed: boolean }) => Promise<void> | void;
  /**
   * A vote was stored (and is about to be acknowledged): for the metrics, and for the verdict (a
   * headline poll's vote counts as a stance). `unchanged` clicks store nothing.
   */
  onVoteStored?: (kind: 'recorded' | 'changed' | 'retracted', vote: StoredVote) => void;
  editIntervalMs?: number;
}

/*
 * Concurrency model. Within a process, every read-modify-write is serialised: votes per (poll,
 * member), poll records per poll, creation per guild. Normally each process owns its guilds
 * (Discord delivers a guild's interactions only to its shard; loadPolls is called for owned guilds).
 * But two processes can briefly own one server (a rolling restart), so the changes that must
 * happen once are compare-and-set on the stored record (PollRegistry.transition): closing, and
 * the claim on posting results; and results count the stored votes, which every process writes.
 * Votes are one key each, so members never contend with each other at all.
 */

/** The state one process keeps about polls, shared by the verb functions (create, vote, close, load…). */
export interface PollRuntime {
  readonly repo: PollRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onChange: PollServiceOptions['onChange'];
  readonly polls: PollRegistry;
  /** Closes and result deliveries under way, per poll: a second call joins the first. */
  readonly closing: Map<string, { guildId: string; done: Promise<Poll> }>;
  /** Per (poll, member): a member's rapid clicks apply in order. */
  readonly voteQueue: KeyedQueue;
  /** Per guild: two simultaneous starts cannot both pass the limit checks. */
  readonly guildQueue: KeyedQueue;
  readonly starts: StartLimiter;
  readonly edits: Coalescer;
  readonly editFailures: Map<string, number>;
  readonly results: ResultsDelivery;
  stopped: boolean;
}

export function createRuntime(options: PollServiceOptions): PollRuntime {
  const { repo, clock, logger } = options;
  // The registry, results and edits call back into the runtime they belong to, only once it exists.
  let rt: PollRuntime | undefined;
  const runtime = (): PollRuntime => rt!;
  const polls = new PollRegistry(repo, (live) => armDeadline(runtime(), live, live.poll.closesAt - clock.now()));
  const results = new ResultsDelivery({ polls, repo, clock, logger, onClose: options.onClose, due: (poll) => void redeliverResults(runtime(), poll) });
  const edits = new Coalescer(clock, options.editIntervalMs ?? 2000, (pollId) => emitChange(runtime(), pollId));
  rt = {
    repo,
    clock,
    logger,
    onChange: options.onChange,
    polls,
    closing: new Map(),
    voteQueue: new KeyedQueue(),
    guildQueue: new KeyedQueue(),
    starts: new StartLimiter(STARTS_PER_MINUTE, MINUTE),
    edits,
    editFailures: new Map(),
    results,
    stopped: false,
  };
  return rt;
}
