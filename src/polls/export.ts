import { DAY, HOUR } from '../constants.js';
import { type Cell, toCsv } from './csv.js';
import { maxChoicesOf } from './ballot.js';
import { sharesOf } from './render.js';
import type { CastVote, Poll } from './types.js';

/** Polls that ran up to this long get a row per hour in the standings over time; longer ones a row per day. */
export const HOURLY_UP_TO = 3 * DAY;

export interface PollExport {
  filename: string;
  csv: string;
  /** Whether the counts per answer are in it (not while a hidden-results poll is open). */
  countsShown: boolean;
}

/** `2026-06-10 14:00:00`: UTC, in the form spreadsheets read as a date and time. */
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The instants the standings are given at: the poll's start, every whole UTC hour (or day) after
 * it, and its end (its close, or now while it runs).
 */
export function timelineTimes(start: number, end: number): number[] {
  const step = end - start <= HOURLY_UP_TO ? HOUR : DAY;
  const times = [start];
  for (let t = Math.floor(start / step) * step + step; t < end; t += step) times.push(t);
  if (end > start) times.push(end);
  return times;
}

/**
 * Cumulative counts per answer at each instant. A vote counts from when it was cast, clamped into
 * the poll's run; one stored before cast times were kept counts from the poll's start. So the last
 * row is always the final count.
 */
export function standingsOverTime(poll: Poll, votes: readonly CastVote[], times: readonly number[]): Array<{ at: number; counts: number[]; voters: number }> {
  const start = times[0] ?? poll.createdAt;
  const end = times[times.length - 1] ?? start;
  const inRange = (answer: number) => Number.isInteger(answer) && answer >= 0 && answer < poll.answers.length;
  const valid = votes.filter((v) => v.answers.length > 0 && v.answers.every(inRange));
  const sorted = valid.map((v) => ({ answers: v.answers, at: Math.min(Math.max(v.at ?? start, start), end) })).sort((a, b) => a.at - b.at);
  const counts = poll.answers.map(() => 0);
  let voters = 0;
  let next = 0;
  return times.map((at) => {
    for (; next < sorted.length && sorted[next]!.at <= at; next++) {
      voters += 1;
      for (const answer of sorted[next]!.answers) counts[answer]! += 1;
    }
    return { at, counts: [...counts], voters };
  });
}

/**
 * A poll as a CSV file: what it asked, its answers and counts, and the standings over time. Built
 * from votes that carry no member ids, so the file cannot say who voted for what. It never shows
 * more than the poll's own message did: while a hidden-results poll runs, no counts per answer at
 * all; once it closed, the final counts but not their course over time, which nobody saw while it
 * ran and which, hour by hour, could tell a member seen voting at 14:05 by their answer.
 */
export function exportPoll(poll: Poll, votes: readonly CastVote[], now: number): PollExport {
  const closed = poll.status === 'closed' || now >= poll.closesAt;
  const end = closed ? Math.min(poll.closedAt ?? poll.closesAt, poll.closesAt) : Math.max(now, poll.createdAt);
  const rows = standingsOverTime(poll, votes, timelineTimes(poll.createdAt, end));
  const final = rows[rows.length - 1]?.counts ?? poll.answers.map(() => 0);
  const voters = rows[rows.length - 1]?.voters ?? 0;
  const countsShown = !poll.hideResults || closed;
  const courseShown = !poll.hideResults;
  const labels = poll.answers.map((a) => a.label);
  // As the poll shows them: of all votes (adding up to 100), or of voters on a multiple-choice poll.
  const pcts = sharesOf(poll, { counts: final, voters });
  const blank: Cell[] = [];
  const notes = [
    maxChoicesOf(poll) === 1
      ? 'Each member counts once, for the answer they chose last, from the time they chose it. Who voted for what is not in this file.'
      : `Each member counts once, for the answers they picked last (up to ${maxChoicesOf(poll)}), from the time they picked them; percentages are of voters. Who voted for what is not in this file.`,
    ...(votes.some((v) => v.at === null) ? ['Votes cast before tamasha kept voting times count from the poll\'s start.'] : []),
    ...(!countsShown ? ['Results are hidden until the poll closes, so the counts per answer are left out.'] : []),
    ...(countsShown && !courseShown ? ['Results were hidden while the poll ran, so only the number of voters is given over time.'] : []),
  ];
  const table: Cell[][] = [
    // `#`: an id such as 12e45678 or 00345678 would otherwise be read as a number and lose its form.
    ['Poll', `#${poll.id}`],
    ['Question', poll.question],
    ['Status', closed ? 'Closed' : 'Open'],
    ['Started (UTC)', utc(poll.createdAt)],
    [closed ? 'Closed (UTC)' : 'Closes (UTC)', utc(closed ? end : poll.closesAt)],
    ['Exported (UTC)', utc(now)],
    ['Voters', voters],
    blank,
    ['Answer', 'Votes', 'Percent'],
    ...labels.map((label, i): Cell[] => (countsShown ? [label, final[i] ?? 0, pcts[i] ?? 0] : [label])),
    blank,
    ['Time (UTC)', 'Voters', ...(courseShown ? labels : [])],
    ...rows.map(({ at, counts, voters: then }): Cell[] => [utc(at), then, ...(courseShown ? counts : [])]),
    blank,
    ...notes.map((note): Cell[] => ['Note', note]),
  ];
  return { filename: `poll-${poll.id}.csv`, csv: toCsv(table), countsShown };
}
