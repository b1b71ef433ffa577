import { type BotKey, isBotKey, t } from '../../src/i18n/index.js';
import { TakeSchema } from '../../src/story/schema.js';
import type { Take } from '../../src/story/types.js';

/**
 * What members see of a take, field by field, for the tests that notice a change in it
 * (test/unit/render.test.ts, test/e2e/story.test.ts, test/e2e/locale.test.ts). The labels members saw
 * when this was written are spelled out by each test; a field added to TakeSchema since is expected
 * where the schema puts it, with its label `take.<field>` as the bot looks it up (English until the
 * languages have it), so adding a field needs no change to these tests.
 */
export interface TakeLabels {
  position: string;
  gains: string;
  losses: string;
  nextMove: string;
  quotes: string;
  question: string;
}
export const ENGLISH: TakeLabels = { position: 'Position', gains: 'Stands to gain', losses: 'Stands to lose', nextMove: 'Likely next move', quotes: "In the article's words", question: 'Over to you' };

const fields = Object.keys(TakeSchema.shape) as (keyof Take)[];
/** The position opens a take and the question closes it; every other field sits between, in schema order. */
const between = fields.filter((field) => field !== 'position' && field !== 'question');
const labelOf = (field: keyof Take, known: TakeLabels, locale: string): string =>
  (known as unknown as Record<string, string>)[field] ?? (isBotKey(`take.${field}`) ? t(locale, `take.${field}` as BotKey) : `(no take.${field} in en.json)`);

/** The take fields /take view shows as fields before the quotes, in order (for their values). */
export const VIEW_VALUES: ReadonlyArray<keyof Take> = between;
/** /take compare: each side's fields, in order (everything but the question). */
export const COMPARED_FIELDS: ReadonlyArray<keyof Take> = ['position', ...between];

/** The names of /take view's fields (the position is the description), in order. */
export const viewLabels = (known: TakeLabels = ENGLISH, locale = 'en'): string[] => [...between.map((field) => labelOf(field, known, locale)), known.quotes, known.question];
/** The names members saw before any field was added: they must still be there, in this order. */
export const viewLabelsToday = (known: TakeLabels = ENGLISH): string[] => [known.gains, known.losses, known.nextMove, known.quotes, known.question];
/** The names of each side's fields in /take compare, in order. */
export const comparedLabels = (known: TakeLabels = ENGLISH, locale = 'en'): string[] => COMPARED_FIELDS.map((field) => labelOf(field, known, locale));
export const comparedLabelsToday = (known: TakeLabels = ENGLISH): string[] => [known.position, known.gains, known.losses, known.nextMove];
/** Only the names spelled out in `known`, to compare with the lists of today. */
export const knownOnly = (names: ReadonlyArray<string | undefined>, known: TakeLabels = ENGLISH): Array<string | undefined> => names.filter((name) => name !== undefined && Object.values(known).includes(name));
