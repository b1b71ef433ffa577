import { UserError } from '../errors.js';
import { LivePoll } from './live.js';
import { CLAIM_MS } from '../constants.js';
import type { PollRuntime } from './runtime.js';
import type { Poll } from './types.js';

/** Exactly once: stores the closed status, then delivers the results. Closing a closed poll returns it unchanged. */
export async function closePoll(rt: PollRuntime, guildId: string, pollId: string, by: 'deadline' | 'member', actorId?: string): Promise<Poll> {
  const running = rt.closing.get(pollId);
  if (running) {
    if (running.guildId !== guildId) throw UserError.of('poll.foreign');
    return running.done;
  }
  const done = closeOnce(rt, guildId, pollId, by, actorId).finally(() => rt.closing.delete(pollId));
  rt.closing.set(pollId, { guildId, done });
  return done;
}

/** /poll end: its creator, or a member who can manage messages in its channel, closes it now. */
export async function endPoll(rt: PollRuntime, guildId: string, pollId: string, actorId: string, actorCanManageMessages: boolean): Promise<{ poll: Poll; alreadyClosed: boolean }> {
  const found = await rt.polls.resolve(guildId, pollId);
  const poll = found instanceof LivePoll ? found.poll : found;
  if (poll.creatorId !== actorId && !actorCanManageMessages) {
    throw UserError.of('poll.endNotAllowed');
  }
  if (!(found instanceof LivePoll)) return { poll, alreadyClosed: true };
  return { poll: await closePoll(rt, guildId, pollId, 'member', actorId), alreadyClosed: false };
}

/** Delivers the results of a poll closed earlier whose delivery did not finish, unless one is under way. */
export async function redeliverResults(rt: PollRuntime, poll: Poll): Promise<Poll> {
  const running = rt.closing.get(poll.id);
  if (running) {
    // A retry can come due while the attempt that scheduled it is still finishing (releasing its
    // claim): run it once that attempt ends instead of dropping it, or the results would never post.
    const again = () => rt.results.schedule(poll, 0);
    void running.done.then(again, again);
    return poll;
  }
  // A load running at the same time may have read the record before this process delivered.
  if (rt.polls.closedRecord(poll.id)?.resultsPosted) return poll;
  const done = rt.results.deliver(poll).finally(() => rt.closing.delete(poll.id));
  rt.closing.set(poll.id, { guildId: poll.guildId, done });
  return done;
}

async function closeOnce(rt: PollRuntime, guildId: string, pollId: string, by: 'deadline' | 'member', actorId?: string): Promise<Poll> {
  // A live poll of this guild is marked closing in the call itself: a vote that starts after the
  // close was asked for is refused, however few steps it takes.
  const known = rt.polls.live(pollId);
  const live = known?.poll.guildId === guildId ? known : await rt.polls.resolve(guildId, pollId);
  if (!(live instanceof LivePoll)) return live;
  live.closing = true; // refuses votes still queued; the ones already writing are awaited
  let closed: { poll: Poll; changed: boolean };
  try {
    await live.drain();
    const now = rt.clock.now();
    // Compare-and-set on the stored record: of two processes owning the server, one closes.
    closed = await rt.polls.transition(guildId, pollId, (current) =>
      current.status !== 'open' ? null : { ...current, status: 'closed', closedAt: by === 'deadline' ? Math.min(now, current.closesAt) : now, closedBy: by },
    );
  } catch (error) {
    live.closing = false; // nothing changed; a later close (or the deadline retry) tries again
    throw error;
  }
  if (!closed.changed) return closedElsewhere(rt, live, closed.poll);
  await retire(rt, live, closed.poll);
  rt.logger.info({ pollId, guildId, by, actorId, voters: live.voters.size }, 'poll closed');
  return rt.results.deliver(closed.poll);
}

async function retire(rt: PollRuntime, live: LivePoll, closed: Poll): Promise<void> {
  live.cancelDeadline?.();
  live.cancelDeadline = null;
  rt.polls.retire(live, closed);
  await rt.edits.cancel(closed.id); // onClose renders the final state, after any edit under way
}

/**
 * Another process closed the poll (the other half of a rolling restart) and posts the results:
 * this process stops treating it as open, and looks again once that process's claim could have lapsed.
 */
export async function closedElsewhere(rt: PollRuntime, live: LivePoll, closed: Poll): Promise<Poll> {
  live.closing = true;
  await retire(rt, live, closed);
  rt.logger.info({ pollId: closed.id, guildId: closed.guildId }, 'poll was closed by another process');
  if (!closed.resultsPosted) rt.results.schedule(closed, CLAIM_MS);
  return closed;
}
