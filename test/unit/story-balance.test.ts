import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BALANCE_TOLERANCE, balanceProblems, balanceTable, formatBalanceTable } from '../../src/story/balance.js';
import { loadStoryPack } from '../../src/story/load.js';
import { TakeSchema } from '../../src/story/schema.js';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';

const DATA = 'data';
type Holder = Record<string, unknown>;

describe('balance between the stakeholders in data/', () => {
  const pack = loadStoryPack(DATA);
  const raw = JSON.parse(readFileSync(join(DATA, 'stakeholders.json'), 'utf8')) as Holder[];

  it(`gives every stakeholder the same fields, a question, and a take within ±${BALANCE_TOLERANCE * 100}% of the mean`, () => {
    const rows = balanceTable(pack.stakeholders);
    // Printed on purpose: the table is what a reviewer reads to judge balance.
    console.log(`Balance of the takes (words of our text per field):\n${formatBalanceTable(rows)}`);
    expect(new Set(raw.map((h) => Object.keys(h).sort().join(','))).size).toBe(1);
    expect(pack.stakeholders.every((h) => h.question.endsWith('?'))).toBe(true);
    for (const row of rows) expect(Math.abs(row.deviation), row.id).toBeLessThanOrEqual(BALANCE_TOLERANCE * 100);
    expect(balanceProblems(pack.stakeholders, raw)).toEqual([]);
  });
});

describe('an unbalanced pack', () => {
  let pack: PackCopy | undefined;
  afterEach(() => pack?.remove());
  const problemsAfter = (change: (holders: Holder[]) => void): string[] => {
    pack = copyPack(DATA);
    pack.edit('stakeholders.json', change);
    return pack.problems();
  };

  it('is rejected when one take is much longer than the others, naming it', () => {
    const problems = problemsAfter((h) => {
      // Half the mean take again, spread over the fields: past +25% for this one and not so much that
      // the raised mean pushes the others below -25%, whatever fields the schema has.
      const fields = Object.keys(TakeSchema.shape).filter((field) => field !== 'question');
      const words = (x: Holder) => fields.reduce((n, field) => n + String(x[field]).split(/\s+/).length, 0);
      const target = (0.5 * h.reduce((n, x) => n + words(x), 0)) / h.length;
      const pad = ' The article reports nothing more on this, and the author adds no detail about the company, its staff, its board or its plans here.';
      for (let added = 0, i = 0; added < target; i++) {
        const field = fields[i % fields.length]!;
        h[1]![field] = `${h[1]![field] as string}${pad}`;
        added += pad.trim().split(/\s+/).length;
      }
    });
    expect(problems).toEqual([expect.stringMatching(/stakeholders\.json: \[1\]: the take of "openai" is \d+ words, \+\d+% from the mean of \d+; keep every take within ±25%/)]);
  });

  it('is rejected when one stakeholder has a field the others lack, or no question', () => {
    const problems = problemsAfter((h) => {
      h[2]!.verdict = 'guilty';
      h[3]!.question = 'Tell us what you think.';
    });
    expect(problems).toContainEqual(expect.stringMatching(/stakeholders\.json: \[2\]: has fields the other stakeholders lack \(verdict\)/));
    expect(problems).toContainEqual(expect.stringMatching(/stakeholders\.json: \[3\]\.question: is not a question/));
  });
});
