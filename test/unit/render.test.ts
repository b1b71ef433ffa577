import { describe, expect, it } from 'vitest';
import { renderHelp } from '../../src/discord/messages/help.js';
import { commands } from '../../commands/index.js';
import type { Card } from '../../src/card.js';
import { toEmbed } from '../../src/discord/messages/embed.js';
import { loadStoryPack } from '../../src/story/load.js';
import { paginate, PAGE_BUDGET, renderCompare, renderContents, renderSectionPage, renderSummary, renderTake, sectionPageCount } from '../../src/story/render.js';

const pack = loadStoryPack('data');

/** All the text Discord counts towards the 6000-character total of a message's embeds. */
function embedLength(card: Card): number {
  const json = toEmbed(card).toJSON(); // the builder throws on any per-field limit
  return (json.title?.length ?? 0) + (json.description?.length ?? 0) + (json.footer?.text.length ?? 0) + (json.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

describe('rendering stays within Discord limits', () => {
  const cards: Array<[string, Card]> = [
    ['summary short', renderSummary(pack, 'short')],
    ['summary detailed', renderSummary(pack, 'detailed')],
    ['contents', renderContents(pack)],
    ['help', renderHelp(commands, pack)],
    ...pack.story.sections.flatMap((s, i) => Array.from({ length: sectionPageCount(s) }, (_, p): [string, Card] => [`section ${s.id} page ${p}`, renderSectionPage(pack, i, p).card])),
    ...pack.stakeholders.map((h): [string, Card] => [`take ${h.id}`, renderTake(pack, h)]),
    ...pack.stakeholders.flatMap((a) => pack.stakeholders.filter((b) => b !== a).map((b): [string, Card] => [`compare ${a.id}/${b.id}`, renderCompare(pack, a, b)])),
  ];

  it.each(cards)('%s', (_name, card) => {
    expect(embedLength(card)).toBeLessThanOrEqual(6000);
  });
});

describe('section pages', () => {
  it('keep a long paragraph whole across pages, each page within budget', () => {
    const long = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} says something.`).join(' ');
    const pages = paginate(['Short opening.', long, 'Short close.']);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(PAGE_BUDGET);
    expect(pages.join(' ').replace(/\s+/g, ' ')).toBe(['Short opening.', long, 'Short close.'].join(' '));
  });

  it('put our summary on the first page and the article text after it, quoted exactly', () => {
    const index = pack.story.sections.findIndex((s) => s.id === 'what-happened');
    const section = pack.story.sections[index]!;
    const { card } = renderSectionPage(pack, index, 0);
    expect(card.description).toContain(section.summary);
    // The article's words appear unchanged (only block-quote markers are added).
    expect(card.description?.replace(/^> /gm, '')).toContain(section.paragraphs[0]);
  });

  it('clamp a page number past the end to the last page', () => {
    expect(renderSectionPage(pack, 0, 99).page).toBe(sectionPageCount(pack.story.sections[0]!) - 1);
  });
});

describe('takes', () => {
  it('name the section each quote comes from', () => {
    const holder = pack.stakeholders.find((h) => h.id === 'openai')!;
    const field = renderTake(pack, holder).fields?.find((f) => f.name === "In the article's words");
    const section = pack.story.sections.find((s) => s.id === holder.quotes[0]!.section)!;
    expect(field?.value).toContain(`— from *${section.title}*`);
  });

  it('compare two stakeholders field by field', () => {
    const [a, b] = pack.stakeholders;
    const names = renderCompare(pack, a!, b!).fields?.map((f) => f.name).filter((n) => n !== '\u200b');
    expect(names).toEqual(['Position', 'Stands to gain', 'Stands to lose', 'Likely next move'].flatMap((l) => [`${l}: ${a!.name}`, `${l}: ${b!.name}`]));
  });
});
