import { clip } from '../card.js';
import { UserError } from '../errors.js';
import { inert } from '../text/inert.js';
import { answersOf, ballotFor, sameBallot } from './ballot.js';
import { closedElsewhere } from './close.js';
import { LivePoll, tallyOf } from './live.js';
import { closedAnswer } from './results.js';
import { SharedRead } from './shared-read.js';
import type { PollRuntime } from './runtime.js';
import type { Ballot, Poll, Tally } from './types.js';

export type VoteKind = 'recorded' | 'changed' | 'unchanged';
export interface VoteResult {
  kind: VoteKind;
  /** The ballot stored now, and the one it replaced. */
  ballot: Ballot;
  previous: Ballot | null;
  poll: Poll;
}
export interface RetractResult {
  kind: 'retracted' | 'none';
  previous: Ballot | null;
  poll: Poll;
}

/** The labels of a ballot's answers, quoted for a sentence. */
export const ballotLabels = (poll: Poll, ballot: Ballot): string =>
  answersOf(ballot)
    .map((a) => `"${inert(clip(poll.answers[a]?.label ?? '', 60))}"`)
    .join(', ');


/**
 * Stores a member's whole ballot (one answer, or the answers picked on a multiple-choice poll),
 * replacing any earlier one in one write. Resolves only once it is stored, so the caller
 * acknowledges stored votes only.
 */
export function recordVote(rt: PollRuntime, guildId: string, pollId: string, userId: string, picked: number | readonly number[], memberRoleIds: string[]): Promise<VoteResult> {
  // A live poll of this guild is known at once (the common case): no read, no extra step.
  const known = rt.polls.live(pollId);
  if (known && known.poll.guildId === guildId) return voteOn(rt, known, userId, picked, memberRoleIds);
  return openPoll(rt, guildId, pollId).then((live) => voteOn(rt, live, userId, picked, memberRoleIds));
}

/** Not async: the queue's promise is the vote's (a refusal here is a rejected promise, never a throw). */
function voteOn(rt: PollRuntime, live: LivePoll, userId: string, picked: number | readonly number[], memberRoleIds: string[]): Promise<VoteResult> {
  const { poll } = live;
  let ballot: Ballot;
  try {
    ballot = ballotFor(poll, typeof picked === 'number' ? [picked] : picked);
    if (poll.voterRoleId !== null && !memberRoleIds.includes(poll.voterRoleId)) {
      throw UserError.of('poll.voterRoleOnly', { role: poll.voterRoleId });
    }
  } catch (error) {
    return Promise.reject(error as Error);
  }
  // Per member: rapid clicks apply in order; other members are not held up.
  return rt.voteQueue.runNow(`${poll.id}:${userId}`, async () => {
    if (!live.accepting(rt.clock.now())) throw UserError.of('poll.closed');
    const previous = live.voters.get(userId) ?? null;
    if (previous !== null && sameBallot(previous, ballot)) return { kind: 'unchanged', ballot, previous, poll: live.poll };
    if (previous !== null && !live.poll.allowChange) {
      throw UserError.of('poll.alreadyVoted', { answers: ballotLabels(live.poll, previous) });
    }
    await storeVote(rt, live, userId, ballot);
    return { kind: previous === null ? 'recorded' : 'changed', ballot, previous, poll: live.poll };
  });
}

export async function retractVote(rt: PollRuntime, guildId: string, pollId: string, userId: string): Promise<RetractResult> {
  const live = await openPoll(rt, guildId, pollId);
  return rt.voteQueue.run(`${pollId}:${userId}`, async () => {
    if (!live.accepting(rt.clock.now())) throw UserError.of('poll.closed');
    if (!live.poll.allowChange) throw UserError.of('poll.noRetract');
    const previous = live.voters.get(userId) ?? null;
    if (previous === null) return { kind: 'none', previous, poll: live.poll };
    await storeVote(rt, live, userId, null);
    return { kind: 'retracted', previous, poll: live.poll };
  });
}

/**
 * Writes a member's ballot (null: retracted), then moves it in the live tally and asks for an edit.
 * Resolves only once the poll is known to be still open in the store (see storedClose).
 */
export async function storeVote(rt: PollRuntime, live: LivePoll, userId: string, ballot: Ballot | null): Promise<void> {
  const closed = await live.track(writeVote(rt, live, userId, ballot));
  if (closed) {
    await closedElsewhere(rt, live, closed);
    throw UserError.of(closedAnswer(closed, rt.clock.now()));
  }
  rt.edits.signal(live.poll.id);
}

/**
 * The write, the live tally's update and the stored-status check (see storedClose), as the one unit
 * close() waits for; it starts in the caller's step, right after its `accepting` check.
 */
async function writeVote(rt: PollRuntime, live: LivePoll, userId: string, ballot: Ballot | null): Promise<Poll | null> {
  const pollId = live.poll.id;
  if (ballot === null) await rt.repo.deleteVote(pollId, userId);
  else await rt.repo.setVote(pollId, userId, ballot, rt.clock.now());
  live.apply(userId, ballot);
  return storedClose(rt, live);
}

/**
 * The stored record, if another process closed the poll: read after the vote was written, to learn
 * whether the vote will be counted. The other half of a rolling restart may have closed the poll
 * while this process still holds it open, and counted the votes before this one was written; so a
 * vote is acknowledged only when the record still says open after the write (the results, counted
 * after the close, then include it), and refused otherwise. One read is shared by the votes written
 * meanwhile (a burst costs a read or two, not one each). It runs inside the vote's tracked unit, so
 * a close by this process waits for it: a closed record read here is always another process's close.
 */
function storedClose(rt: PollRuntime, live: LivePoll): Promise<Poll | null> {
  if (!live.stored) {
    const { guildId, id } = live.poll;
    live.stored = new SharedRead(() => rt.repo.get(guildId, id).then(closedOrNull));
  }
  return live.stored.get();
}

const closedOrNull = (stored: Poll | undefined): Poll | null => (stored && stored.status !== 'open' ? stored : null);

export async function tallyPoll(rt: PollRuntime, poll: Poll): Promise<Tally> {
  const live = rt.polls.live(poll.id);
  return live ? live.tally() : tallyOf(poll, await rt.repo.votesOf(poll.id));
}

export async function voteOf(rt: PollRuntime, pollId: string, userId: string): Promise<Ballot | null> {
  const live = rt.polls.live(pollId);
  return live ? (live.voters.get(userId) ?? null) : rt.repo.getVote(pollId, userId);
}

/** The live state of an open poll of this guild; a closed one is refused with what happens next. */
function openPoll(rt: PollRuntime, guildId: string, pollId: string): Promise<LivePoll> {
  return rt.polls.resolve(guildId, pollId).then((found) => {
    if (!(found instanceof LivePoll)) throw UserError.of(closedAnswer(found, rt.clock.now()));
    return found;
  });
}
