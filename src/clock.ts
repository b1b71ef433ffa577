/**
 * Time as the bot sees it. Everything that waits (poll deadlines, digest ticks) goes through a
 * Clock, so tests drive it with a fake one instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

// setTimeout overflows above 2^31-1 ms (~24.8 days) and fires at once; longer waits are chained.
const MAX_TIMEOUT = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    let handle: NodeJS.Timeout;
    const arm = (left: number) => {
      handle = setTimeout(() => (left > MAX_TIMEOUT ? arm(left - MAX_TIMEOUT) : fn()), Math.min(Math.max(left, 0), MAX_TIMEOUT));
      handle.unref();
    };
    arm(ms);
    return () => clearTimeout(handle);
  },
};

/** The UTC day of an instant, as YYYY-MM-DD. */
export const isoDay = (instant: number): string => new Date(instant).toISOString().slice(0, 10);
