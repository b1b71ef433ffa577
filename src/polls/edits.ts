import type { PollRuntime } from './runtime.js';

const MAX_EDIT_RETRIES = 5;

/** Asks the edge to re-render a poll's standings (run by the coalescer, never overlapping). */
export async function emitChange(rt: PollRuntime, pollId: string): Promise<void> {
  const live = rt.polls.live(pollId);
  if (!live || live.closing) return;
  try {
    await rt.onChange(live.poll, live.tally());
    rt.editFailures.delete(pollId);
  } catch (error) {
    // The edge already gave up on permanent failures; anything thrown may pass, so the standings
    // are tried again after the next interval rather than left stale until the next vote.
    const failures = (rt.editFailures.get(pollId) ?? 0) + 1;
    rt.logger.warn({ err: error, pollId, failures }, 'could not update poll message');
    if (failures < MAX_EDIT_RETRIES) {
      rt.editFailures.set(pollId, failures);
      rt.edits.signal(pollId);
    } else rt.editFailures.delete(pollId);
  }
}
