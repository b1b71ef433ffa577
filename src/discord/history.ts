import { type Channel, type Client, type Message, SnowflakeUtil } from 'discord.js';
import { MINUTE } from '../constants.js';
import { isPermanentDiscordError } from './errors.js';

/** Messages per page of a channel's history: Discord's largest page. */
const PAGE = 100;
/** Pages read at most in one search (20,000 messages): beyond, the search gives up instead of reading on for minutes. */
const MAX_PAGES = 200;
/** Searched before `since` too, for a process clock that runs ahead of Discord's. */
const CLOCK_SLACK_MS = 10 * MINUTE;
/** Discord's epoch: no snowflake is older. */
const DISCORD_EPOCH_MS = 1_420_070_400_000;

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
 * newest message: the latest page alone misses a post that a busy channel pushed down. Without
 * Read Message History the bot can't look and finds nothing; Discord's nonce is then the last guard.
 */
export async function findSince(client: Client, channel: Channel | null, since: number, matches: (message: Message) => boolean): Promise<Message | null> {
  if (!channel?.isTextBased() || !('messages' in channel)) return null;
  let after = SnowflakeUtil.generate({ timestamp: Math.max(since - CLOCK_SLACK_MS, DISCORD_EPOCH_MS) }).toString();
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const batch = await channel.messages.fetch({ after, limit: PAGE, cache: false });
      const found = batch.find((m) => m.author.id === client.user?.id && matches(m));
      if (found) return found;
      if (batch.size < PAGE) return null;
      for (const id of batch.keys()) if (BigInt(id) > BigInt(after)) after = id;
    }
    return null;
  } catch (error) {
    if (isPermanentDiscordError(error)) return null;
    throw error;
  }
}
