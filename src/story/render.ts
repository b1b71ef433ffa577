import { blockQuote, type Card, clip, COLORS, escapeMarkdown } from '../card.js';
import type { Section, Stakeholder, StoryPack } from './types.js';

/** Article text per page: well under the 4096-character description, leaving room for the summary. */
export const PAGE_BUDGET = 3000;

export type SummaryLength = 'short' | 'detailed';

export function renderSummary(pack: StoryPack, length: SummaryLength): Card {
  const { story } = pack;
  const toc = story.sections.map((s, i) => `${i + 1}. ${s.title}`).join('\n');
  return {
    title: clip(story.title, 256),
    description: story.summary[length],
    fields: length === 'detailed' ? [{ name: 'Sections', value: clip(toc, 1024) }] : [],
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

export function sectionPageCount(section: Section): number {
  return paginate(section.paragraphs).length;
}

/** One page of a section: our summary first (page 1 only), then the article's own words. */
export function renderSectionPage(pack: StoryPack, sectionIndex: number, page: number): SectionPage {
  const sections = pack.story.sections;
  const section = sections[sectionIndex];
  if (!section) throw new RangeError(`no section at index ${sectionIndex}`);
  const pages = paginate(section.paragraphs);
  const pageIndex = Math.min(Math.max(page, 0), pages.length - 1);
  const text = escapeMarkdown(pages[pageIndex] ?? '');
  const heading = section.heading ? `**${escapeMarkdown(section.heading)}**\n` : '';
  const summary = pageIndex === 0 ? `**In short:** ${section.summary}\n\n` : '';
  const pageNote = pages.length > 1 ? ` · page ${pageIndex + 1}/${pages.length}` : '';
  return {
    card: {
      title: clip(`${sectionIndex + 1}. ${section.title}`, 256),
      description: `${summary}**The article's words:**\n${blockQuote(`${heading}${text}`)}`,
      footer: `Section ${sectionIndex + 1} of ${sections.length}${pageNote} · ${pack.story.disclaimer}`,
      color: COLORS.story,
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

export function renderContents(pack: StoryPack): Card {
  const lines = pack.story.sections.map((s, i) => `**${i + 1}. ${s.title}** — ${clip(s.summary, 140)}`);
  return {
    title: clip(`Contents: ${pack.story.title}`, 256),
    description: clip(lines.join('\n'), 4096),
    footer: `Pick a section below, or use /story section. ${pack.story.disclaimer}`,
    color: COLORS.story,
  };
}

function quoteLines(pack: StoryPack, holder: Stakeholder): string {
  return holder.quotes
    .map((q) => {
      const title = pack.story.sections.find((s) => s.id === q.section)?.title ?? q.section;
      return `${blockQuote(`“${escapeMarkdown(q.text)}”`)}\n— from *${title}*`;
    })
    .join('\n');
}

export function renderTake(pack: StoryPack, holder: Stakeholder): Card {
  return {
    title: clip(`${holder.emoji} ${holder.name}`, 256),
    description: holder.position,
    fields: [
      { name: 'Stands to gain', value: holder.gains },
      { name: 'Stands to lose', value: holder.losses },
      { name: 'Likely next move', value: holder.nextMove },
      { name: "In the article's words", value: clip(quoteLines(pack, holder), 1024) },
      { name: 'Over to you', value: holder.question },
    ],
    footer: pack.story.disclaimer,
    color: COLORS.take,
  };
}

const COMPARED = [
  ['Position', 'position'],
  ['Stands to gain', 'gains'],
  ['Stands to lose', 'losses'],
  ['Likely next move', 'nextMove'],
] as const;

export function renderCompare(pack: StoryPack, a: Stakeholder, b: Stakeholder): Card {
  return {
    title: clip(`${a.emoji} ${a.name}  vs  ${b.emoji} ${b.name}`, 256),
    fields: COMPARED.flatMap(([label, key]) => [
      { name: clip(`${label}: ${a.name}`, 256), value: clip(a[key], 1024), inline: true },
      { name: clip(`${label}: ${b.name}`, 256), value: clip(b[key], 1024), inline: true },
      // An empty third column keeps each pair on its own row in Discord's three-column layout.
      { name: '\u200b', value: '\u200b', inline: true },
    ]),
    footer: pack.story.disclaimer,
    color: COLORS.take,
  };
}
