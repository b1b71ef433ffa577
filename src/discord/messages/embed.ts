import { EmbedBuilder } from 'discord.js';
import type { Card } from '../../card.js';

/** Turns a rendered Card into an embed; the builder throws if any Discord limit is exceeded. */
export function toEmbed(card: Card): EmbedBuilder {
  const embed = new EmbedBuilder().setTitle(card.title);
  if (card.description) embed.setDescription(card.description);
  if (card.fields?.length) embed.addFields(card.fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false })));
  if (card.footer) embed.setFooter({ text: card.footer });
  if (card.color !== undefined) embed.setColor(card.color);
  return embed;
}
