/** An error whose message is written for the member who caused it and is safe to show them. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Discord API error codes the bot explains to people, in plain words. */
const FRIENDLY: Record<number, string> = {
  10003: 'That channel no longer exists.',
  10008: 'That message no longer exists.',
  50001: "I can't see that channel. Ask an admin to give me the View Channel permission there.",
  50013: "I'm missing a permission I need here. Ask an admin to check my role's permissions in this channel.",
};

/** Reads the numeric Discord error code off an error thrown by discord.js or @discordjs/rest. */
export function discordErrorCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return undefined;
}

export function friendlyDiscordError(error: unknown): string | undefined {
  const code = discordErrorCode(error);
  return code === undefined ? undefined : FRIENDLY[code];
}
