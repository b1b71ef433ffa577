import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStoryPack, readClaimsFile, reconstructArticle } from '../../src/story/load.js';
import { lintPack, ourTexts } from '../../src/story/lint.js';
import { splitSentences } from '../../src/story/sentences.js';
import type { ClaimsFile } from '../../src/story/types.js';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';

const DATA = 'data';

// The three main findings of the fact-check, exactly as they stood in the pack at 9a4b742.
const OLD = {
  detailedSentence: 'It cites only unnamed sources, and the author hedges the claim throughout ("reportedly", "allegedly", "if true").',
  xaiNextMove:
    'The author speculates that xAI could sue the engineer "into the next century" and that Musk would likely be furious with him, but argues that legal action cannot change the fact that the code has been seen. The article does not report what xAI actually intends to do.',
  openSourceLosses:
    "The article does not say. A question the piece leaves open: does an allegedly illegal leak, which by the article's account went to another company rather than to the public, help or hurt the case for openness?",
};

let pack: PackCopy | undefined;
let dir = '';
const copy = () => {
  pack = copyPack(DATA);
  dir = pack.dir;
};
const edit = <T>(file: string, change: (json: T) => void) => pack!.edit<T>(file, change);
type Holder = Record<string, string>;
const problemsOf = (): string[] => pack!.problems();
afterEach(() => {
  pack?.remove();
  pack = undefined;
  dir = '';
});

describe('the claim lint on the pack in data/', () => {
  it('finds nothing to flag, and uses every exemption it declares', () => {
    const pack = loadStoryPack(DATA);
    const claims = readClaimsFile(DATA, []);
    expect(claims?.claims.map((c) => c.id)).toEqual(['leak', 'recipient', 'motive']);
    const result = lintPack(ourTexts(pack.story, pack.stakeholders, pack.headlinePoll), claims, reconstructArticle(pack.story));
    expect(result.findings).toEqual([]);
    expect(result.stale).toEqual([]);
  });
});

describe('the three main findings, put back, are caught with file, field and sentence', () => {
  it('the false account of the sourcing in the detailed summary', () => {
    copy();
    edit<{ summary: { detailed: string } }>('story.json', (s) => {
      const paragraphs = s.summary.detailed.split('\n\n');
      paragraphs[1] = paragraphs[1]!.replace(/ The piece hedges the claim[^]*$/, ` ${OLD.detailedSentence}`);
      s.summary.detailed = paragraphs.join('\n\n');
    });
    expect(problemsOf()).toContainEqual(expect.stringContaining(`${join(dir, 'story.json')}: summary.detailed: "${OLD.detailedSentence}": unhedged-claim: mentions the allegation "leak"`));
  });

  it('"cannot change the fact that the code has been seen", although the sentence credits the author (and "furious", which the article never says)', () => {
    copy();
    edit<Holder[]>('stakeholders.json', (h) => {
      h[0]!.nextMove = OLD.xaiNextMove;
    });
    const sentence = OLD.xaiNextMove.split('. The article')[0]!;
    expect(problemsOf()).toEqual([
      `${join(dir, 'stakeholders.json')}: [0].nextMove: "${sentence}.": claim-as-fact: presents the allegation "leak" (via "the code") as settled ("cannot change"); an attribution does not make it less so: hedge it ("if true", "allegedly") or quote the article`,
      `${join(dir, 'stakeholders.json')}: [0].nextMove: "${sentence}.": unattributed-feeling: speaks of someone's feelings ("furious") in words the article does not use; quote the article's own words for it, or leave it out`,
    ]);
  });

  it('our question credited to the piece', () => {
    copy();
    edit<Holder[]>('stakeholders.json', (h) => {
      h[4]!.losses = OLD.openSourceLosses;
    });
    const sentence = OLD.openSourceLosses.replace('The article does not say. ', '');
    expect(problemsOf()).toEqual([expect.stringMatching(new RegExp(`^${escape(join(dir, 'stakeholders.json'))}: \\[4\\]\\.losses: "${escape(sentence)}": question-credited: `))]);
  });

  it('the same question marked as ours passes', () => {
    copy();
    edit<Holder[]>('stakeholders.json', (h) => {
      h[4]!.losses = OLD.openSourceLosses.replace('A question the piece leaves open', 'A question for the channel');
    });
    expect(problemsOf()).toEqual([]);
  });
});

