import { randomBytes } from 'node:crypto';
import { clip } from '../card.js';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HeadlinePoll } from '../story/types.js';
import { inert } from '../text/inert.js';
import { Coalescer } from './coalesce.js';
import { DAY, MINUTE } from './duration.js';
import { type ChannelFilter, openPolls, type PollChoice, type SearchOptions, searchPolls } from './listing.js';
import { LivePoll, tallyOf } from './live.js';
import { KeyedQueue } from './queue.js';
import { StartLimiter } from './start-limit.js';
import { FOREIGN, PollRegistry } from './registry.js';
import { CLAIM_MS, REDELIVER_WINDOW_MS, ResultsDelivery } from './results.js';
import type { PollRepository } from './repository.js';
import type { Poll, PollFields, PollOrigin, Tally } from './types.js';
import { headlineFields, parsePollInput, type PollInput } from './validate.js';

/*
 * Concurrency model. Within a process, every read-modify-write is serialised: votes per (poll,
 * member), poll records per poll, creation per guild. Normally each process owns its guilds
 * (Discord delivers a guild's interactions only to its shard; load() is called for owned guilds).
 * But two processes can briefly own one server (a rolling restart), so the changes that must
 * happen once are compare-and-set on the stored record (PollRegistry.transition): closing, and
 * the claim on posting results; and results count the stored votes, which every process writes.
 * Votes are one key each, so members never contend with each other at all.
 */

export const MAX_OPEN_PER_GUILD = 25;
/** Polls one member may start in one server per minute (a flood of polls buries the discussion). */
export const STARTS_PER_MINUTE = 3;
const MAX_EDIT_RETRIES = 5;
const CLOSE_RETRY_MS = MINUTE;

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
  editIntervalMs?: number;
}

export type VoteKind = 'recorded' | 'changed' | 'unchanged';
export interface VoteResult {
  kind: VoteKind;
  previous: number | null;
  poll: Poll;
}
export interface RetractResult {
  kind: 'retracted' | 'none';
  previous: number | null;
  poll: Poll;
}
export type { PollChoice } from './listing.js';

const CLOSED = 'This poll is closed.';
const RESULTS_PENDING = 'This poll is closed; its results will be posted in this channel shortly.';

export class PollService {
  private readonly repo: PollRepository;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly options: PollServiceOptions;
  private readonly polls: PollRegistry;
  private readonly closing = new Map<string, { guildId: string; done: Promise<Poll> }>();
  private readonly voteQueue = new KeyedQueue();
  private readonly guildQueue = new KeyedQueue();
  private readonly edits: Coalescer;
  private readonly editFailures = new Map<string, number>();
  private readonly results: ResultsDelivery;
  private readonly starts = new StartLimiter(STARTS_PER_MINUTE, MINUTE);
  private stopped = false;

  constructor(options: PollServiceOptions) {
    this.options = options;
    this.repo = options.repo;
    this.clock = options.clock;
    this.logger = options.logger;
    this.polls = new PollRegistry(this.repo, (live) => this.armDeadline(live, live.poll.closesAt - this.clock.now()));
    this.results = new ResultsDelivery({ polls: this.polls, repo: this.repo, clock: this.clock, logger: this.logger, onClose: options.onClose, due: (poll) => void this.redeliver(poll) });
    this.edits = new Coalescer(this.clock, options.editIntervalMs ?? 2000, (pollId) => this.emitChange(pollId));
  }

  // ── creation ──────────────────────────────────────────────────────────────────────────────

  async create(input: PollInput, origin: PollOrigin): Promise<Poll> {
    return this.insert(parsePollInput(input), origin, false);
  }

  async createHeadline(headline: HeadlinePoll, origin: PollOrigin, durationMs?: number): Promise<Poll> {
    return this.insert(headlineFields(headline, durationMs), origin, true);
  }

  async attachMessage(poll: Poll, messageId: string): Promise<Poll> {
    const { poll: attached } = await this.polls.transition(poll.guildId, poll.id, (current) => ({ ...current, messageId }));
    // A member can vote before the message id is known (it arrives with the reply); the edit that
    // vote asked for had no message to change, so render the standings now.
    if ((this.polls.live(poll.id)?.voters.size ?? 0) > 0) this.edits.signal(poll.id);
    return attached;
  }

