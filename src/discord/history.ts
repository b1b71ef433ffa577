import { type Channel, type Client, type GuildBasedChannel, type Message, PermissionFlagsBits, SnowflakeUtil } from 'discord.js';
import { MINUTE } from '../constants.js';
import { deliveryFailureReason, isPermanentDiscordError } from './errors.js';
import { missingBotPermissions } from './permissions.js';

/** Messages per page of a channel's history: Discord's largest page. */
const PAGE = 100;
/** Pages read at most in one search (20,000 messages): beyond, the search gives up instead of reading on for minutes. */
const MAX_PAGES = 200;
/** Searched before `since` too, for a process clock that runs ahead of Discord's. */
const CLOCK_SLACK_MS = 10 * MINUTE;
/** Discord's epoch: no snowflake is older. */
const DISCORD_EPOCH_MS = 1_420_070_400_000;

/**
 * The bot could not look through the channel's history (no Read Message History, lost access, or
 * more messages than one search reads), so it cannot tell whether an earlier attempt posted: the
 * caller must not post (a second post is what the search is there to prevent) and try again later.
 */
export class HistoryUnreadableError extends Error {
  override name = 'HistoryUnreadableError';
}

/**
 * Throws HistoryUnreadableError when the bot can't see `channel` or read its history. `where` ends
 * the explanation (" in #name", or "").
 */
export function checkHistoryReadable(channel: GuildBasedChannel, where: string): void {
  const missing = missingBotPermissions(channel, [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory]);
  if (missing.length > 0) throw new HistoryUnreadableError(`I'm missing ${missing.join(', ')}${where}`);
}

/**
 * Throws what reading the history threw: a permanent Discord error as HistoryUnreadableError (its
 * reason, or `refused` when the table gives none, then `where`), any other error as it is.
 */
export function throwHistoryError(error: unknown, refused: string, where: string): never {
  if (isPermanentDiscordError(error)) throw new HistoryUnreadableError(`${deliveryFailureReason(error) ?? refused}${where}`);
  throw error;
}

/**
 * Whether one of the bot's own messages posted in `channel` since `since` (epoch ms) matches: how a
 * restarted bot finds what an interrupted attempt already posted, however long it was down and
 * however busy the channel was meanwhile (see findSince).
 */
export async function postedSince(client: Client, channel: Channel | null, since: number, matches: (message: Message) => boolean): Promise<boolean> {
  return (await findSince(client, channel, since, matches)) !== null;
}

/**
 * The bot's message in `channel` posted since `since` that `matches`, or null. Reads the history
 * forward from `since` (a snowflake made from it, as Discord's `after`), a page at a time, to the
 * newest message: the latest page alone misses a post that a busy channel pushed down. Throws
 * HistoryUnreadableError when it cannot look (never "not found": that would post a second time).
 */
export async function findSince(client: Client, channel: Channel | null, since: number, matches: (message: Message) => boolean): Promise<Message | null> {
  if (!channel?.isTextBased() || !('messages' in channel)) return null;
  const name = 'name' in channel && typeof channel.name === 'string' ? ` in #${channel.name}` : '';
  if ('guild' in channel) {
    checkHistoryReadable(channel, name);
  }
  let after = SnowflakeUtil.generate({ timestamp: Math.max(since - CLOCK_SLACK_MS, DISCORD_EPOCH_MS) }).toString();
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const batch = await channel.messages.fetch({ after, limit: PAGE, cache: false });
      const found = batch.find((m) => m.author.id === client.user?.id && matches(m));
      if (found) return found;
      if (batch.size < PAGE) return null;
      for (const id of batch.keys()) if (BigInt(id) > BigInt(after)) after = id;
    }
  } catch (error) {
    throwHistoryError(error, 'Discord refused to list the messages', name);
  }
  throw new HistoryUnreadableError(`more than ${PAGE * MAX_PAGES} messages were posted since${name}`);
}
