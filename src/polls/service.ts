import type { HeadlinePoll } from '../story/types.js';
import { closePoll, endPoll } from './close.js';
import { attachMessage, startPoll } from './create.js';
import { loadPolls, stopPolls } from './deadlines.js';
import { exportPoll, type PollExport } from './export.js';
import { forgetMember } from './forget.js';
import { type ChannelFilter, openPolls, type PollChoice, type SearchOptions, searchPolls } from './listing.js';
import { LivePoll } from './live.js';
import { createRuntime, type PollRuntime, type PollServiceOptions } from './runtime.js';
import type { Ballot, CastVote, Poll, PollOrigin, Tally } from './types.js';
import { headlineFields, parsePollInput, type PollInput } from './validate.js';
import { recordVote, retractVote, type RetractResult, tallyPoll, type VoteResult, voteOf } from './vote.js';

export { MAX_OPEN_PER_GUILD } from './create.js';
export type { PollExport } from './export.js';
export type { PollChoice } from './listing.js';
export { type PollServiceOptions, STARTS_PER_MINUTE, type StoredVote } from './runtime.js';
export { ballotLabels, type RetractResult, type VoteKind, type VoteResult } from './vote.js';

/**
 * The one object commands and the digest hold for polls: each method is a verb function of its
 * own module (create.ts, vote.ts, close.ts, deadlines.ts, listing.ts) over this process's state.
 */
export class PollService {
  private readonly rt: PollRuntime;
  private readonly onVoteStored: NonNullable<PollServiceOptions['onVoteStored']>;
  /** Reads of a poll's votes for exports under way: members asking at once share one (at 100,000 voters, 1–2 s of the store on SQLite). */
  private readonly exportReads = new Map<string, Promise<CastVote[]>>();

  constructor(options: PollServiceOptions) {
    this.rt = createRuntime(options);
    this.onVoteStored = options.onVoteStored ?? (() => undefined);
  }

  async create(input: PollInput, origin: PollOrigin): Promise<Poll> {
    return startPoll(this.rt, parsePollInput(input), origin, false);
  }

  async createHeadline(headline: HeadlinePoll, origin: PollOrigin, durationMs?: number): Promise<Poll> {
    return startPoll(this.rt, headlineFields(headline, durationMs), origin, true);
  }

  async attachMessage(poll: Poll, messageId: string): Promise<Poll> {
    return attachMessage(this.rt, poll, messageId);
  }

  /** One answer, or the answers picked on a multiple-choice poll (replacing the member's earlier ones). Resolves only once stored. */
  async vote(guildId: string, pollId: string, userId: string, picked: number | readonly number[], memberRoleIds: string[]): Promise<VoteResult> {
    const result = await recordVote(this.rt, guildId, pollId, userId, picked, memberRoleIds);
    if (result.kind !== 'unchanged') this.onVoteStored(result.kind, { poll: result.poll, userId, ballot: result.ballot, previous: result.previous });
    return result;
  }

  async retract(guildId: string, pollId: string, userId: string): Promise<RetractResult> {
    const result = await retractVote(this.rt, guildId, pollId, userId);
    if (result.kind === 'retracted') this.onVoteStored('retracted', { poll: result.poll, userId, ballot: null, previous: result.previous });
    return result;
  }

  async tally(poll: Poll): Promise<Tally> {
    return tallyPoll(this.rt, poll);
  }

  async myVote(pollId: string, userId: string): Promise<Ballot | null> {
    return voteOf(this.rt, pollId, userId);
  }

  /** Exactly once: stores the closed status, then calls onClose. Closing a closed poll returns it unchanged. */
  async close(guildId: string, pollId: string, by: 'deadline' | 'member', actorId?: string): Promise<Poll> {
    return closePoll(this.rt, guildId, pollId, by, actorId);
  }

  async end(guildId: string, pollId: string, actorId: string, actorCanManageMessages: boolean): Promise<{ poll: Poll; alreadyClosed: boolean }> {
    return endPoll(this.rt, guildId, pollId, actorId, actorCanManageMessages);
  }

  /** The poll as a CSV file (see exportPoll), counted from the stored votes of every process. */
  async export(poll: Poll): Promise<PollExport> {
    let reading = this.exportReads.get(poll.id);
    if (!reading) {
      reading = this.rt.repo.castVotes(poll.id).finally(() => this.exportReads.delete(poll.id));
      this.exportReads.set(poll.id, reading);
    }
    return exportPoll(poll, await reading, this.rt.clock.now());
  }

  /** /verdict forget: the member's votes and polls no longer name them (see forget.ts). */
  async forgetMember(guildId: string, userId: string): Promise<void> {
    return forgetMember(this.rt, guildId, userId);
  }

  /** Loads the open polls of the guilds this process owns (see loadPolls). Safe to call again. Returns the guilds whose polls could not be read. */
  async load(guildIds: Iterable<string>): Promise<string[]> {
    return loadPolls(this.rt, guildIds);
  }

  /**
   * Settles once the closes, results deliveries and message edits under way (and those they started
   * meanwhile) have settled: a test moves the clock, then waits for this instead of a while.
   */
  async idle(): Promise<void> {
    for (;;) {
      await this.rt.edits.idle();
      if (this.rt.closing.size === 0) return;
      await Promise.allSettled([...this.rt.closing.values()].map((c) => c.done));
    }
  }

  /** Cancels every timer and waits for writes under way, so the store can be closed after. */
  async stop(): Promise<void> {
    return stopPolls(this.rt);
  }

  /** A poll of this guild, open or closed; UserError when it is another guild's or gone. */
  async get(guildId: string, pollId: string): Promise<Poll> {
    const found = await this.rt.polls.resolve(guildId, pollId);
    return found instanceof LivePoll ? found.poll : found;
  }

  /** Open polls of this guild in channels `visible` lets through (default: all), newest first. */
  async openPolls(guildId: string, visible?: ChannelFilter): Promise<Poll[]> {
    return openPolls(this.rt.repo, guildId, visible);
  }

  /** Autocomplete choices: matches on id prefix or question text, newest first, at most 25. */
  async search(guildId: string, typed: string, options: SearchOptions = {}): Promise<PollChoice[]> {
    return searchPolls(this.rt.repo, guildId, typed, options);
  }
}
