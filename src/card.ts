/**
 * What the domain renders: plain data (a title, text, named fields, small print, an accent colour), so
 * rendering is tested without Discord. src/discord/messages/ lays a Card out as a Components V2 container.
 */
export interface CardField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Card {
  title: string;
  description?: string;
  fields?: CardField[];
  footer?: string;
  color?: number;
}

export const COLORS = { story: 0x5865f2, take: 0xeb459e, poll: 0xfee75c, digest: 0x57f287, help: 0x99aab5 } as const;

/** Accents that tell stakeholders (and sections) apart at a glance, in order of their place in the pack. */
export const ACCENTS = [0xeb459e, 0x3498db, 0xe67e22, 0x1abc9c, 0x9b59b6, 0xe74c3c, 0xf1c40f, 0x2ecc71] as const;
export const accentAt = (index: number): number => ACCENTS[((index % ACCENTS.length) + ACCENTS.length) % ACCENTS.length]!;

/**
 * Cuts text to `max` characters, marking the cut with "…": at a word boundary, or exactly at `max`
 * with `{ atWord: false }` (a chart's label, a line quoted in a problem).
 */
export function clip(text: string, max: number, { atWord = true }: { atWord?: boolean } = {}): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = atWord ? cut.lastIndexOf(' ') : -1;
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Quotes text as a Markdown block quote, line by line. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** Escapes Markdown so the article's words render exactly as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|]/g, '\\$&').replace(/^([>#-])/gm, '\\$1');
}

/** Whole percentages that add up to 100 (largest remainder), so shares never claim 101%. */
export function wholePercentages(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  for (const { i } of exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i)) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

const BAR_WIDTH = 10;

/** A share as a bar of ten blocks, for standings in text. */
export function bar(percent: number): string {
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** One page of a list, as the lists members page through (/argue top, /story updates) show it. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

/** Page `page` (clamped to the pages there are; at least one, even empty) of `all`, `size` items a page. */
export function paged<T>(all: T[], page: number, size: number): Page<T> {
  const pages = Math.max(Math.ceil(all.length / size), 1);
  const at = Math.min(Math.max(Math.trunc(page), 0), pages - 1);
  return { items: all.slice(at * size, (at + 1) * size), page: at, pages, total: all.length };
}
