/** Values more than one module needs. Discord's own limits that only one module uses stay there. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A Discord id (user, role, channel, guild, application). */
export const SNOWFLAKE = /^\d{17,20}$/;

/** Discord's cap on a command's choices and autocomplete results (and a select menu's options). */
export const MAX_CHOICES = 25;
/** Discord's cap on a choice's name and value (and a select menu option's label, value and description). */
export const MAX_CHOICE_LENGTH = 100;

/**
 * A claim on a once-only step (posting a poll's results, sending a day's digest) lapses after this,
 * so another process (or a restart) can take over from one that died.
 */
export const CLAIM_MS = 2 * MINUTE;
/** Bookkeeping or a delivery that failed is tried again after this, doubling up to RETRY_MAX_MS. */
export const RETRY_MIN_MS = 30 * SECOND;
export const RETRY_MAX_MS = 30 * MINUTE;
/** What could not be loaded as the bot came online (the store did not answer) is tried again after this, doubling up to START_RETRY_MAX_MS. */
export const START_RETRY_MIN_MS = 15 * SECOND;
export const START_RETRY_MAX_MS = 5 * MINUTE;

/** The wait before the next try after `failures` failures in a row (1, 2, …): `min`, doubling up to `max`. */
export const retryDelay = (failures: number, min = RETRY_MIN_MS, max = RETRY_MAX_MS): number => Math.min(min * 2 ** Math.max(failures - 1, 0), max);

/** What a member's id becomes, after /verdict forget, where a record must keep a value (a poll's creator, an argument's author). */
export const FORGOTTEN_MEMBER = 'forgotten';
