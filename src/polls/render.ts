import { bar, type Card, clip, COLORS, wholePercentages } from '../card.js';
import { t, tc } from '../i18n/index.js';
import { inert } from '../text/inert.js';
import { maxChoicesOf } from './ballot.js';
import type { Poll, Tally } from './types.js';

/** Discord's limits for what we render. */
export const LIMITS = { title: 256, description: 4096, message: 2000 } as const;

/**
 * What each answer's percentage is of: all votes on a single-choice poll (adding up to 100), the
 * voters on a multiple-choice poll, where each member may pick several (so the total can pass 100).
 */
export function sharesOf(poll: Poll, tally: Tally): number[] {
  if (maxChoicesOf(poll) === 1) return wholePercentages(tally.counts);
  return tally.counts.map((c) => (tally.voters === 0 ? 0 : Math.round((c * 100) / tally.voters)));
}

/** "12 voters" and, on a multiple-choice poll, how many answers they picked in all. */
function turnout(poll: Poll, tally: Tally, locale: string | undefined, separator = ' · '): string {
  const voters = tc(locale, 'poll.voterCount', tally.voters);
  return maxChoicesOf(poll) === 1 ? voters : `${voters}${separator}${tc(locale, 'poll.choiceCount', tally.counts.reduce((a, b) => a + b, 0))}`;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

function answerName(poll: Poll, i: number): string {
  const answer = poll.answers[i];
  if (!answer) return '';
  return `${answer.emoji ? `${answer.emoji} ` : ''}${inert(answer.label)}`;
}

/** The parts of a poll's message, so the edge can put each answer beside its own button. */
export interface PollView {
  /** Title, the text above the answers (the whole question when the title clips it, the note, the rules of a multiple-choice poll), small print, colour. */
  card: Card;
  /** Each answer: its name, and its standing (a bar, percentage and votes), or null while results are hidden. */
  answers: Array<{ name: string; standing: string | null }>;
  /** Below the answers: turnout and deadline, the voter role, and whether results are hidden. */
  status: string;
}

/**
 * `locale`: the language of the labels, by default the one the poll was started in (Poll.locale);
 * the question and answers stay as their author wrote them.
 */
export function renderPollView(poll: Poll, tally: Tally, now: number, locale: string | undefined = poll.locale): PollView {
  const closed = poll.status === 'closed' || now >= poll.closesAt;
  const hidden = poll.hideResults && !closed;
  const question = inert(poll.question);
  const title = clip(question, LIMITS.title);
  const intro: string[] = [];
  // A question clipped in the title is shown whole above the answers.
  if (title !== question) intro.push(question, '');
  if (poll.note) intro.push(`*${poll.note}*`, '');
  const pcts = sharesOf(poll, tally);
  const max = maxChoicesOf(poll);
  if (max > 1) intro.push(`${t(locale, 'poll.pickUpTo', { max })}${hidden ? '' : ` ${t(locale, 'poll.sharesOfVoters')}`}`, '');
  const answers = poll.answers.map((_, i) => ({
    name: answerName(poll, i),
    standing: hidden ? null : `${bar(pcts[i] ?? 0)} ${pcts[i] ?? 0}% · ${tc(locale, 'poll.voteCount', tally.counts[i] ?? 0)}`,
  }));
  const status: string[] = [];
  if (hidden) status.push(t(locale, 'poll.resultsHidden'));
  const when = closed
    ? poll.closedAt !== null
      ? t(locale, 'poll.closedAt', { at: seconds(poll.closedAt) })
      : t(locale, 'poll.closedLabel')
    : t(locale, 'poll.closesAt', { at: seconds(poll.closesAt) });
  status.push(`**${turnout(poll, tally, locale)}** · ${when}`);
  if (poll.voterRoleId && !closed) status.push(t(locale, 'poll.voterRoleNote', { role: poll.voterRoleId }));
  const one = max === 1 ? t(locale, 'poll.onePerMember') : t(locale, 'poll.upToPerMember', { max });
  const rules = closed ? t(locale, 'poll.votingEnded') : `${one} · ${t(locale, poll.allowChange ? 'poll.canChange' : 'poll.votesFinal')}`;
  const introText = intro.join('\n').trim();
  return {
    card: { title, ...(introText ? { description: introText } : {}), footer: `${t(locale, 'poll.footerId', { id: poll.id })} · ${rules}`, color: COLORS.poll },
    answers,
    status: status.join('\n'),
  };
}

/** The poll's message as one card: standings as text bars, or only the voter count while results are hidden. */
export function renderPoll(poll: Poll, tally: Tally, now: number, locale: string | undefined = poll.locale): Card {
  const { card, answers, status } = renderPollView(poll, tally, now, locale);
  const lines = [card.description ? `${card.description}\n` : '', ...answers.map((a) => (a.standing === null ? `• ${a.name}` : `**${a.name}**\n${a.standing}`)), '', status];
  return { ...card, description: clip(lines.filter((l, i) => i > 0 || l !== '').join('\n'), LIMITS.description) };
}

/** The plain message posted in the channel when the poll closes (the edge also sends it with no allowed mentions). */
export function renderResults(poll: Poll, tally: Tally, locale: string | undefined = poll.locale): string {
  const pcts = sharesOf(poll, tally);
  const standings = poll.answers
    .map((_, i) => ({ i, count: tally.counts[i] ?? 0 }))
    .sort((a, b) => b.count - a.count || a.i - b.i)
    .map(({ i, count }) => `${answerName(poll, i)} ${pcts[i] ?? 0}% (${count})`)
    .join(' · ');
  const question = inert(clip(poll.question, 400));
  const multi = maxChoicesOf(poll) > 1 ? ` ${t(locale, 'poll.resultsMulti', { max: maxChoicesOf(poll) })}` : '';
  const text = tally.voters === 0 ? t(locale, 'poll.resultsNone', { question }) : `${t(locale, 'poll.resultsLine', { question, standings, turnout: turnout(poll, tally, locale, ', ') })}${multi}`;
  return clip(text, LIMITS.message);
}
