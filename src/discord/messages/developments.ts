import { LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextDisplayBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../../constants.js';
import { type ClaimStanding, HEADLINE_MAX, type ShownDevelopment, SOURCE_NAME_MAX, URL_MAX } from '../../developments/types.js';
import { type BotKey, t } from '../../i18n/index.js';
import { DEVELOPMENT_STATUSES, type DevelopmentStatus, type StoryPack } from '../../story/types.js';
import { inert } from '../../text/inert.js';
import { encodeCustomId } from '../custom-id.js';
import { pager } from './argue.js';
import { type Block, layoutMessage, type LayoutMessage, separator, smallPrint, text } from './layout.js';

const ACCENT = 0x747f8d;

/** `story:update`: the /story update add form; `story:updates:<page>`: Previous / Next on /story updates. */
export const UPDATE_MODAL_ID = encodeCustomId('story', 'update');
export const updatesPageId = (page: number) => encodeCustomId('story', 'updates', page);
export const UPDATE_FIELD = { headline: 'headline', source: 'source', url: 'url', status: 'status', touches: 'touches' } as const;

const statusKey = (status: DevelopmentStatus): BotKey => `updates.status.${status}`;
const statusWord = (status: DevelopmentStatus, locale?: string): string => t(locale, statusKey(status));

/** A development's own words are its source's (or a moderator's): shown inert, in quotes, attributed. */
const said = (d: ShownDevelopment) => ({ source: inert(d.source.name), headline: inert(d.headline), date: d.date });

/**
 * The central claim's standing in one line. Every wording attributes a development to its source;
 * none states the allegation as fact, and anything short of a confirmation keeps it "an allegation".
 */
export function standingLine(standing: ClaimStanding, locale?: string): string {
  if (standing.kind === 'alleged') return t(locale, 'updates.standing.alleged', { asOf: standing.asOf });
  return t(locale, `updates.standing.${standing.kind}`, { ...said(standing.development), asOf: standing.asOf });
}

/** The one-line "since publication" note on a section or a take that a development touches. */
export function sinceNote(d: ShownDevelopment, locale?: string): string {
  return t(locale, 'updates.since', { ...said(d), status: statusWord(d.status, locale) });
}

/** The message with a small-print line after its first panel (a section's or a take's card). */
export function withNote(message: LayoutMessage, note: string | null): LayoutMessage {
  if (note === null) return message;
  const components = [...message.components];
  components.splice(1, 0, new TextDisplayBuilder().setContent(`-# ${note}`));
  return { ...message, components };
}

/** /story updates: the claim's standing, then the developments newest first, paged. */
export function updatesMessage(standing: ClaimStanding, page: { items: ShownDevelopment[]; page: number; pages: number; total: number }, locale?: string): LayoutMessage {
  const blocks: Block[] = [text(`## ${t(locale, 'updates.title')}`), text(standingLine(standing, locale))];
  if (page.total === 0) blocks.push(separator(), text(t(locale, 'updates.none')));
  for (const d of page.items) {
    const { source, headline } = said(d);
    const origin = d.origin === 'server' ? t(locale, 'updates.serverOrigin', { id: d.id }) : t(locale, 'updates.packOrigin');
    blocks.push(separator(), text(`**${d.date}** · ${statusWord(d.status, locale)}\n“${headline}”`), smallPrint(`${source}: ${inert(d.source.url)}\n${origin}`));
  }
  blocks.push(...pager(page, updatesPageId, locale));
  return layoutMessage([{ kind: 'panel', accent: ACCENT, blocks }]);
}

/**
 * /story update add's form: headline, source name, https link, status, and what it touches
 * (sections and stakeholders in one menu, the first 25). Dated the day it is added.
 */
export function updateModal(pack: StoryPack, locale?: string): ModalBuilder {
  const input = (id: string, max: number, placeholder?: string) => {
    const field = new TextInputBuilder().setCustomId(id).setStyle(TextInputStyle.Short).setMaxLength(max).setRequired(true);
    return placeholder ? field.setPlaceholder(placeholder) : field;
  };
  const status = new StringSelectMenuBuilder()
    .setCustomId(UPDATE_FIELD.status)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(DEVELOPMENT_STATUSES.map((s) => ({ label: statusWord(s, locale), value: s })));
  const targets = [...pack.story.sections.map((s) => ({ label: s.title, value: `section.${s.id}` })), ...pack.stakeholders.map((h) => ({ label: h.name, value: `stakeholder.${h.id}` }))].slice(0, MAX_CHOICES);
  const touches = new StringSelectMenuBuilder()
    .setCustomId(UPDATE_FIELD.touches)
    .setMinValues(0)
    .setMaxValues(targets.length)
    .setRequired(false)
    .addOptions(targets.map((o) => ({ label: o.label.slice(0, MAX_CHOICE_LENGTH), value: o.value })));
  return new ModalBuilder()
    .setCustomId(UPDATE_MODAL_ID)
    .setTitle(t(locale, 'updates.modalTitle').slice(0, 45))
    .addLabelComponents(
      new LabelBuilder().setLabel(t(locale, 'updates.headlineLabel')).setTextInputComponent(input(UPDATE_FIELD.headline, HEADLINE_MAX)),
      new LabelBuilder().setLabel(t(locale, 'updates.sourceLabel')).setTextInputComponent(input(UPDATE_FIELD.source, SOURCE_NAME_MAX)),
      new LabelBuilder().setLabel(t(locale, 'updates.urlLabel')).setTextInputComponent(input(UPDATE_FIELD.url, URL_MAX, 'https://')),
      new LabelBuilder().setLabel(t(locale, 'updates.statusLabel')).setStringSelectMenuComponent(status),
      new LabelBuilder().setLabel(t(locale, 'updates.touchesLabel')).setStringSelectMenuComponent(touches),
    );
}

/** /story update remove's answer: the removed headline, inert. */
export function updateRemovedMessage(headline: string, locale?: string) {
  return { content: t(locale, 'updates.removed', { headline: inert(headline) }), allowedMentions: { parse: [] } };
}
