import { type BotKey, isBotKey, t } from '../../src/i18n/index.js';
import { TakeSchema } from '../../src/story/schema.js';
import type { Take } from '../../src/story/types.js';

/**
 * What members see of a take, field by field, in English, for the tests that notice a change in it
 * (test/unit/render.test.ts, test/e2e/story.test.ts). The fields members saw when this was written
 * are spelled out; a field added to TakeSchema since is expected where the schema puts it, with its
 * label from en.json (`take.<field>`), so adding a field needs no change here.
 */
const KNOWN: Readonly<Record<string, string>> = { position: 'Position', gains: 'Stands to gain', losses: 'Stands to lose', nextMove: 'Likely next move', question: 'Over to you' };
export const QUOTES_LABEL = "In the article's words";

const fields = Object.keys(TakeSchema.shape) as (keyof Take)[];
const labelOf = (field: keyof Take): string => KNOWN[field] ?? (isBotKey(`take.${field}`) ? t('en', `take.${field}` as BotKey) : `(no take.${field} in en.json)`);
/** The position opens a take and the question closes it; every other field sits between, in schema order. */
const between = fields.filter((field) => field !== 'position' && field !== 'question');

/** /take view: the position is the description; these are the fields' names, in order. */
export const VIEW_FIELDS = [...between.map(labelOf), QUOTES_LABEL, KNOWN.question!];
/** The take fields /take view shows as fields, in order, for their values. */
export const VIEW_VALUES: ReadonlyArray<keyof Take> = between;
/** /take compare: each side's fields, in order (everything but the question). */
export const COMPARED_FIELDS: ReadonlyArray<keyof Take> = ['position', ...between];
export const COMPARED_LABELS = COMPARED_FIELDS.map(labelOf);
/** The names members saw before any field was added: they must still be there, in this order. */
export const VIEW_FIELDS_TODAY = ['Stands to gain', 'Stands to lose', 'Likely next move', QUOTES_LABEL, 'Over to you'];
export const COMPARED_LABELS_TODAY = ['Position', 'Stands to gain', 'Stands to lose', 'Likely next move'];
export const isKnownLabel = (name: string | undefined): boolean => name !== undefined && (Object.values(KNOWN).includes(name) || name === QUOTES_LABEL);
