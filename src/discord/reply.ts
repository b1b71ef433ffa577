import { type InteractionReplyOptions, type InteractionUpdateOptions, type Message, type MessageComponentInteraction, MessageFlags, type RepliableInteraction } from 'discord.js';

/** The one spelling of "only the caller sees it". */
const PRIVATE = { flags: MessageFlags.Ephemeral } as const;

/**
 * A reply's content; who sees it is decided by the command's visibility, not by the message. The one
 * flag a message brings is its layout (Components V2), which the visibility is added to.
 */
export type ReplyMessage = Omit<InteractionReplyOptions, 'flags' | 'withResponse'> & { flags?: MessageFlags.IsComponentsV2 };

/** The message with the caller-only flag added when asked for, keeping its own layout flag. */
export function withVisibility(message: ReplyMessage, ephemeral: boolean): InteractionReplyOptions {
  const flags: Array<MessageFlags.IsComponentsV2 | MessageFlags.Ephemeral> = [];
  if (message.flags !== undefined) flags.push(message.flags);
  if (ephemeral) flags.push(MessageFlags.Ephemeral);
  return { ...message, flags };
}

/** The flags for a reply that only the caller sees, when asked for. */
export function visibility(ephemeral: boolean): { flags?: MessageFlags.Ephemeral } {
  return ephemeral ? PRIVATE : {};
}

/** Answers only the caller, whether or not the interaction was already acknowledged. */
export async function replyPrivately(interaction: RepliableInteraction | MessageComponentInteraction, message: string | ReplyMessage): Promise<void> {
  const payload = { ...withVisibility(typeof message === 'string' ? { content: message } : message, true), allowedMentions: { parse: [] } };
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

/** Whether a message was shown to one member only. */
export function isPrivate(message: Message): boolean {
  return message.flags.has(MessageFlags.Ephemeral);
}

/**
 * A page turn: the member who ran the command turns the pages of their own message (or of a private
 * one); anyone else gets the page privately, so one member can't flip a shared message under everyone
 * else. `update` is what the message is updated with, when it differs from the page shown privately.
 */
export async function updateOwnOrReplyPrivately(
  interaction: MessageComponentInteraction,
  message: ReplyMessage,
  update: InteractionUpdateOptions = message,
): Promise<void> {
  const owner = interaction.message.interactionMetadata?.user.id;
  if (owner === interaction.user.id || isPrivate(interaction.message)) await interaction.update(update);
  else await replyPrivately(interaction, message);
}
