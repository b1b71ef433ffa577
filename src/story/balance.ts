import { StakeholderSchema, TakeSchema } from './schema.js';
import type { Stakeholder, Take } from './types.js';

/**
 * Balance between the stakeholders' takes, checked rather than hoped for: the same fields for
 * everyone, a question for the channel each, and takes of similar length, so no party gets a
 * fuller hearing than another.
 */

/** The fields of a take (our words), from the schema: a field added there is counted here. */
export const TEXT_FIELDS = Object.keys(TakeSchema.shape) as (keyof Take)[];
const ALL_FIELDS = Object.keys(StakeholderSchema.shape);
/** How far a take's length may stray from the mean, as a fraction of the mean. */
export const BALANCE_TOLERANCE = 0.25;

export interface BalanceRow {
  id: string;
  /** Words in each of our text fields. */
  words: Record<(typeof TEXT_FIELDS)[number], number>;
  total: number;
  /** Percent above (+) or below (-) the mean total. */
  deviation: number;
  quotes: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter((w) => w.length > 0).length;

export function balanceTable(holders: Stakeholder[]): BalanceRow[] {
  const rows = holders.map((h) => {
    const words = Object.fromEntries(TEXT_FIELDS.map((f) => [f, wordCount(h[f])])) as BalanceRow['words'];
    return { id: h.id, words, total: TEXT_FIELDS.reduce((sum, f) => sum + words[f], 0), deviation: 0, quotes: h.quotes.length };
  });
  const mean = rows.reduce((sum, r) => sum + r.total, 0) / Math.max(rows.length, 1);
  for (const row of rows) row.deviation = mean === 0 ? 0 : Math.round(((row.total - mean) / mean) * 100);
  return rows;
}

/** Problems as [field path, message]; `raw` is the parsed stakeholders.json, to spot fields only some have. */
export function balanceProblems(holders: Stakeholder[], raw: unknown[]): [string, string][] {
  const problems: [string, string][] = [];
  raw.forEach((value, i) => {
    const extra = Object.keys(value as object).filter((k) => !ALL_FIELDS.includes(k));
    if (extra.length > 0) problems.push([`[${i}]`, `has fields the other stakeholders lack (${extra.join(', ')}); every stakeholder has exactly ${ALL_FIELDS.join(', ')}`]);
  });
  holders.forEach((h, i) => {
    if (!h.question.trim().endsWith('?')) problems.push([`[${i}].question`, 'is not a question (it should end with "?")']);
  });
  const rows = balanceTable(holders);
  const mean = rows.reduce((sum, r) => sum + r.total, 0) / Math.max(rows.length, 1);
  rows.forEach((row, i) => {
    if (Math.abs(row.total - mean) > mean * BALANCE_TOLERANCE) {
      problems.push([`[${i}]`, `the take of "${row.id}" is ${row.total} words, ${row.deviation > 0 ? '+' : ''}${row.deviation}% from the mean of ${Math.round(mean)}; keep every take within ±${BALANCE_TOLERANCE * 100}%`]);
    }
  });
  return problems;
}

/** The table as aligned plain text, for validate-data and the balance test. */
export function formatBalanceTable(rows: BalanceRow[]): string {
  const head = ['stakeholder', ...TEXT_FIELDS, 'total', '± mean', 'quotes'];
  const body = rows.map((r) => [r.id, ...TEXT_FIELDS.map((f) => String(r.words[f])), String(r.total), `${r.deviation > 0 ? '+' : ''}${r.deviation}%`, String(r.quotes)]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  return [head, ...body].map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}
