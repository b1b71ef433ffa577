import type { Channel, Client, Message } from 'discord.js';
import { isPermanentDiscordError } from './errors.js';

/** How many of a channel's latest messages are searched for a post an interrupted attempt made. */
const RECENT = 50;

/**
 * Whether one of the bot's own recent messages in `channel` matches: how a restarted bot finds
 * what an interrupted attempt already posted. Without Read Message History the bot can't look and
 * finds nothing; Discord's nonce is then the last guard against a second post.
 */
export async function postedRecently(client: Client, channel: Channel | null, matches: (message: Message) => boolean): Promise<boolean> {
  return (await findRecent(client, channel, matches)) !== null;
}

/** The bot's recent message in `channel` that `matches`, or null (see postedRecently). */
export async function findRecent(client: Client, channel: Channel | null, matches: (message: Message) => boolean): Promise<Message | null> {
  if (!channel?.isTextBased() || !('messages' in channel)) return null;
  try {
    const recent = await channel.messages.fetch({ limit: RECENT, cache: false });
    return recent.find((m) => m.author.id === client.user?.id && matches(m)) ?? null;
  } catch (error) {
    if (isPermanentDiscordError(error)) return null;
    throw error;
  }
}
