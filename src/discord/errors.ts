import { type BotKey, t } from '../i18n/index.js';

/** How a channel that is gone is explained to an admin (in /digest status and /digest set). */
export const CHANNEL_GONE = 'the channel no longer exists';

/**
 * The one table of Discord API errors the bot understands. Each is permanent: retrying the same
 * request can never succeed. `reply` is what a member is told when their interaction hit it;
 * `reason`, where given, is how a failed digest delivery is explained in /digest status (a code
 * without one is retried as if it were transient).
 */
const DISCORD_ERRORS: Readonly<Record<number, { reply: BotKey; reason?: string }>> = {
  10003: { reply: 'discord.unknownChannel', reason: CHANNEL_GONE },
  10008: { reply: 'discord.unknownMessage' },
  50001: { reply: 'discord.missingAccess', reason: "I can't see the channel any more" },
  50013: { reply: 'discord.missingPermissions', reason: "I'm missing a permission in the channel" },
};

/** Discord's code for an unknown channel: fetching it gives this once it is deleted. */
export const UNKNOWN_CHANNEL = 10003;
/** Discord's code for a message that was deleted. */
export const UNKNOWN_MESSAGE = 10008;

/** Reads the numeric Discord error code off an error thrown by discord.js or @discordjs/rest. */
export function discordErrorCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return undefined;
}

/** Whether retrying the request that threw `error` can never succeed (deleted channel or message, lost access). */
export function isPermanentDiscordError(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code !== undefined && code in DISCORD_ERRORS;
}

/** What to tell a member about `error`, in their language, when it is one of Discord's that the table explains. */
export function friendlyDiscordError(error: unknown, locale?: string): string | undefined {
  const code = discordErrorCode(error);
  const key = code === undefined ? undefined : DISCORD_ERRORS[code]?.reply;
  return key && t(locale, key);
}

/** Why a delivery failed for good, in words an admin can act on; undefined when it may be retried. */
export function deliveryFailureReason(error: unknown): string | undefined {
  const code = discordErrorCode(error);
  return code === undefined ? undefined : DISCORD_ERRORS[code]?.reason;
}
