import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type EmbedBuilder, StringSelectMenuBuilder } from 'discord.js';
import { type PageRef, renderCompare, renderContents, renderSectionPage, renderSummary, renderTake, type SummaryLength } from '../../story/render.js';
import { renderTopic, type Topic } from '../../story/topics.js';
import type { Stakeholder, StoryPack } from '../../story/types.js';
import { encodeCustomId } from '../custom-id.js';
import { toEmbed } from './embed.js';

/** A message of embeds only. */
export interface EmbedsMessage {
  embeds: EmbedBuilder[];
}

export const summaryMessage = (pack: StoryPack, length: SummaryLength): EmbedsMessage => ({ embeds: [toEmbed(renderSummary(pack, length))] });
export const takeMessage = (pack: StoryPack, holder: Stakeholder): EmbedsMessage => ({ embeds: [toEmbed(renderTake(pack, holder))] });
export const compareMessage = (pack: StoryPack, a: Stakeholder, b: Stakeholder): EmbedsMessage => ({ embeds: [toEmbed(renderCompare(pack, a, b))] });
export const topicMessage = (pack: StoryPack, topic: Topic, starter: string): EmbedsMessage => ({ embeds: [toEmbed(renderTopic(pack, topic, starter))] });

/** One page of a section with ◀ Previous / Next ▶: `story:page:<pack version>:<section id>:<page>`. */
export function sectionMessage(pack: StoryPack, sectionIndex: number, page: number): EmbedsMessage & { components: ActionRowBuilder<ButtonBuilder>[] } {
  const rendered = renderSectionPage(pack, sectionIndex, page);
  // Disabled buttons still need distinct custom_ids within the message.
  const button = (label: string, target: PageRef | null, fallback: string) =>
    new ButtonBuilder()
      .setLabel(label)
      .setStyle(ButtonStyle.Secondary)
      .setCustomId(target ? encodeCustomId('story', 'page', pack.version, target.sectionId, target.page) : encodeCustomId('story', fallback))
      .setDisabled(!target);
  return {
    embeds: [toEmbed(rendered.card)],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button('◀ Previous', rendered.prev, 'none-prev'), button('Next ▶', rendered.next, 'none-next'))],
  };
}

/** The table of contents with a menu that opens any section: `story:open:<pack version>`. */
export function contentsMessage(pack: StoryPack): EmbedsMessage & { components: ActionRowBuilder<StringSelectMenuBuilder>[] } {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(encodeCustomId('story', 'open', pack.version))
    .setPlaceholder('Open a section…')
    .addOptions(pack.story.sections.map((s, i) => ({ label: `${i + 1}. ${s.title}`.slice(0, 100), value: s.id, description: s.summary.slice(0, 100) })));
  return { embeds: [toEmbed(renderContents(pack))], components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] };
}
