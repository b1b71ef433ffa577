import { type Card, clip, COLORS } from '../card.js';
import { inert } from '../text/inert.js';
import { maxChoicesOf } from './ballot.js';
import type { Poll, Tally } from './types.js';

/** Discord's limits for what we render. */
export const LIMITS = { title: 256, description: 4096, message: 2000 } as const;
const BAR_WIDTH = 10;
/** Whole percentages that add up to 100 (largest remainder), so the bars never claim 101%. */
export function percentages(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/**
 * What each answer's percentage is of: all votes on a single-choice poll (adding up to 100), the
 * voters on a multiple-choice poll, where each member may pick several (so the total can pass 100).
 */
export function sharesOf(poll: Poll, tally: Tally): number[] {
  if (maxChoicesOf(poll) === 1) return percentages(tally.counts);
  return tally.counts.map((c) => (tally.voters === 0 ? 0 : Math.round((c * 100) / tally.voters)));
}

/** "12 voters" and, on a multiple-choice poll, how many answers they picked in all. */
function turnout(poll: Poll, tally: Tally, separator = ' · '): string {
  const voters = plural(tally.voters, 'voter');
  return maxChoicesOf(poll) === 1 ? voters : `${voters}${separator}${plural(tally.counts.reduce((a, b) => a + b, 0), 'choice')}`;
}

export function bar(percent: number): string {
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const seconds = (ms: number) => Math.floor(ms / 1000);

function answerName(poll: Poll, i: number): string {
  const answer = poll.answers[i];
  if (!answer) return '';
  return `${answer.emoji ? `${answer.emoji} ` : ''}${inert(answer.label)}`;
}

/** The poll's message: standings as text bars, or only the voter count while results are hidden. */
export function renderPoll(poll: Poll, tally: Tally, now: number): Card {
  const closed = poll.status === 'closed' || now >= poll.closesAt;
  const hidden = poll.hideResults && !closed;
  const question = inert(poll.question);
  const title = clip(question, LIMITS.title);
  const lines: string[] = [];
  // A question clipped in the title is shown whole above the answers.
  if (title !== question) lines.push(question, '');
  if (poll.note) lines.push(`*${poll.note}*`, '');
  const pcts = sharesOf(poll, tally);
  const max = maxChoicesOf(poll);
  if (max > 1) lines.push(`Pick up to ${max} answers.${hidden ? '' : ' Percentages are of voters.'}`, '');
  poll.answers.forEach((_, i) => {
    if (hidden) lines.push(`• ${answerName(poll, i)}`);
    else lines.push(`**${answerName(poll, i)}**`, `${bar(pcts[i] ?? 0)} ${pcts[i] ?? 0}% · ${plural(tally.counts[i] ?? 0, 'vote')}`);
  });
  lines.push('');
  if (hidden) lines.push('Results are shown when the poll closes.');
  const when = closed
    ? `Closed${poll.closedAt !== null ? ` <t:${seconds(poll.closedAt)}:R>` : ''}`
    : `Closes <t:${seconds(poll.closesAt)}:R>`;
  lines.push(`**${turnout(poll, tally)}** · ${when}`);
  if (poll.voterRoleId && !closed) lines.push(`Only members with <@&${poll.voterRoleId}> can vote.`);
  const one = max === 1 ? 'One vote per member' : `Up to ${max} answers per member`;
  const rules = closed ? 'Voting has ended' : poll.allowChange ? `${one} · you can change or retract it` : `${one} · votes are final`;
  return {
    title,
    description: clip(lines.join('\n'), LIMITS.description),
    footer: `Poll ${poll.id} · ${rules}`,
    color: COLORS.poll,
  };
}

/** The plain message posted in the channel when the poll closes (the edge also sends it with no allowed mentions). */
export function renderResults(poll: Poll, tally: Tally): string {
  const pcts = sharesOf(poll, tally);
  const standings = poll.answers
    .map((_, i) => ({ i, count: tally.counts[i] ?? 0 }))
    .sort((a, b) => b.count - a.count || a.i - b.i)
    .map(({ i, count }) => `${answerName(poll, i)} ${pcts[i] ?? 0}% (${count})`)
    .join(' · ');
  const question = clip(inert(poll.question), 400);
  const text = tally.voters === 0 ? `📊 Poll closed: ${question} — no votes were cast.` : `📊 Poll closed: ${question} — ${standings} — ${turnout(poll, tally, ', ')}${maxChoicesOf(poll) > 1 ? ` (up to ${maxChoicesOf(poll)} each; percentages are of voters)` : ''}`;
  return clip(text, LIMITS.message);
}
