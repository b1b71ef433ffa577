import { type Card, clip, wholePercentages } from '../card.js';
import { daysBetween } from './days.js';
import type { Movement, Standing } from './types.js';

const BAR_WIDTH = 10;
/** The verdict's colour in embeds. */
export const VERDICT_COLOR = 0xed4245;
const bar = (percent: number) => '█'.repeat(Math.round((percent / 100) * BAR_WIDTH)) + '░'.repeat(BAR_WIDTH - Math.round((percent / 100) * BAR_WIDTH));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where the server stands now: one line per answer, counts and shares, never names. */
export function renderStanding(question: string, standing: Standing, emojis: Array<string | null>, now: number): Card {
  const shares = wholePercentages(standing.counts);
  const lines = standing.labels.map((label, i) => `${emojis[i] ? `${emojis[i]} ` : ''}**${label}**\n\`${bar(shares[i] ?? 0)}\` ${shares[i] ?? 0}% (${standing.counts[i] ?? 0})`);
  return {
    title: clip(`The verdict: ${question}`, 256),
    description: [
      standing.members === 0 ? 'Nobody has taken a stance yet. Be the first: pick one below.' : `${plural(standing.members, 'member')} ${standing.members === 1 ? 'has' : 'have'} taken a stance.`,
      '',
      ...lines,
      '',
      `*As of <t:${Math.floor(now / 1000)}:R> (run /verdict now again for the latest). Pick your stance below; change it any time, or retract it. Only counts are shown, never who chose what. Votes on the headline poll count too.*`,
    ].join('\n'),
    footer: 'One stance per member. A snapshot is taken once a day: /verdict trend shows how it moves.',
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
