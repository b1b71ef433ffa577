import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readClaimsFile } from '../../src/story/load.js';
import { lintPack } from '../../src/story/lint.js';
import { splitClauses } from '../../src/story/sentences.js';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';

/**
 * The second round of the fact-check (issue 15): hedges judged clause by clause, feelings only in
 * the article's words, curly quotation marks, and sweeping accounts of how the piece sources and
 * hedges. Run against this story's real article and claims.
 */
const DATA = 'data';
const article = readFileSync(join(DATA, 'article.txt'), 'utf8');
const claims = readClaimsFile(DATA, []);
const lint = (text: string) => lintPack([{ file: 'stakeholders.json', field: '[0].nextMove', text }], claims, article).findings.map((f) => f.check);

let pack: PackCopy | undefined;
afterEach(() => {
  pack?.remove();
  pack = undefined;
});
type Holder = Record<string, string>;
const problemsAfter = <T>(file: string, change: (json: T) => void): { dir: string; problems: string[] } => {
  pack = copyPack(DATA);
  pack.edit<T>(file, change);
  return { dir: pack.dir, problems: pack.problems() };
};

describe('hedges and attributions cover their own clause, not the whole sentence', () => {
  it('splits at ", but", ";", ":", " — " and ", and", never inside a quotation', () => {
    expect(splitClauses('The author says A, but B; C: D — E, and F.')).toEqual(['The author says A', 'but B', 'C', 'D', 'E', 'and F.']);
    expect(splitClauses('He said "one, but two; three: four" and left.')).toEqual(['He said "one, but two; three: four" and left.']);
    expect(splitClauses('It calls it “a gut punch, and more”, but stops.')).toEqual(['It calls it “a gut punch, and more”', 'but stops.']);
  });

  it('flags an attributed clause followed by the claim stated flatly', () => {
    expect(lint('The author speculates that xAI could sue the engineer "into the next century", but the code has been seen.')).toEqual(['unhedged-claim']);
    expect(lint('According to the author, xAI would lose its edge: its rival now holds the code.')).toEqual(['unhedged-claim']);
    expect(lint('The leak allegedly happened; the code is gone.')).toEqual(['unhedged-claim']);
    expect(lint('The author is scathing — the code has been seen by OpenAI.')).toEqual(['unhedged-claim']);
    expect(lint('The piece alleges a leak, and the code is now at OpenAI.')).toEqual(['unhedged-claim']);
  });

  it('lets a clause that goes on with the same speaker ("but argues that", "and that") keep the attribution', () => {
    expect(lint('The author speculates that xAI could sue the engineer "into the next century", but argues that, if the allegation is true, "the cat is out of the bag".')).toEqual([]);
    expect(lint('The author argues that OpenAI cannot use the code, and that it should hand the code to the authorities.')).toEqual([]);
    expect(lint('The piece alleges a leak, and says the code went to an executive at OpenAI.')).toEqual([]);
  });

  it('judges "presented as settled" per clause too', () => {
    expect(lint('If the allegation is true, xAI is in trouble, but nothing can undo the leak.')).toEqual(['unhedged-claim', 'claim-as-fact']);
  });
});

describe('feelings only in the article\'s own words', () => {
  it('flags a feeling the article never names, even when the sentence credits the author', () => {
    expect(lint('According to the author, Musk would likely be furious.')).toEqual(['unattributed-feeling']);
    expect(lint('The author suggests Musk would be furious.')).toEqual(['unattributed-feeling']);
    expect(lint('Musk "will likely want to launch him to Mars", so he is furious.')).toEqual(['unattributed-feeling']);
    expect(lint('The author says Musk started xAI partly out of anger at OpenAI.')).toEqual(['unattributed-feeling']);
  });

  it('accepts a feeling in the article\'s words: quoted, or the article\'s own word credited to it', () => {
    expect(lint('The author says Musk was "pissed off at OpenAI".')).toEqual([]);
    expect(lint('The author calls OpenAI "the very entity Musk despises".')).toEqual([]);
    expect(lint('According to the author, Musk despises OpenAI.')).toEqual([]);
    expect(lint('Musk despises OpenAI.')).toEqual(['unattributed-feeling']);
  });

  it('still asks an intention to be credited, in its own clause', () => {
    expect(lint("The author's guess is that his motive was ideology.")).toEqual([]);
    expect(lint('The author calls it a statement, and his motive was ideology.')).toEqual(['unhedged-claim', 'unattributed-feeling']);
  });

  it('catches "Musk would likely be furious" and "Musk\'s anger" put back into the pack', () => {
    const furious =
      'The author speculates that xAI could sue the engineer "into the next century" and that Musk would likely be furious with him, but argues that, if the allegation is true, "the cat is out of the bag".';
    let { dir, problems } = problemsAfter<Holder[]>('stakeholders.json', (h) => {
      h[0]!.nextMove = furious;
    });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${escape(join(dir, 'stakeholders.json'))}: \\[0\\]\\.nextMove: "${escape(furious)}": unattributed-feeling: .*"furious"`))]);
    pack!.remove();

    const anger = 'According to the author, he faces legal battles "that could bankrupt nations" and Musk\'s anger; the author calls the act, if true, "probably illegal".';
    ({ dir, problems } = problemsAfter<Holder[]>('stakeholders.json', (h) => {
      h[2]!.losses = anger;
    }));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${escape(join(dir, 'stakeholders.json'))}: \\[2\\]\\.losses: "${escape(anger)}": unattributed-feeling: .*"anger"`))]);
  });
});

describe('curly quotation marks are quotation marks', () => {
  it('checks a quotation in “…” against the article', () => {
    expect(lint('The author calls it “a stunning betrayal”.')).toEqual(['misquote']);
    expect(lint('The author calls it “a gut punch”.')).toEqual([]);
  });

  it('does not count a hedge inside curly quotation marks as ours', () => {
    expect(lint('The code was sent, “allegedly”.')).toEqual(['unhedged-claim']);
  });
});

describe('sweeping accounts of how the piece sources and hedges', () => {
  it('flags "only unnamed sources" and "hedges throughout", with or without "the claim"', () => {
    expect(lint('It cites only unnamed sources, and the author hedges throughout ("reportedly", "allegedly", "if true").')).toContain('sourcing-generalised');
    expect(lint('The author hedges the claim throughout.')).toContain('sourcing-generalised');
    expect(lint('The piece relies solely on anonymous sources.')).toEqual(['sourcing-generalised']);
    expect(lint('The piece hedges the claim in places ("reportedly") but elsewhere states it flatly ("The code has been seen").')).not.toContain('sourcing-generalised');
  });

  it('catches the first finding put back without the words "the claim"', () => {
    const sentence = 'It cites only unnamed sources, and the author hedges throughout ("reportedly", "allegedly", "if true").';
    const { dir, problems } = problemsAfter<{ summary: { detailed: string } }>('story.json', (s) => {
      const paragraphs = s.summary.detailed.split('\n\n');
      paragraphs[1] = paragraphs[1]!.replace(/ The piece hedges the claim[^]*$/, ` ${sentence}`);
      s.summary.detailed = paragraphs.join('\n\n');
    });
    expect(problems).toContainEqual(expect.stringContaining(`${join(dir, 'story.json')}: summary.detailed: "${sentence}": sourcing-generalised: `));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
