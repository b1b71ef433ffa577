import { ActionRowBuilder, ButtonBuilder, ButtonStyle, LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { HALF_LIFE_HOURS } from '../../arguments/rank.js';
import { MAX_PER_HOUR, type Page, type RankedArgument, type Side, TEXT_MAX } from '../../arguments/types.js';
import { FORGOTTEN_MEMBER, MAX_CHOICE_LENGTH, MAX_CHOICES } from '../../constants.js';
import { t } from '../../i18n/index.js';
import type { StoryPack } from '../../story/types.js';
import { inert } from '../../text/inert.js';
import { encodeCustomId } from '../custom-id.js';
import { type Block, layoutMessage, type Panel, separator, smallPrint, text } from './layout.js';

const ACCENT = 0x5865f2;
const HIDDEN_ACCENT = 0x99aab5;

/** The author as a mention, or, once they used /verdict forget, words that name no one. */
const authorOf = (authorId: string, locale: string | undefined): string => (authorId === FORGOTTEN_MEMBER ? t(locale, 'argue.forgottenAuthor') : `<@${authorId}>`);

/** `argue:add`: the form's custom_id; its fields. */
export const ARGUE_MODAL_ID = encodeCustomId('argue', 'add');
export const ARGUE_FIELD = { side: 'side', text: 'text', section: 'section' } as const;
/** `argue:up:<argument id>`, `argue:report:<id>`: the card's buttons; `argue:hide:<id>`, `argue:restore:<id>`: the review list's. */
export const upvoteId = (id: string) => encodeCustomId('argue', 'up', id);
export const reportId = (id: string) => encodeCustomId('argue', 'report', id);
export const moderateId = (action: 'hide' | 'restore', id: string) => encodeCustomId('argue', action, id);
/** `argue:top:<side id | all>:<page>` and `argue:review:<page>`: Previous / Next. */
export const topPageId = (side: string | null, page: number) => encodeCustomId('argue', 'top', side ?? 'all', page);
export const reviewPageId = (page: number) => encodeCustomId('argue', 'review', page);

/**
 * /argue add's form: the side (a select: each stance of the verdict, then each stakeholder), the
 * argument, and optionally the section it rests on. A select holds 25 options, so a pack with more
 * sides or sections offers the first 25.
 */
export function argueModal(pack: StoryPack, sides: Side[], locale?: string): ModalBuilder {
  const side = new StringSelectMenuBuilder()
    .setCustomId(ARGUE_FIELD.side)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(sides.slice(0, MAX_CHOICES).map((s) => ({ label: s.label.slice(0, MAX_CHOICE_LENGTH), value: s.id })));
  const section = new StringSelectMenuBuilder()
    .setCustomId(ARGUE_FIELD.section)
    .setMinValues(0)
    .setMaxValues(1)
    .setRequired(false)
    .addOptions(pack.story.sections.slice(0, MAX_CHOICES).map((s) => ({ label: s.title.slice(0, MAX_CHOICE_LENGTH), value: s.id })));
  const input = new TextInputBuilder().setCustomId(ARGUE_FIELD.text).setStyle(TextInputStyle.Paragraph).setMinLength(1).setMaxLength(TEXT_MAX).setRequired(true);
  return new ModalBuilder()
    .setCustomId(ARGUE_MODAL_ID)
    .setTitle(t(locale, 'argue.modalTitle').slice(0, 45))
    .addLabelComponents(
      new LabelBuilder().setLabel(t(locale, 'argue.sideLabel')).setStringSelectMenuComponent(side),
      new LabelBuilder().setLabel(t(locale, 'argue.textLabel')).setDescription(t(locale, 'argue.textHint', { max: TEXT_MAX })).setTextInputComponent(input),
      new LabelBuilder().setLabel(t(locale, 'argue.sectionLabel')).setStringSelectMenuComponent(section),
    );
}

export interface ArgumentLabels {
  side: string;
  section: string | null;
}

/** The link to an argument's card, or null before it is posted. */
export const argumentLink = (r: RankedArgument): string | null => {
  const a = r.argument;
  return a.channelId && a.messageId ? `https://discord.com/channels/${a.guildId}/${a.channelId}/${a.messageId}` : null;
};

/** What an argument says, as every list shows it: the member's text inert, then where it rests. */
function body(r: RankedArgument, labels: ArgumentLabels, locale?: string): string {
  const lines = [`**${labels.side}** · ▲ ${r.upvotes}`, inert(r.argument.text)];
  if (labels.section) lines.push(`-# ${t(locale, 'argue.restsOn', { section: labels.section })}`);
  return lines.join('\n');
}

/** The card posted for an argument, with ▲ (its upvotes) and Report; once hidden, a notice instead. */
export function argumentCard(r: RankedArgument, labels: ArgumentLabels, locale?: string) {
  const a = r.argument;
  if (a.hidden) return layoutMessage([{ kind: 'panel', accent: HIDDEN_ACCENT, blocks: [text(t(locale, 'argue.hiddenCard'))] }]);
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(upvoteId(a.id)).setLabel(`▲ ${r.upvotes}`).setStyle(ButtonStyle.Primary),
    new ButtonBuilder().setCustomId(reportId(a.id)).setLabel(t(locale, 'argue.report')).setStyle(ButtonStyle.Secondary),
  );
  const blocks: Block[] = [text(`### ${t(locale, 'argue.for', { side: labels.side })}`), text(inert(a.text))];
  if (labels.section) blocks.push(smallPrint(t(locale, 'argue.restsOn', { section: labels.section })));
  blocks.push(smallPrint(t(locale, 'argue.postedBy', { author: authorOf(a.authorId, locale), when: `<t:${Math.floor(a.createdAt / 1000)}:R>` })), { kind: 'row', row: buttons });
  return layoutMessage([{ kind: 'panel', accent: ACCENT, blocks }]);
}

