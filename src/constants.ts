/** Values more than one module needs. Discord's own limits that only one module uses stay there. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A Discord id (user, role, channel, guild, application). */
export const SNOWFLAKE = /^\d{17,20}$/;

/** Discord's cap on a command's choices and autocomplete results (and a select menu's options). */
export const MAX_CHOICES = 25;
/** Discord's cap on a choice's name and value. */
export const MAX_CHOICE_LENGTH = 100;