  private async insert(fields: PollFields, origin: PollOrigin, headline: boolean): Promise<Poll> {
    // Per guild, so two simultaneous /poll create cannot both pass the limit check.
    return this.guildQueue.run(origin.guildId, async () => {
      const now = this.clock.now();
      const starter = `${origin.guildId}:${origin.creatorId}`;
      const again = this.starts.nextAllowed(starter, now);
      if (again !== null) throw new UserError(`You've started ${STARTS_PER_MINUTE} polls in the last minute. You can start another <t:${Math.ceil(again / 1000)}:R>.`);
      const open = (await this.repo.openByGuild(origin.guildId)).filter((p) => p.closesAt > now);
      if (open.length >= MAX_OPEN_PER_GUILD) throw new UserError(`This server already has ${MAX_OPEN_PER_GUILD} open polls; end one with /poll end first.`);
      const poll: Poll = {
        id: await this.newId(),
        ...origin,
        messageId: null,
        question: fields.question,
        note: fields.note ?? null,
        answers: fields.answers,
        headline,
        createdAt: now,
        closesAt: now + fields.durationMs,
        hideResults: fields.hideResults,
        allowChange: fields.allowChange,
        voterRoleId: fields.voterRoleId,
        status: 'open',
        closedAt: null,
        closedBy: null,
        resultsPosted: false,
      };
      await this.repo.claimId(poll.id, poll.guildId);
      await this.repo.save(poll);
      this.starts.record(starter, now);
      this.polls.add(new LivePoll(poll, new Map()));
      this.logger.info({ pollId: poll.id, guildId: poll.guildId }, 'poll created');
      return poll;
    });
  }

  private async newId(): Promise<string> {
    for (;;) {
      const id = randomBytes(4).toString('hex');
      if (!this.polls.live(id) && (await this.repo.guildOf(id)) === undefined) return id;
    }
  }

  // ── voting ────────────────────────────────────────────────────────────────────────────────

  /** Resolves only once the vote is stored, so the caller acknowledges stored votes only. */
  async vote(guildId: string, pollId: string, userId: string, answer: number, memberRoleIds: string[]): Promise<VoteResult> {
    const live = await this.liveOrClosed(guildId, pollId);
    const { poll } = live;
    if (!Number.isInteger(answer) || answer < 0 || answer >= poll.answers.length) throw new UserError("That answer isn't part of this poll.");
    if (poll.voterRoleId !== null && !memberRoleIds.includes(poll.voterRoleId)) {
      throw new UserError(`Only members with the <@&${poll.voterRoleId}> role can vote in this poll.`);
    }
    // Per member: rapid clicks apply in order; other members are not held up.
    return this.voteQueue.run(`${pollId}:${userId}`, async () => {
      if (!live.accepting(this.clock.now())) throw new UserError(CLOSED);
      const previous = live.voters.get(userId) ?? null;
      if (previous === answer) return { kind: 'unchanged', previous, poll: live.poll };
      if (previous !== null && !live.poll.allowChange) {
        throw new UserError(`You already voted for "${clip(inert(live.poll.answers[previous]?.label ?? ''), 60)}", and this poll doesn't allow changing votes.`);
      }
      await live.track(async () => {
        await this.repo.setVote(pollId, userId, answer);
        live.apply(userId, answer);
      });
      this.edits.signal(pollId);
      return { kind: previous === null ? 'recorded' : 'changed', previous, poll: live.poll };
    });
  }

  async retract(guildId: string, pollId: string, userId: string): Promise<RetractResult> {
    const live = await this.liveOrClosed(guildId, pollId);
    return this.voteQueue.run(`${pollId}:${userId}`, async () => {
      if (!live.accepting(this.clock.now())) throw new UserError(CLOSED);
      if (!live.poll.allowChange) throw new UserError("This poll doesn't allow changing votes, so a vote can't be retracted.");
      const previous = live.voters.get(userId) ?? null;
      if (previous === null) return { kind: 'none', previous, poll: live.poll };
      await live.track(async () => {
        await this.repo.deleteVote(pollId, userId);
        live.apply(userId, null);
      });
      this.edits.signal(pollId);
      return { kind: 'retracted', previous, poll: live.poll };
    });
  }

