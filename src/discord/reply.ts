import { type InteractionReplyOptions, type Message, type MessageComponentInteraction, MessageFlags, type RepliableInteraction } from 'discord.js';

/** The one spelling of "only the caller sees it". */
const PRIVATE = { flags: MessageFlags.Ephemeral } as const;

/** A reply's content; who sees it is decided by the command's visibility, not by the message. */
export type ReplyMessage = Omit<InteractionReplyOptions, 'flags' | 'withResponse'>;

/** The flags for a reply that only the caller sees, when asked for. */
export function visibility(ephemeral: boolean): { flags?: MessageFlags.Ephemeral } {
  return ephemeral ? PRIVATE : {};
}

/** Answers only the caller, whether or not the interaction was already acknowledged. */
export async function replyPrivately(interaction: RepliableInteraction | MessageComponentInteraction, message: string | ReplyMessage): Promise<void> {
  const payload = { ...(typeof message === 'string' ? { content: message } : message), ...PRIVATE, allowedMentions: { parse: [] } };
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

/** Whether a message was shown to one member only. */
export function isPrivate(message: Message): boolean {
  return message.flags.has(MessageFlags.Ephemeral);
}
