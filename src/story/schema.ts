import { z } from 'zod';
import { MAX_CHOICES } from '../constants.js';

/**
 * The story pack's one schema: the types (src/story/types.ts infers them from here), the limits and
 * the problem messages. data/README.md's field tables are generated from it (`npm run docs:data`),
 * and a test fails when they drift. The checks that are not about one field's shape (sections
 * rebuilding article.txt, quotes being verbatim, balance, the claim lint) are code in load.ts,
 * balance.ts and lint.ts.
 */

const ID = /^[a-z0-9-]{1,32}$/;

/** How a value that is the wrong type is named in a problem, e.g. "got a blank string". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : value.trim() === '' ? 'a blank string' : 'a string';
  return `a ${typeof value}`;
}

function range(min: number, max: number): string {
  if (max === Infinity) return `at least ${min}`;
  return min === max ? `exactly ${min}` : `${min} to ${max}`;
}

const notString = (input: unknown) => (input === undefined ? 'is missing' : `expected a non-empty string, got ${describeValue(input)}`);

/** Non-empty, non-blank text of at most `max` characters, optionally matching `pattern`. */
function text(max = Infinity, pattern?: RegExp) {
  let schema = z.string({ error: (issue) => notString(issue.input) }).refine((s) => s.trim() !== '', { abort: true, error: (issue) => notString(issue.input) });
  if (max !== Infinity) schema = schema.max(max, { error: (issue) => `is ${String(issue.input).length} characters long, the limit is ${max}` });
  if (pattern) schema = schema.regex(pattern, { error: (issue) => `"${String(issue.input)}" does not match ${pattern}` });
  return schema;
}

function object<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape, { error: (issue) => `expected an object, got ${describeValue(issue.input)}` });
}

/** An array of `min` to `max` items; `unique` names what no two items may share, and how to read it. */
function list<Item extends z.ZodType>(item: Item, min: number, max = Infinity, unique?: { by: string; key: (value: z.infer<Item>) => string }) {
  const count = { error: (issue: { input?: unknown }) => `expected ${range(min, max)} items, got ${(issue.input as unknown[]).length}` };
  let schema = z.array(item, { error: (issue) => `expected an array, got ${describeValue(issue.input)}` }).min(min, count);
  if (max !== Infinity) schema = schema.max(max, count);
  if (!unique) return schema;
  // Runs even when an item is broken, so a duplicate id is listed with every other problem at once.
  const checked = schema.superRefine(
    (items, ctx) => {
      const seen = new Set<string>();
      for (const item of items) {
        const key = readKey(unique.key, item);
        if (key !== undefined && seen.has(key)) ctx.addIssue({ code: 'custom', message: `id "${key}" is used twice`, input: items });
        if (key !== undefined) seen.add(key);
      }
    },
    { when: (payload) => Array.isArray(payload.value) },
  );
  return checked.meta({ uniqueBy: unique.by });
}

