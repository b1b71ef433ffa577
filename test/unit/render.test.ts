import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { renderDigest } from '../../src/digests/render.js';
import { digestPost } from '../../src/discord/messages/digest.js';
import { helpMessage } from '../../src/discord/messages/help.js';
import type { LayoutMessage } from '../../src/discord/messages/layout.js';
import { compareMessage, contentsMessage, sectionMessage, summaryMessage, takeMessage, topicMessage } from '../../src/discord/messages/story.js';
import { TRANSLATED_LOCALES } from '../../src/i18n/locales.js';
import { loadStoryPack } from '../../src/story/load.js';
import { paginate, PAGE_BUDGET, renderCompare, renderSectionPage, renderTake, sectionPageCount } from '../../src/story/render.js';
import { topics } from '../../src/story/topics.js';
import { checkedPayload } from '../helpers/v2-payload.js';
import { textDisplays } from '../loopback/validate-v2.js';
import { COMPARED_FIELDS, comparedLabels, comparedLabelsToday, knownOnly, VIEW_VALUES, viewLabels, viewLabelsToday } from '../helpers/take-fields.js';

const pack = loadStoryPack('data');

describe('every story message is a valid Components V2 message within its limits, in every language', () => {
  const messages: Array<[string, LayoutMessage]> = ['en', ...TRANSLATED_LOCALES].flatMap((l): Array<[string, LayoutMessage]> => [
    [`${l} summary short`, summaryMessage(pack, 'short', l)],
    [`${l} summary detailed`, summaryMessage(pack, 'detailed', l)],
    [`${l} contents`, contentsMessage(pack, l)],
    [`${l} help`, helpMessage(commands, pack, l)],
    ...pack.story.sections.flatMap((s, i) => Array.from({ length: sectionPageCount(s) }, (_, p): [string, LayoutMessage] => [`${l} section ${s.id} page ${p}`, sectionMessage(pack, i, p, l)])),
    ...pack.stakeholders.map((h): [string, LayoutMessage] => [`${l} take ${h.id}`, takeMessage(pack, h, l)]),
    ...pack.stakeholders.flatMap((a) => pack.stakeholders.filter((b) => b !== a).map((b): [string, LayoutMessage] => [`${l} compare ${a.id}/${b.id}`, compareMessage(pack, a, b, l)])),
    ...topics(pack, l).map((t): [string, LayoutMessage] => [`${l} topic ${t.value}`, topicMessage(pack, t, 'someone', l)]),
  ]);

  it.each(messages)('%s', (_name, message) => {
    const size = checkedPayload(message);
    expect(size.components).toBeLessThanOrEqual(40);
    expect(size.text).toBeLessThanOrEqual(4000);
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
    expect(card.description).toBe(`**In short:** ${section.summary}`);
    // The article's words appear unchanged after one block-quote marker (this section has no Markdown to escape).
    const words = card.fields?.find((f) => f.name === "The article's words")?.value;
    expect(words?.startsWith('>>> ')).toBe(true);
    expect(words).toContain(section.paragraphs[0]);
  });

  it('fit a message whole even with the longest title, heading, summary and small print the schema allows', () => {
    const big = structuredClone(pack);
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 10}`).join(' ').slice(0, n);
    big.story.disclaimer = words(200);
    big.story.sections = Array.from({ length: 25 }, (_, i) => ({ ...pack.story.sections[0]!, id: `s${i}` }));
    const section = big.story.sections[24]!;
    Object.assign(section, { title: words(80), heading: words(256), summary: words(600) });
    // Prose with Markdown characters, which are escaped (and so counted twice) when shown.
    section.paragraphs = Array.from({ length: 90 }, (_, i) => `Paragraph ${i}: the *claims* are _alleged_ and ${words(60)}.`);
    const pages = sectionPageCount(section);
    expect(pages).toBeGreaterThan(2);
    for (const locale of ['en', ...TRANSLATED_LOCALES]) {
      for (let page = 0; page < pages; page++) {
        const message = sectionMessage(big, 24, page, locale);
        expect(checkedPayload(message).text).toBeLessThanOrEqual(4000);
        const card = renderSectionPage(big, 24, page, locale).card;
        // Nothing was clipped to make it fit: the article's words are shown whole.
        expect(textDisplays(message.components.map((c) => c.toJSON()))).toContain(`**${card.fields?.[0]?.name}**\n${card.fields?.[0]?.value}`);
      }
    }
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

  it('show every field of the take schema: the position first, then each field in schema order, the quotes, and the question last', () => {
    for (const holder of pack.stakeholders) {
      const card = renderTake(pack, holder);
      expect(card.description).toBe(holder.position);
      expect(card.fields?.map((f) => f.name)).toEqual(viewLabels());
      expect(knownOnly(card.fields?.map((f) => f.name) ?? [])).toEqual(viewLabelsToday());
      expect(card.fields?.slice(0, VIEW_VALUES.length).map((f) => f.value)).toEqual(VIEW_VALUES.map((field) => holder[field]));
      expect(card.fields?.at(-1)?.value).toBe(holder.question);
    }
  });

  it('compare two stakeholders field by field', () => {
    const [a, b] = pack.stakeholders;
    const view = renderCompare(pack, a!, b!);
    expect(view.sides.map((side) => side.title)).toEqual([a, b].map((h) => `${h!.emoji} ${h!.name}`));
    for (const side of view.sides) {
      expect(side.fields?.map((f) => f.name)).toEqual(comparedLabels());
      expect(knownOnly(side.fields?.map((f) => f.name) ?? [])).toEqual(comparedLabelsToday());
    }
    expect(view.sides[0].fields?.map((f) => f.value)).toEqual(COMPARED_FIELDS.map((field) => a![field]));
    expect(view.sides[0].color).not.toBe(view.sides[1].color);
  });
});

describe('the digest, in every language', () => {
  it('stays a valid Components V2 message within its limits, with the notify button, any day of the story', () => {
    const standings = { pollId: 'a1b2c3d4', question: pack.headlinePoll.question, labels: pack.headlinePoll.answers.map((a) => a.label), counts: pack.headlinePoll.answers.map(() => 123_456), voters: 9_999_999, hidden: false };
    for (const locale of ['en', ...TRANSLATED_LOCALES]) {
      for (let day = 1; day <= Math.max(pack.story.sections.length, pack.stakeholders.length); day++) {
        const content = renderDigest(pack, day, standings, standings.counts.map(() => 1), null, locale);
        expect(content.threadName.length).toBeLessThanOrEqual(100);
        const size = checkedPayload(digestPost(content, 'd-0123456789abcdef', '444444444444444444'));
        expect(size.text).toBeLessThanOrEqual(4000);
      }
    }
  });
});
