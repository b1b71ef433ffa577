import { ActionRowBuilder, ButtonBuilder, ButtonStyle, StringSelectMenuBuilder } from 'discord.js';
import { MAX_CHOICE_LENGTH } from '../../constants.js';
import { type PageRef, renderCompare, renderContents, renderSectionPage, renderSummary, renderTake, type SummaryLength } from '../../story/render.js';
import { renderTopic, type Topic } from '../../story/topics.js';
import type { Stakeholder, StoryPack } from '../../story/types.js';
import { t } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';
import { cardPanel, layoutMessage, type LayoutMessage, smallPrint, text } from './layout.js';

/** `story:page:<pack version>:<section id>:<page>`: opens a page (Previous / Next, Start reading). */
const pageId = (pack: StoryPack, target: PageRef) => encodeCustomId('story', 'page', pack.version, target.sectionId, target.page);

/**
 * The story's messages. `locale` is the reader's Discord language: labels, buttons and small print are
 * written in it; the story pack's text (titles, summaries, takes, the article's words) stays as written.
 */

/** The summary, ending in a section with a button that opens the first section. */
export function summaryMessage(pack: StoryPack, length: SummaryLength, locale?: string): LayoutMessage {
  const first = pack.story.sections[0];
  const start = first
    ? [
        {
          kind: 'section' as const,
          texts: [t(locale, 'story.startWith', { title: first.title })],
          button: new ButtonBuilder().setCustomId(pageId(pack, { sectionId: first.id, page: 0 })).setLabel(t(locale, 'story.startReading')).setStyle(ButtonStyle.Primary),
        },
      ]
    : [];
  return layoutMessage([cardPanel(renderSummary(pack, length, locale), start)]);
}

/** A stakeholder's take, in that stakeholder's accent. */
export const takeMessage = (pack: StoryPack, holder: Stakeholder, locale?: string): LayoutMessage => layoutMessage([cardPanel(renderTake(pack, holder, locale))]);

/** Two stakeholders one above the other, each in its own accent, the same fields in the same order. */
export function compareMessage(pack: StoryPack, a: Stakeholder, b: Stakeholder, locale?: string): LayoutMessage {
  const view = renderCompare(pack, a, b, locale);
  return layoutMessage([text(`## ${view.title}`), ...view.sides.map((side) => cardPanel(side)), smallPrint(view.footer)]);
}

export const topicMessage = (pack: StoryPack, topic: Topic, starter: string, locale?: string): LayoutMessage =>
  layoutMessage([cardPanel(renderTopic(pack, topic, starter, locale))]);

/** One page of a section with ◀ Previous / Next ▶ under it. */
export function sectionMessage(pack: StoryPack, sectionIndex: number, page: number, locale?: string): LayoutMessage {
  const rendered = renderSectionPage(pack, sectionIndex, page, locale);
  // Disabled buttons still need distinct custom_ids within the message.
  const button = (label: string, target: PageRef | null, fallback: string) =>
    new ButtonBuilder()
      .setLabel(label)
      .setStyle(ButtonStyle.Secondary)
      .setCustomId(target ? pageId(pack, target) : encodeCustomId('story', fallback))
      .setDisabled(!target);
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(button(t(locale, 'story.previous'), rendered.prev, 'none-prev'), button(t(locale, 'story.next'), rendered.next, 'none-next'));
  return layoutMessage([cardPanel(rendered.card), { kind: 'row', row }]);
}

/** The table of contents with a menu that opens any section: `story:open:<pack version>`. */
export function contentsMessage(pack: StoryPack, locale?: string): LayoutMessage {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(encodeCustomId('story', 'open', pack.version))
    .setPlaceholder(t(locale, 'story.openSection'))
    .addOptions(pack.story.sections.map((s, i) => ({ label: `${i + 1}. ${s.title}`.slice(0, MAX_CHOICE_LENGTH), value: s.id, description: s.summary.slice(0, MAX_CHOICE_LENGTH) })));
  return layoutMessage([cardPanel(renderContents(pack, locale), [{ kind: 'row', row: new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu) }])]);
}
