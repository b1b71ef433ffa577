import { accentAt, blockQuote, type Card, clip, COLORS, escapeMarkdown } from '../card.js';
import { type BotKey, t } from '../i18n/index.js';
import { sectionSummaryIn, summaryIn, takeIn } from './translations.js';
import { TakeSchema } from './schema.js';
import type { Section, Stakeholder, StoryPack, Take } from './types.js';

/**
 * Article text per page, counted as shown (Markdown escaped): with the longest title (80), heading (256),
 * summary (600) and small print the schema allows, a page stays within a message's 4,000 characters.
 */
export const PAGE_BUDGET = 2600;

export type SummaryLength = 'short' | 'detailed';

/** Labels are in `locale` (the reader's Discord language); the story pack's own text stays as written. */
export function renderSummary(pack: StoryPack, length: SummaryLength, locale?: string): Card {
  const { story } = pack;
  const toc = story.sections.map((s, i) => `${i + 1}. ${s.title}`).join('\n');
  return {
    title: clip(story.title, 256),
    description: summaryIn(pack, length, locale),
    fields: length === 'detailed' ? [{ name: t(locale, 'story.sectionsField'), value: clip(toc, 1024) }] : [],
    footer: `${story.source} · ${story.disclaimer}`,
    color: COLORS.story,
  };
}

/**
 * Splits a section's article text into pages of at most PAGE_BUDGET characters, breaking between
 * paragraphs, and inside a paragraph only between sentences or words when it must.
 */
export function paginate(paragraphs: string[], budget = PAGE_BUDGET): string[] {
  const pieces = paragraphs.flatMap((p) => (p.length <= budget ? [p] : splitLong(p, budget)));
  const pages: string[] = [];
  let page = '';
  for (const piece of pieces) {
    const next = page === '' ? piece : `${page}\n\n${piece}`;
    if (next.length > budget && page !== '') {
      pages.push(page);
      page = piece;
    } else page = next;
  }
  if (page !== '') pages.push(page);
  return pages;
}

function splitLong(text: string, budget: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > budget) {
    const window = rest.slice(0, budget);
    const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
    const cut = sentence > budget / 2 ? sentence + 1 : window.lastIndexOf(' ') > 0 ? window.lastIndexOf(' ') : budget;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return rest === '' ? parts : [...parts, rest];
}

/** A page of a section, by the section's id (as a button carries it). */
export interface PageRef {
  sectionId: string;
  page: number;
}

export interface SectionPage {
  card: Card;
  sectionIndex: number;
  page: number;
  pageCount: number;
  /** Where Previous and Next lead: across page breaks and on into the neighbouring sections; null at either end. */
  prev: PageRef | null;
  next: PageRef | null;
}

/** A section's pages, escaped as they are shown, so the budget counts what Discord counts. */
function pagesOf(section: Section): string[] {
  return paginate(section.paragraphs.map(escapeMarkdown));
}

export function sectionPageCount(section: Section): number {
  return pagesOf(section).length;
}

/** One page of a section: our summary first (page 1 only), then the article's own words. */
export function renderSectionPage(pack: StoryPack, sectionIndex: number, page: number, locale?: string): SectionPage {
  const sections = pack.story.sections;
  const section = sections[sectionIndex];
  if (!section) throw new RangeError(`no section at index ${sectionIndex}`);
  const pages = pagesOf(section);
  const pageIndex = Math.min(Math.max(page, 0), pages.length - 1);
  const text = pages[pageIndex] ?? '';
  const heading = section.heading ? `**${escapeMarkdown(section.heading)}**\n` : '';
  const summary = pageIndex === 0 ? `**${t(locale, 'story.inShort')}** ${sectionSummaryIn(pack, section, locale)}` : undefined;
  const pageNote = pages.length > 1 ? ` · ${t(locale, 'story.pageNote', { page: pageIndex + 1, pages: pages.length })}` : '';
  return {
    card: {
      title: clip(`${sectionIndex + 1}. ${section.title}`, 256),
      ...(summary ? { description: summary } : {}),
      // `>>> ` quotes everything after it: the article's words, marked once rather than line by line.
      fields: [{ name: t(locale, 'story.articleWords'), value: `>>> ${heading}${text}` }],
      footer: `${t(locale, 'story.sectionFooter', { number: sectionIndex + 1, count: sections.length })}${pageNote} · ${pack.story.disclaimer}`,
      color: accentAt(sectionIndex),
    },
    sectionIndex,
    page: pageIndex,
    pageCount: pages.length,
    ...neighbours(sections, sectionIndex, pageIndex, pages.length),
  };
}

