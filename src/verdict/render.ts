import { bar, type Card, clip, wholePercentages } from '../card.js';
import { t, tc } from '../i18n/index.js';
import { daysBetween } from './days.js';
import type { Movement, Standing } from './types.js';

/** The verdict's colour in embeds. */
export const VERDICT_COLOR = 0xed4245;

/** Where the server stands now: one line per answer, counts and shares, never names; the words around them in `locale`. */
export function renderStanding(question: string, standing: Standing, emojis: Array<string | null>, now: number, locale?: string): Card {
  const shares = wholePercentages(standing.counts);
  const lines = standing.labels.map((label, i) => `${emojis[i] ? `${emojis[i]} ` : ''}**${label}**\n\`${bar(shares[i] ?? 0)}\` ${shares[i] ?? 0}% (${standing.counts[i] ?? 0})`);
  return {
    title: clip(t(locale, 'verdict.title', { question }), 256),
    description: [
      standing.members === 0 ? t(locale, 'verdict.nobodyYet') : tc(locale, 'verdict.membersTook', standing.members),
      '',
      ...lines,
      '',
      `*${t(locale, 'verdict.asOf', { at: Math.floor(now / 1000) })}*`,
    ].join('\n'),
    footer: t(locale, 'verdict.footer'),
    color: VERDICT_COLOR,
  };
}

/**
 * One line on the movement between the two latest snapshots: the stance whose share moved most
 * ("Villain 41% → 46% since yesterday"), or that nothing moved.
 */
export function renderMovement(movement: Movement): string {
  const before = wholePercentages(movement.from.counts);
  const after = wholePercentages(movement.to.counts);
  const since = daysBetween(movement.from.day, movement.to.day) === 1 ? 'since yesterday' : `since ${movement.from.day}`;
  // The largest move; of equal ones, a stance that grew (what members moved to).
  const change = (i: number) => (after[i] ?? 0) - (before[i] ?? 0);
  let most = 0;
  movement.labels.forEach((_, i) => {
    if (Math.abs(change(i)) > Math.abs(change(most)) || (Math.abs(change(i)) === Math.abs(change(most)) && change(i) > change(most))) most = i;
  });
  if ((after[most] ?? 0) === (before[most] ?? 0)) return `No change in the verdict ${since}.`;
  return `${movement.labels[most]} ${before[most]}% → ${after[most]}% ${since}`;
}