  async tally(poll: Poll): Promise<Tally> {
    const live = this.polls.live(poll.id);
    return live ? live.tally() : tallyOf(poll, await this.repo.votesOf(poll.id));
  }

  async myVote(pollId: string, userId: string): Promise<number | null> {
    const live = this.polls.live(pollId);
    return live ? (live.voters.get(userId) ?? null) : this.repo.getVote(pollId, userId);
  }

  // ── closing ───────────────────────────────────────────────────────────────────────────────

  /** Exactly once: stores the closed status, then calls onClose. Closing a closed poll returns it unchanged. */
  async close(guildId: string, pollId: string, by: 'deadline' | 'member', actorId?: string): Promise<Poll> {
    const running = this.closing.get(pollId);
    if (running) {
      if (running.guildId !== guildId) throw new UserError(FOREIGN);
      return running.done;
    }
    const done = this.closeOnce(guildId, pollId, by, actorId).finally(() => this.closing.delete(pollId));
    this.closing.set(pollId, { guildId, done });
    return done;
  }

  async end(guildId: string, pollId: string, actorId: string, actorCanManageMessages: boolean): Promise<{ poll: Poll; alreadyClosed: boolean }> {
    const found = await this.polls.resolve(guildId, pollId);
    const poll = found instanceof LivePoll ? found.poll : found;
    if (poll.creatorId !== actorId && !actorCanManageMessages) {
      throw new UserError('Only the member who created this poll, or someone with the Manage Messages permission, can end it.');
    }
    if (!(found instanceof LivePoll)) return { poll, alreadyClosed: true };
    return { poll: await this.close(guildId, pollId, 'member', actorId), alreadyClosed: false };
  }

  private async closeOnce(guildId: string, pollId: string, by: 'deadline' | 'member', actorId?: string): Promise<Poll> {
    const live = await this.polls.resolve(guildId, pollId);
    if (!(live instanceof LivePoll)) return live;
    live.closing = true; // refuses votes still queued; the ones already writing are awaited
    let closed: { poll: Poll; changed: boolean };
    try {
      await live.drain();
      const now = this.clock.now();
      // Compare-and-set on the stored record: of two processes owning the server, one closes.
      closed = await this.polls.transition(guildId, pollId, (current) =>
        current.status !== 'open' ? null : { ...current, status: 'closed', closedAt: by === 'deadline' ? Math.min(now, current.closesAt) : now, closedBy: by },
      );
    } catch (error) {
      live.closing = false; // nothing changed; a later close (or the deadline retry) tries again
      throw error;
    }
    await this.retire(live, closed.poll);
    if (!closed.changed) {
      // Another process closed it and posts the results; look again once its claim could have lapsed.
      this.logger.info({ pollId, guildId }, 'poll was closed by another process');
      if (!closed.poll.resultsPosted) this.results.schedule(closed.poll, CLAIM_MS);
      return closed.poll;
    }
    this.logger.info({ pollId, guildId, by, actorId, voters: live.voters.size }, 'poll closed');
    return this.results.deliver(closed.poll);
  }

  private async retire(live: LivePoll, closed: Poll): Promise<void> {
    live.cancelDeadline?.();
    live.cancelDeadline = null;
    this.polls.retire(live, closed);
    await this.edits.cancel(closed.id); // onClose renders the final state, after any edit under way
  }

  // ── start-up, deadlines, shutdown ─────────────────────────────────────────────────────────