/** Previous / Next under a paged list, with "page n of m"; nothing when it fits on one page. */
export function pager(page: Page<unknown>, id: (page: number) => string, locale?: string): Block[] {
  if (page.pages <= 1) return [];
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(id(page.page - 1)).setLabel(t(locale, 'argue.previous')).setStyle(ButtonStyle.Secondary).setDisabled(page.page === 0),
    new ButtonBuilder().setCustomId(id(page.page + 1)).setLabel(t(locale, 'argue.next')).setStyle(ButtonStyle.Secondary).setDisabled(page.page >= page.pages - 1),
  );
  return [smallPrint(t(locale, 'argue.page', { page: page.page + 1, pages: page.pages })), { kind: 'row', row }];
}

/** /argue top: the strongest arguments (of one side, or all), best first, with links to their cards. */
export function topMessage(page: Page<RankedArgument>, side: Side | null, labelsOf: (r: RankedArgument) => ArgumentLabels, locale?: string) {
  const title = side ? t(locale, 'argue.topTitleSide', { side: side.label }) : t(locale, 'argue.topTitle');
  const blocks: Block[] = [text(`## ${title}`)];
  if (page.total === 0) blocks.push(text(t(locale, 'argue.topEmpty')));
  page.items.forEach((r, i) => {
    const place = page.page * page.items.length + i + 1;
    const to = argumentLink(r);
    blocks.push(separator(), text(`${place}. ${body(r, labelsOf(r), locale)}${to ? `\n-# ${to}` : ''}`));
  });
  blocks.push(separator(), smallPrint(t(locale, 'argue.rankNote', { days: HALF_LIFE_HOURS / 24 })), ...pager(page, (p) => topPageId(side?.id ?? null, p), locale));
  const panel: Panel = { kind: 'panel', accent: ACCENT, blocks };
  return layoutMessage([panel]);
}

/** /argue review: reported arguments, then hidden ones, each with Hide or Restore. */
export function reviewMessage(page: Page<RankedArgument>, labelsOf: (r: RankedArgument) => ArgumentLabels, locale?: string) {
  const blocks: Block[] = [text(`## ${t(locale, 'argue.reviewTitle')}`)];
  if (page.total === 0) blocks.push(text(t(locale, 'argue.reviewEmpty')));
  for (const r of page.items) {
    const hidden = r.argument.hidden;
    const button = new ButtonBuilder()
      .setCustomId(moderateId(hidden ? 'restore' : 'hide', r.argument.id))
      .setLabel(t(locale, hidden ? 'argue.restore' : 'argue.hide'))
      .setStyle(hidden ? ButtonStyle.Secondary : ButtonStyle.Danger);
    const status = `-# ${t(locale, 'argue.reports', { count: r.reports })}${hidden ? ` · ${t(locale, 'argue.hiddenTag')}` : ''} · ${authorOf(r.argument.authorId, locale)}`;
    blocks.push(separator(), { kind: 'section', texts: [body(r, labelsOf(r), locale), status], button });
  }
  blocks.push(...pager(page, reviewPageId, locale));
  return layoutMessage([{ kind: 'panel', accent: ACCENT, blocks }]);
}

/** The limit's refusal names when the member may post again. */
export const rateLimitVars = (retryAt: number) => ({ max: MAX_PER_HOUR, when: `<t:${Math.ceil(retryAt / 1000)}:R>` });
