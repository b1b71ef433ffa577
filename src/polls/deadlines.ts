import { MINUTE } from '../constants.js';
import { closePoll, redeliverResults } from './close.js';
import type { LivePoll } from './live.js';
import { REDELIVER_WINDOW_MS } from './results.js';
import type { PollRuntime } from './runtime.js';
import type { Poll } from './types.js';

const CLOSE_RETRY_MS = MINUTE;

/**
 * For the guilds this process owns: rebuilds open polls' tallies from the stored votes, arms
 * their deadlines, closes (once) polls whose deadline passed while the bot was down, and
 * re-delivers results whose delivery did not finish. Safe to call again.
 */
export async function loadPolls(rt: PollRuntime, guildIds: Iterable<string>): Promise<string[]> {
  rt.stopped = false;
  rt.results.start();
  const now = rt.clock.now();
  const unread: string[] = [];
  for (const guildId of guildIds) {
    let polls: Poll[];
    try {
      polls = await rt.repo.listByGuild(guildId);
    } catch (error) {
      rt.logger.error({ err: error, guildId }, 'could not load polls');
      unread.push(guildId);
      continue;
    }
    await Promise.all(
      polls.map(async (poll) => {
        try {
          if (poll.status === 'open' && poll.closesAt <= now) await closePoll(rt, guildId, poll.id, 'deadline');
          else if (poll.status === 'open') await rt.polls.resolve(guildId, poll.id);
          else if (!poll.resultsPosted && poll.closedAt !== null && now - poll.closedAt < REDELIVER_WINDOW_MS) await redeliverResults(rt, poll);
        } catch (error) {
          rt.logger.error({ err: error, guildId, pollId: poll.id }, 'could not load poll');
        }
      }),
    );
  }
  return unread;
}

/** Cancels every timer and waits for writes under way, so the store can be closed after. */
export async function stopPolls(rt: PollRuntime): Promise<void> {
  rt.stopped = true;
  rt.results.stop();
  for (const live of rt.polls.allLive()) {
    live.cancelDeadline?.();
    live.cancelDeadline = null;
  }
  await rt.edits.cancelAll();
  await rt.voteQueue.idle();
  await Promise.allSettled([...rt.closing.values()].map((c) => c.done));
}

/** Closes the poll after `ms`; a close that fails is tried again a minute later while it stays live. */
export function armDeadline(rt: PollRuntime, live: LivePoll, ms: number): void {
  if (rt.stopped) return;
  live.cancelDeadline?.();
  live.cancelDeadline = rt.clock.setTimer(ms, () => {
    live.cancelDeadline = null;
    closePoll(rt, live.poll.guildId, live.poll.id, 'deadline').catch((error: unknown) => {
      rt.logger.error({ err: error, pollId: live.poll.id }, 'could not close poll at its deadline; retrying');
      if (rt.polls.live(live.poll.id) === live) armDeadline(rt, live, CLOSE_RETRY_MS);
    });
  });
}