  /**
   * For the guilds this process owns: rebuilds open polls' tallies from the stored votes, arms
   * their deadlines, closes (once) polls whose deadline passed while the bot was down, and
   * re-delivers results whose delivery did not finish. Safe to call again.
   */
  async load(guildIds: Iterable<string>): Promise<void> {
    this.stopped = false;
    this.results.start();
    const now = this.clock.now();
    for (const guildId of guildIds) {
      let polls: Poll[];
      try {
        polls = await this.repo.listByGuild(guildId);
      } catch (error) {
        this.logger.error({ err: error, guildId }, 'could not load polls');
        continue;
      }
      await Promise.all(
        polls.map(async (poll) => {
          try {
            if (poll.status === 'open' && poll.closesAt <= now) await this.close(guildId, poll.id, 'deadline');
            else if (poll.status === 'open') await this.polls.resolve(guildId, poll.id);
            else if (!poll.resultsPosted && poll.closedAt !== null && now - poll.closedAt < REDELIVER_WINDOW_MS) await this.redeliver(poll);
          } catch (error) {
            this.logger.error({ err: error, guildId, pollId: poll.id }, 'could not load poll');
          }
        }),
      );
    }
  }

  private async redeliver(poll: Poll): Promise<Poll> {
    // A load running at the same time may have read the record before this process delivered.
    if (this.closing.has(poll.id) || this.polls.closedRecord(poll.id)?.resultsPosted) return poll;
    const done = this.results.deliver(poll).finally(() => this.closing.delete(poll.id));
    this.closing.set(poll.id, { guildId: poll.guildId, done });
    return done;
  }

  /** Cancels every timer and waits for writes under way, so the store can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.results.stop();
    for (const live of this.polls.allLive()) {
      live.cancelDeadline?.();
      live.cancelDeadline = null;
    }
    await this.edits.cancelAll();
    await this.voteQueue.idle();
    await Promise.allSettled([...this.closing.values()].map((c) => c.done));
  }

  private armDeadline(live: LivePoll, ms: number): void {
    if (this.stopped) return;
    live.cancelDeadline?.();
    live.cancelDeadline = this.clock.setTimer(ms, () => {
      live.cancelDeadline = null;
      this.close(live.poll.guildId, live.poll.id, 'deadline').catch((error: unknown) => {
        this.logger.error({ err: error, pollId: live.poll.id }, 'could not close poll at its deadline; retrying');
        if (this.polls.live(live.poll.id) === live) this.armDeadline(live, CLOSE_RETRY_MS);
      });
    });
  }

  // ── listings ──────────────────────────────────────────────────────────────────────────────

  /** A poll of this guild, open or closed; UserError when it is another guild's or gone. */
  async get(guildId: string, pollId: string): Promise<Poll> {
    const found = await this.polls.resolve(guildId, pollId);
    return found instanceof LivePoll ? found.poll : found;
  }

  /** Open polls of this guild in channels `visible` lets through (default: all), newest first. */
  async openPolls(guildId: string, visible?: ChannelFilter): Promise<Poll[]> {
    return openPolls(this.repo, guildId, visible);
  }

  /** Autocomplete choices: matches on id prefix or question text, newest first, at most 25. */
  async search(guildId: string, typed: string, options: SearchOptions = {}): Promise<PollChoice[]> {
    return searchPolls(this.repo, guildId, typed, options);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private async liveOrClosed(guildId: string, pollId: string): Promise<LivePoll> {
    const found = await this.polls.resolve(guildId, pollId);
    if (!(found instanceof LivePoll)) throw new UserError(found.resultsPosted ? CLOSED : RESULTS_PENDING);
    return found;
  }

  private async emitChange(pollId: string): Promise<void> {
    const live = this.polls.live(pollId);
    if (!live || live.closing) return;
    try {
      await this.options.onChange(live.poll, live.tally());
      this.editFailures.delete(pollId);
    } catch (error) {
      // The edge already gave up on permanent failures; anything thrown may pass, so the standings
      // are tried again after the next interval rather than left stale until the next vote.
      const failures = (this.editFailures.get(pollId) ?? 0) + 1;
      this.logger.warn({ err: error, pollId, failures }, 'could not update poll message');
      if (failures < MAX_EDIT_RETRIES) {
        this.editFailures.set(pollId, failures);
        this.edits.signal(pollId);
      } else this.editFailures.delete(pollId);
    }
  }
}
