import { randomBytes } from 'node:crypto';
import { clip } from '../card.js';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HeadlinePoll } from '../story/types.js';
import { Coalescer } from './coalesce.js';
import { DAY, MINUTE } from './duration.js';
import { LivePoll, tallyOf } from './live.js';
import { KeyedQueue } from './queue.js';
import { FOREIGN, PollRegistry } from './registry.js';
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
const MAX_EDIT_RETRIES = 5;
const CLOSE_RETRY_MS = MINUTE;
/** A claim on posting results lapses after this, so another process (or a restart) can take over from a dead one. */
const CLAIM_MS = 2 * MINUTE;
/** Results that failed to post (or to be recorded) are retried after this, doubling up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 30_000;
const RETRY_MAX_MS = 30 * MINUTE;
/** Results of polls closed longer ago than this are not re-posted at start-up (their channel is probably stale). */
const REDELIVER_WINDOW_MS = 7 * DAY;

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
export interface PollChoice {
  id: string;
  name: string;
}

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
  /** Names this process in its claims on posting results. */
  private readonly processId = randomBytes(6).toString('hex');
  private readonly deliveryTimers = new Map<string, () => void>();
  private readonly deliveryFailures = new Map<string, number>();
  /** Results posted whose record failed: only the record is retried, the post never is. */
  private readonly postedUnrecorded = new Set<string>();
  private stopped = false;

  constructor(options: PollServiceOptions) {
    this.options = options;
    this.repo = options.repo;
    this.clock = options.clock;
    this.logger = options.logger;
    this.polls = new PollRegistry(this.repo, (live) => this.armDeadline(live, live.poll.closesAt - this.clock.now()));
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
      const open = (await this.repo.listByGuild(origin.guildId)).filter((p) => p.status === 'open' && p.closesAt > now);
      if (open.length >= MAX_OPEN_PER_GUILD) throw new UserError(`This server already has ${MAX_OPEN_PER_GUILD} open polls; end one with /poll end first.`);
      const poll: Poll = {
        id: await this.newId(),
        ...origin,
        messageId: null,
        question: fields.question,
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
        throw new UserError(`You already voted for "${clip(live.poll.answers[previous]?.label ?? '', 60)}", and this poll doesn't allow changing votes.`);
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
      if (!closed.poll.resultsPosted) this.scheduleDelivery(closed.poll, CLAIM_MS);
      return closed.poll;
    }
    this.logger.info({ pollId, guildId, by, actorId, voters: live.voters.size }, 'poll closed');
    return this.deliver(closed.poll);
  }

  /**
   * Posts the results once: claims the post in the store, counts the stored votes (every process's),
   * calls onClose, records resultsPosted. A failure is retried with backoff while the bot runs; a
   * failed record is retried without posting again.
   */
  private async deliver(poll: Poll): Promise<Poll> {
    if (this.postedUnrecorded.has(poll.id)) return this.markPosted(poll);
    const now = this.clock.now();
    let claim: { poll: Poll; changed: boolean };
    try {
      claim = await this.polls.transition(poll.guildId, poll.id, (current) => {
        const held = current.resultsClaim ?? null;
        if (current.status !== 'closed' || current.resultsPosted || (held && held.by !== this.processId && held.until > now)) return null;
        return { ...current, resultsClaim: { by: this.processId, until: now + CLAIM_MS, attempts: (held?.attempts ?? 0) + 1 } };
      });
    } catch (error) {
      this.retryLater(poll, error, 'could not claim posting the poll results');
      return poll;
    }
    const claimed = claim.poll;
    if (!claim.changed) {
      const held = claimed.resultsClaim;
      if (!claimed.resultsPosted && held) this.scheduleDelivery(claimed, held.until - now); // another process is posting
      return claimed;
    }
    try {
      const tally = tallyOf(claimed, await this.repo.votesOf(claimed.id));
      await this.options.onClose(claimed, tally, { resumed: (claimed.resultsClaim?.attempts ?? 1) > 1 });
    } catch (error) {
      this.retryLater(claimed, error, 'could not deliver poll results');
      await this.releaseClaim(claimed);
      return claimed;
    }
    this.postedUnrecorded.add(claimed.id);
    return this.markPosted(claimed);
  }

  private async markPosted(poll: Poll): Promise<Poll> {
    try {
      const { poll: marked } = await this.polls.transition(poll.guildId, poll.id, (current) => (current.resultsPosted ? null : { ...current, resultsPosted: true, resultsClaim: null }));
      this.postedUnrecorded.delete(poll.id);
      this.deliveryFailures.delete(poll.id);
      this.deliveryTimers.get(poll.id)?.();
      this.deliveryTimers.delete(poll.id);
      return marked;
    } catch (error) {
      this.retryLater(poll, error, 'could not mark poll results as posted');
      return poll;
    }
  }

  /** After a failed attempt, lets anyone (a restart, another process) take over at once; the attempt count stays. */
  private async releaseClaim(poll: Poll): Promise<void> {
    const now = this.clock.now();
    await this.polls
      .transition(poll.guildId, poll.id, (current) => (current.resultsClaim?.by === this.processId ? { ...current, resultsClaim: { ...current.resultsClaim, until: now } } : null))
      .catch((error: unknown) => this.logger.warn({ err: error, pollId: poll.id }, 'could not release the claim on the poll results; it lapses by itself'));
  }

  private retryLater(poll: Poll, error: unknown, what: string): void {
    const failures = (this.deliveryFailures.get(poll.id) ?? 0) + 1;
    this.deliveryFailures.set(poll.id, failures);
    const delay = Math.min(RETRY_MIN_MS * 2 ** (failures - 1), RETRY_MAX_MS);
    const stale = poll.closedAt !== null && this.clock.now() - poll.closedAt >= REDELIVER_WINDOW_MS;
    this.logger.error({ err: error, pollId: poll.id, guildId: poll.guildId, failures, retryInMs: stale ? null : delay }, stale ? `${what}; giving up, the poll closed too long ago` : `${what}; retrying`);
    if (!stale) this.scheduleDelivery(poll, delay);
    else {
      this.deliveryFailures.delete(poll.id);
      this.postedUnrecorded.delete(poll.id);
    }
  }

  private scheduleDelivery(poll: Poll, ms: number): void {
    if (this.stopped) return;
    this.deliveryTimers.get(poll.id)?.();
    this.deliveryTimers.set(
      poll.id,
      this.clock.setTimer(Math.max(ms, 0), () => {
        this.deliveryTimers.delete(poll.id);
        void this.redeliver(poll);
      }),
    );
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
    const done = this.deliver(poll).finally(() => this.closing.delete(poll.id));
    this.closing.set(poll.id, { guildId: poll.guildId, done });
    return done;
  }

  /** Cancels every timer and waits for writes under way, so the store can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.deliveryTimers.values()) cancel();
    this.deliveryTimers.clear();
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

  async openPolls(guildId: string): Promise<Poll[]> {
    return (await this.repo.listByGuild(guildId)).filter((p) => p.status === 'open');
  }

  /** Autocomplete choices: matches on id prefix or question text, newest first, at most 25. */
  async search(guildId: string, typed: string, options: { includeClosed?: boolean } = {}): Promise<PollChoice[]> {
    const needle = typed.trim().toLowerCase();
    const polls = options.includeClosed ? await this.repo.listByGuild(guildId) : await this.openPolls(guildId);
    return polls
      .filter((p) => needle === '' || p.id.startsWith(needle) || p.question.toLowerCase().includes(needle))
      .slice(0, 25)
      .map((p) => ({ id: p.id, name: clip(`${p.status === 'closed' ? '[closed] ' : ''}${p.question}`, 100) }));
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
