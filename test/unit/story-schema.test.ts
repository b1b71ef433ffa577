import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaimsFileSchema, HeadlinePollSchema, parseFile, StakeholdersSchema, StorySchema } from '../../src/story/schema.js';
import { fieldTable, withFieldTables } from '../../src/story/schema-doc.js';

const README = 'data/README.md';
const data = (file: string): unknown => JSON.parse(readFileSync(`data/${file}`, 'utf8'));

describe('data/README.md', () => {
  it('carries the field tables the schema produces (run `npm run docs:data` after changing src/story/schema.ts)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withFieldTables(readme)).toBe(readme);
  });

  it('is caught when a documented limit drifts from the schema', () => {
    const readme = readFileSync(README, 'utf8');
    const drifted = readme.replace('| `title` | text | ≤ 256 characters |', '| `title` | text | ≤ 300 characters |');
    expect(drifted).not.toBe(readme);
    expect(withFieldTables(drifted)).toBe(readme);
  });

  it('names every stakeholder field and its limit', () => {
    const table = fieldTable('stakeholders.json');
    for (const field of ['id', 'name', 'emoji', 'position', 'gains', 'losses', 'nextMove', 'question', 'quotes', 'quotes[].section', 'quotes[].text']) expect(table).toContain(`| \`${field}\` |`);
    expect(table).toContain('| `nextMove` | text | ≤ 700 characters |');
  });
});

describe('the story pack schema', () => {
  const problems = (schema: Parameters<typeof parseFile>[0], value: unknown) => parseFile(schema, value, 'f.json').problems;

  it('accepts the pack in data/', () => {
    expect(problems(StorySchema, data('story.json'))).toEqual([]);
    expect(problems(StakeholdersSchema, data('stakeholders.json'))).toEqual([]);
    expect(problems(HeadlinePollSchema, data('poll.json'))).toEqual([]);
    expect(problems(ClaimsFileSchema, data('claims.json'))).toEqual([]);
  });

  it('words each problem as file, field path, then what is wrong', () => {
    const story = data('story.json') as { title: string; source: string; summary: unknown; sections: Array<{ id: string; heading: unknown }> };
    story.title = 'x'.repeat(257);
    story.source = '  ';
    story.sections[1]!.id = story.sections[0]!.id;
    story.sections[2]!.heading = 7;
    expect(problems(StorySchema, story).sort()).toEqual(
      [
        'f.json: title: is 257 characters long, the limit is 256',
        'f.json: source: expected a non-empty string, got a blank string',
        'f.json: sections[2].heading: expected a non-empty string, got a number',
        `f.json: sections: id "${story.sections[0]!.id}" is used twice`,
      ].sort(),
    );
    expect(problems(StorySchema, [])).toEqual(['f.json: (top level): expected an object, got an array']);
  });

  it('names the allowed values of a choice, and the count of a list', () => {
    const claims = data('claims.json') as { claims: Array<{ kind: unknown; signals: unknown }> };
    claims.claims[0]!.kind = 'fact';
    claims.claims[1]!.signals = [];
    expect(problems(ClaimsFileSchema, claims)).toEqual([
      'f.json: claims[0].kind: expected "allegation" or "opinion", got "fact"',
      'f.json: claims[1].signals: expected 1 to 50 items, got 0',
    ]);
  });
});
