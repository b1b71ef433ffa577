import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStoryPack, reconstructArticle } from '../../src/story/load.js';
import { TakeSchema } from '../../src/story/schema.js';
import type { Take } from '../../src/story/types.js';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';

const DATA = 'data';
/** Our words about each stakeholder: every field of the take, whatever it holds. */
const TAKE_FIELDS = Object.keys(TakeSchema.shape) as (keyof Take)[];
const SHARED_ARTICLE = '../shared/story/article.txt';

describe('the story pack in data/', () => {
  const pack = loadStoryPack(DATA);

  it('reproduces data/article.txt exactly when its sections are joined', () => {
    expect(reconstructArticle(pack.story)).toBe(readFileSync(join(DATA, 'article.txt'), 'utf8'));
  });

  it.runIf(existsSync(SHARED_ARTICLE))('carries the published article unchanged', () => {
    expect(readFileSync(join(DATA, 'article.txt'), 'utf8')).toBe(readFileSync(SHARED_ARTICLE, 'utf8'));
  });

  it('gives the fallout paragraphs for each party a section of their own', () => {
    const fors = pack.story.sections.filter((s) => s.paragraphs[0]?.startsWith('For '));
    expect(fors.map((s) => s.paragraphs[0]?.split(':')[0])).toEqual(['For xAI and Elon Musk', 'For OpenAI', 'For the Engineer', 'For you and me']);
  });

  it('has the stakeholders the story needs, each quoting the article verbatim', () => {
    expect(pack.stakeholders.map((h) => h.id)).toEqual(expect.arrayContaining(['xai', 'openai', 'engineer', 'public', 'open-source']));
    for (const holder of pack.stakeholders) {
      for (const quote of holder.quotes) {
        const section = pack.story.sections.find((s) => s.id === quote.section);
        expect(section?.paragraphs.join('\n'), `${holder.id}: "${quote.text}"`).toContain(quote.text);
      }
    }
  });

  it('never states the central allegation without a hedge in our own words', () => {
    const ours = [pack.story.summary.short, pack.story.summary.detailed, ...pack.story.sections.map((s) => s.summary), ...pack.stakeholders.flatMap((h) => TAKE_FIELDS.map((field) => h[field]))];
    const hedge = /alleg|reported|report|if true|the piece|the author|the article|claims?|accus|said to|in the author's view|argues|whisper|apparently/i;
    const sentences = ours.flatMap((t) => t.split(/(?<=[.?!])\s+/));
    const unhedged = sentences.filter((s) => /\b(leaked|stole|handed over|sent (?:xAI|the|its|all))\b/i.test(s) && !hedge.test(s));
    expect(unhedged).toEqual([]);
  });

  it('gets a short version id that changes when the data changes', () => {
    expect(pack.version).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('loading a broken pack', () => {
  let pack: PackCopy | undefined;
  let dir = '';
  const copy = () => {
    pack = copyPack(DATA);
    dir = pack.dir;
    return dir;
  };
  const edit = (file: string, change: (json: Record<string, unknown>) => void) => pack!.edit(file, change);
  const problemsOf = (): string[] => {
    const problems = pack!.problems();
    if (problems.length === 0) throw new Error('expected the pack to be rejected');
    return problems;
  };
  afterEach(() => pack?.remove());

  it('names the file and the field when a field is missing', () => {
    copy();
    edit('story.json', (s) => delete s.disclaimer);
    expect(problemsOf()).toEqual([`${join(dir, 'story.json')}: disclaimer: is missing`]);
  });

  it('lists every problem at once, with its path', () => {
    copy();
    edit('story.json', (s) => {
      const sections = s.sections as Array<Record<string, unknown>>;
      sections[1]!.id = 'Not A Slug';
      sections[2]!.paragraphs = 'one string';
    });
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.stringMatching(/story\.json: sections\[1\]\.id: "Not A Slug" does not match/));
    expect(problems).toContainEqual(expect.stringMatching(/story\.json: sections\[2\]\.paragraphs: expected an array, got a string/));
  });

  it('rejects a section whose text differs from the article by one character', () => {
    copy();
    edit('story.json', (s) => {
      const sections = s.sections as Array<{ paragraphs: string[] }>;
      sections[1]!.paragraphs[0] = sections[1]!.paragraphs[0]!.replace('Rohan', 'Rohin');
    });
    expect(problemsOf()).toEqual([expect.stringMatching(/sections: joined, they do not reproduce article\.txt: line \d+ differs/)]);
  });

  it('rejects a quote that is not the article\'s exact words', () => {
    copy();
    edit('stakeholders.json', (h) => {
      const holders = h as unknown as Array<{ quotes: Array<{ text: string }> }>;
      holders[0]!.quotes[0]!.text = 'words the article never used';
    });
    expect(problemsOf()).toEqual([expect.stringMatching(/stakeholders\.json: \[0\]\.quotes\[0\]\.text: is not the article's exact words/)]);
  });

  it('reports a file that is not JSON, or is missing', () => {
    copy();
    writeFileSync(join(dir, 'poll.json'), '{ "question": ');
    rmSync(join(dir, 'stakeholders.json'));
    const problems = problemsOf();
    expect(problems).toContainEqual(`${join(dir, 'stakeholders.json')}: is missing`);
    expect(problems).toContainEqual(expect.stringMatching(/poll\.json: is not valid JSON/));
  });

  it('rejects duplicate poll answers and too few of them', () => {
    copy();
    edit('poll.json', (p) => {
      p.answers = [{ label: 'Yes', emoji: '👍' }];
    });
    expect(problemsOf()).toEqual([expect.stringMatching(/poll\.json: answers: expected 2 to 10 items, got 1/)]);
  });
});