function neighbours(sections: readonly Section[], sectionIndex: number, page: number, pages: number): { prev: PageRef | null; next: PageRef | null } {
  const before = sections[sectionIndex - 1];
  const after = sections[sectionIndex + 1];
  const current = sections[sectionIndex]!;
  const prev = page > 0 ? { sectionId: current.id, page: page - 1 } : before ? { sectionId: before.id, page: sectionPageCount(before) - 1 } : null;
  const next = page < pages - 1 ? { sectionId: current.id, page: page + 1 } : after ? { sectionId: after.id, page: 0 } : null;
  return { prev, next };
}

export function renderContents(pack: StoryPack, locale?: string): Card {
  const lines = pack.story.sections.map((s, i) => `**${i + 1}. ${s.title}** — ${clip(sectionSummaryIn(pack, s, locale), 140)}`);
  return {
    title: clip(t(locale, 'story.contentsTitle', { title: pack.story.title }), 256),
    description: clip(lines.join('\n'), 4096),
    footer: `${t(locale, 'story.contentsFooter')} ${pack.story.disclaimer}`,
    color: COLORS.story,
  };
}

function quoteLines(pack: StoryPack, holder: Stakeholder, locale: string | undefined): string {
  return holder.quotes
    .map((q) => {
      const title = pack.story.sections.find((s) => s.id === q.section)?.title ?? q.section;
      return `${blockQuote(`“${escapeMarkdown(q.text)}”`)}\n— ${t(locale, 'take.fromSection', { title })}`;
    })
    .join('\n');
}

type TakeField = keyof Take;
/**
 * A take is shown from its schema (src/story/schema.ts), so a field added to TakeSchema is shown
 * and compared with no change here: the position opens the card, the question closes it after the
 * article's quotes, and every other field sits between them, in the schema's order.
 */
const BETWEEN = (Object.keys(TakeSchema.shape) as TakeField[]).filter((field) => field !== 'position' && field !== 'question');
/** What /take compare puts side by side: everything but the question. */
const COMPARED: readonly TakeField[] = ['position', ...BETWEEN];
/** A take field's label is `take.<field>` in en.json: a field without one fails the type-check here. */
const label = (field: TakeField): BotKey => `take.${field}`;

export function renderTake(pack: StoryPack, original: Stakeholder, locale?: string): Card {
  const holder = takeIn(pack, original, locale);
  return {
    title: clip(`${holder.emoji} ${holder.name}`, 256),
    description: holder.position,
    fields: [
      ...BETWEEN.map((field) => ({ name: t(locale, label(field)), value: holder[field] })),
      { name: t(locale, 'take.quotes'), value: clip(quoteLines(pack, holder, locale), 1024) },
      { name: t(locale, 'take.question'), value: holder.question },
    ],
    footer: pack.story.disclaimer,
    color: accentAt(pack.stakeholders.indexOf(original)),
  };
}

/** Two stakeholders side by side: one card each, in its own accent, the same fields in the same order. */
export interface CompareView {
  title: string;
  sides: [Card, Card];
  footer: string;
}

export function renderCompare(pack: StoryPack, a: Stakeholder, b: Stakeholder, locale?: string): CompareView {
  const side = (h: Stakeholder): Card => {
    const take = takeIn(pack, h, locale);
    return {
      title: clip(`${h.emoji} ${h.name}`, 256),
      fields: COMPARED.map((field) => ({ name: t(locale, label(field)), value: clip(take[field], 1024) })),
      color: accentAt(pack.stakeholders.indexOf(h)),
    };
  };
  return { title: clip(`${a.emoji} ${a.name}  ${t(locale, 'take.versus')}  ${b.emoji} ${b.name}`, 256), sides: [side(a), side(b)], footer: pack.story.disclaimer };
}