/** The unique key of an item that may have failed its own checks: undefined when unreadable. */
function readKey<Item>(key: (value: Item) => string, item: Item): string | undefined {
  try {
    const value: unknown = key(item);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One of a fixed set of strings; `missing` is the problem when the field is absent. */
function oneOf<const Values extends readonly [string, ...string[]]>(values: Values, missing?: string) {
  const expected = values.length === 2 ? `"${values[0]}" or "${values[1]}"` : `one of ${values.join(', ')}`;
  return z.enum(values, { error: (issue) => (issue.input === undefined && missing ? missing : `expected ${expected}, got ${JSON.stringify(issue.input) ?? 'nothing'}`) });
}

export const SectionSchema = object({
  id: text(32, ID).describe('Stable slug; used in commands and buttons.'),
  title: text(80).describe('Our short display title for the section.'),
  heading: text(256).nullable().describe("The article's heading line that opens this section, word for word, or null when it has none."),
  summary: text(600).describe("Our summary, in our own words, keeping the article's hedges."),
  paragraphs: list(text(4000), 1).describe("The article's lines of this section, word for word and in order."),
});

export const StorySchema = object({
  title: text(256).describe("The article's title line (its first line), word for word."),
  source: text(200).describe('Who published it and what kind of piece it is, e.g. "An opinion piece".'),
  disclaimer: text(200).describe('One line shown under summaries: what is alleged, what is opinion.'),
  summary: object({
    short: text(400).describe('Our one-paragraph summary.'),
    detailed: text(1800).describe('Our longer summary.'),
  }),
  sections: list(SectionSchema, 1, MAX_CHOICES, { by: 'id', key: (s) => s.id }).describe("The article cut into sections, in the article's order."),
});

export const QuoteSchema = object({
  section: text().describe('Id of the section the quote is taken from.'),
  text: text(300).describe("The article's words, exactly as they stand in that section."),
});

/**
 * The take: our words about one stakeholder. Every field here is checked by the claim lint, counted
 * in the balance between stakeholders, translatable in data/translations/<locale>.json, and shown by
 * /take view and /take compare in this order (src/story/render.ts: the position opens, the question
 * closes); add a field here and all of them pick it up. Its label is `take.<field>` in
 * src/i18n/locales/en.json (the type-check fails without one).
 */
export const TakeSchema = object({
  position: text(700).describe('Where they stand, in our words.'),
  gains: text(700).describe('What they stand to gain, in our words.'),
  losses: text(700).describe('What they stand to lose, in our words.'),
  nextMove: text(700).describe('What they might do next, in our words.'),
  question: text(200).describe('Our open question for the channel, ending in "?".'),
});

export const StakeholderSchema = object({
  id: text(32, ID).describe('Stable slug; used in commands and buttons.'),
  name: text(80).describe('Display name.'),
  emoji: text(16).describe('One emoji shown beside the name.'),
  ...TakeSchema.shape,
  quotes: list(QuoteSchema, 1, 3).describe('The article quoted for this stakeholder; each text must occur verbatim in its section.'),
});

export const StakeholdersSchema = list(StakeholderSchema, 2, MAX_CHOICES, { by: 'id', key: (h) => h.id });

export const PollAnswerSchema = object({
  label: text(55).describe('The button label.'),
  emoji: text(16).describe('One emoji shown on the button.'),
});

export const HeadlinePollSchema = object({
  question: text(300).describe('The poll question, in our words.'),
  description: text(1000).optional().describe('Optional context in our words, e.g. how the article itself frames the question.'),
  answers: list(PollAnswerSchema, 2, 10, { by: 'label (ignoring case)', key: (a) => a.label.toLowerCase() }).describe('The answers, in order.'),
});

/** The names of the checks the claim lint runs over our own words (see src/story/lint.ts). */
export const LINT_CHECKS = ['unhedged-claim', 'claim-as-fact', 'question-credited', 'unattributed-feeling', 'sourcing-generalised', 'misquote'] as const;
// A quote is the article's words or it is not: no exemption can excuse a misquote.
export const EXEMPTABLE_CHECKS = ['unhedged-claim', 'claim-as-fact', 'question-credited', 'unattributed-feeling', 'sourcing-generalised'] as const satisfies readonly (typeof LINT_CHECKS)[number][];
/** The files whose sentences the lint reads, so the files an exemption may name. */
export const LINTED_FILES = ['story.json', 'stakeholders.json', 'poll.json'] as const;

export const ClaimSchema = object({
  id: text(32, ID).describe('Short name used in findings, e.g. "leak".'),
  kind: oneOf(['allegation', 'opinion']).describe('"allegation": reported by the piece, so a hedge or an attribution will do. "opinion": the author\'s own reading, so only an attribution will.'),
  statement: text(300).describe('The claim in one plain line, for the reader of claims.json.'),
  signals: list(text(60), 1, 50).describe('Words or phrases whose presence means a sentence mentions the claim; a trailing * matches any word ending.'),
});

export const LintExemptionSchema = object({
  file: oneOf(LINTED_FILES, 'is missing').describe('The file of the sentence, as the finding names it.'),
  field: text(80).describe('The field of the sentence, as the finding names it, e.g. "sections[0].title".'),
  sentence: text(1000).describe('The sentence, as the finding quotes it.'),
  checks: list(oneOf(EXEMPTABLE_CHECKS), 1, EXEMPTABLE_CHECKS.length).describe('The checks it is excused from; never "misquote".'),
  // The reason is required: an exemption is a claim by the author that the sentence is fine.
  why: text(300).describe('Why the sentence is right as it stands; required.'),
});

export const ClaimsFileSchema = object({
  claims: list(ClaimSchema, 1, 20, { by: 'id', key: (c) => c.id }).describe("The story's central claims."),
  exemptions: list(LintExemptionSchema, 0, 100).default([]).describe('Sentences about a claim rather than asserting it; optional.'),
});

/** What a development says of the article's central claim, as of its date. */
export const DEVELOPMENT_STATUSES = ['alleged', 'confirmed', 'denied', 'disputed', 'corrected', 'retracted'] as const;

export const DevelopmentSchema = object({
  id: text(32, ID).describe('Stable slug; used in commands.'),
  date: text(10, /^\d{4}-\d{2}-\d{2}$/).describe('The day it was reported (YYYY-MM-DD, UTC).'),
  headline: text(200).describe("What happened, in one line, as the source reports it (attributed: it is the source's claim, not ours)."),
  source: object({
    name: text(100).describe('Who reported it.'),
    url: text(500, /^https:\/\/\S+$/).describe('Where: an https link.'),
  }).describe('The report it rests on.'),
  status: oneOf(DEVELOPMENT_STATUSES).describe("What it says of the article's central claim."),
  sections: list(text(32, ID), 0, MAX_CHOICES).default([]).describe('Ids of the sections it touches (story.json).'),
  stakeholders: list(text(32, ID), 0, MAX_CHOICES).default([]).describe('Ids of the stakeholders it touches (stakeholders.json).'),
});

export const DevelopmentsSchema = list(DevelopmentSchema, 0, 200, { by: 'id', key: (d) => d.id });

/** Each file of the pack and the schema it must satisfy, in the order data/README.md documents them. */
export const PACK_FILES = {
  'story.json': StorySchema,
  'stakeholders.json': StakeholdersSchema,
  'poll.json': HeadlinePollSchema,
  'claims.json': ClaimsFileSchema,
  'developments.json': DevelopmentsSchema,
} as const;

/** Parses one file of the pack; a problem reads "<file>: <field path>: <what is wrong>". */
export function parseFile<Schema extends z.ZodType>(schema: Schema, value: unknown, file: string): { data: z.infer<Schema>; problems: [] } | { data: null; problems: string[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, problems: [] };
  return { data: null, problems: result.error.issues.map((issue) => `${file}: ${fieldPath(issue.path) || '(top level)'}: ${issue.message}`) };
}

/** ['sections', 1, 'id'] → "sections[1].id"; [0, 'quotes'] → "[0].quotes". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}
