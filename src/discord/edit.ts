import type { Client, MessageEditOptions } from 'discord.js';

/**
 * Edits one of the bot's earlier messages, found by channel and id (a poll, an argument's card).
 * Nothing happens when the channel is gone or holds no messages; Discord's errors are the caller's.
 */
export async function editPosted(client: Client, channelId: string, messageId: string, options: MessageEditOptions): Promise<void> {
  const channel = await client.channels.fetch(channelId);
  if (channel?.isTextBased()) await channel.messages.edit(messageId, options);
}