describe('the escape for sentences about a claim', () => {
  it('flags an exempted sentence again once its exemption is removed', () => {
    copy();
    edit<ClaimsFile>('claims.json', (c) => {
      c.exemptions = c.exemptions.filter((e) => e.field !== 'sections[0].title');
    });
    expect(problemsOf()).toEqual([expect.stringContaining(`${join(dir, 'story.json')}: sections[0].title: "The claim": unhedged-claim`)]);
  });

  it('reports an exemption that no longer matches a finding, so exemptions cannot rot', () => {
    copy();
    edit<{ sections: Array<{ title: string }> }>('story.json', (s) => {
      s.sections[0]!.title = 'The allegation';
    });
    expect(problemsOf()).toEqual([expect.stringMatching(/claims\.json: exemptions: the exemption for story\.json sections\[0\]\.title "The claim" \(unhedged-claim\) matches no finding/)]);
  });

  it('exempts only the checks it names, and never a misquote', () => {
    copy();
    edit<ClaimsFile>('claims.json', (c) => {
      c.exemptions[1]!.checks = ['misquote' as never];
      c.exemptions[2]!.why = '';
    });
    const problems = problemsOf();
    expect(problems).toContainEqual(expect.stringMatching(/claims\.json: exemptions\[1\]\.checks\[0\]: expected one of unhedged-claim, claim-as-fact, question-credited, unattributed-feeling, sourcing-generalised, got "misquote"/));
    expect(problems).toContainEqual(expect.stringMatching(/claims\.json: exemptions\[2\]\.why: expected a non-empty string/));
  });

  it('lists what it exempted, with the reason', () => {
    const pack = loadStoryPack(DATA);
    const result = lintPack(ourTexts(pack.story, pack.stakeholders, pack.headlinePoll), readClaimsFile(DATA, []), reconstructArticle(pack.story));
    expect(result.exempted.map((e) => `${e.finding.field}: ${e.finding.sentence}`)).toContain('sections[0].title: The claim');
    expect(result.exempted.every((e) => e.why.length > 0)).toBe(true);
  });

  it('still loads a pack without claims.json (the claim checks do not run; validate-data warns)', () => {
    copy();
    rmSync(join(dir, 'claims.json'));
    expect(problemsOf()).toEqual([]);
  });

  it('validate-data warns on stderr, before anything else, when claims.json is missing', () => {
    copy();
    rmSync(join(dir, 'claims.json'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/story/validate-cli.ts', dir], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(`WARNING: ${join(dir, 'claims.json')} is missing, so no sentence was checked for unhedged claims or claims stated as fact (unhedged-claim, claim-as-fact); declare the story's claims there (see data/README.md).`);
    expect(run.stdout).toContain(`${dir}: valid`);
  }, 30_000);
});

describe('sentence by sentence', () => {
  const claims: ClaimsFile = {
    claims: [
      { id: 'leak', kind: 'allegation', statement: 'x', signals: ['leak*', 'the code'] },
      { id: 'motive', kind: 'opinion', statement: 'y', signals: ['motive*'] },
    ],
    exemptions: [],
  };
  const article = 'He allegedly sent the code. The code has been seen. Elon Musk will likely want to launch him to Mars. Who gets to own the future?';
  const lint = (text: string) => lintPack([{ file: 'stakeholders.json', field: '[0].gains', text }], claims, article).findings.map((f) => f.check);

  it('splits sentences but never inside a quotation', () => {
    expect(splitSentences('He said "One. Two." Then he left. Why? "Who gets to own the future?" he asks.\nNext')).toEqual(['He said "One. Two."', 'Then he left.', 'Why?', '"Who gets to own the future?" he asks.', 'Next']);
  });

  it('does not count a hedge that only appears inside the article\'s quoted words', () => {
    expect(lint('The leak happened, "allegedly".')).toEqual(['unhedged-claim']);
    expect(lint('The leak allegedly happened.')).toEqual([]);
    expect(lint('According to the author, the leak happened.')).toEqual([]);
  });

  it('accepts only an attribution for the author\'s opinion, not a hedge', () => {
    expect(lint('His reported motive was ideology.')).toEqual(['unhedged-claim', 'unattributed-feeling']);
    expect(lint("The author's guess is that his motive was ideology.")).toEqual([]);
  });

  it('flags feelings in words the article does not use, even when credited to the author', () => {
    expect(lint('Musk would likely be furious.')).toEqual(['unattributed-feeling']);
    expect(lint('The author suggests Musk would be furious.')).toEqual(['unattributed-feeling']);
    expect(lint('Musk "will likely want to launch him to Mars", so he is furious.')).toEqual(['unattributed-feeling']);
    expect(lint('Musk is furious "at the engineer".')).toEqual(['misquote', 'unattributed-feeling']);
  });

  it('flags intentions in our voice unless the article is cited', () => {
    expect(lint('Musk wants to launch him to Mars.')).toEqual(['unattributed-feeling']);
    expect(lint('The author jokes that Musk wants to launch him to Mars.')).toEqual([]);
    expect(lint('Musk "will likely want to launch him to Mars".')).toEqual([]);
  });

  it('accepts a question credited to the piece when the article\'s own question is quoted', () => {
    expect(lint('The piece asks who should own AI.')).toEqual(['question-credited']);
    expect(lint('The piece asks "Who gets to own the future?"')).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
