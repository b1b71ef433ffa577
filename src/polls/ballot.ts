import { UserError } from '../errors.js';
import type { Ballot, Poll } from './types.js';

/** How many answers a member may pick: polls stored before multiple choice have no field (1). */
export const maxChoicesOf = (poll: Pick<Poll, 'maxChoices'>): number => poll.maxChoices ?? 1;

/** The answer indexes of a ballot, in answer order. */
export const answersOf = (ballot: Ballot): readonly number[] => (typeof ballot === 'number' ? [ballot] : ballot);

export const sameBallot = (a: Ballot, b: Ballot): boolean => {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  const x = answersOf(a);
  const y = answersOf(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/**
 * A member's picks as the one record stored for them: a number on a single-choice poll (the format
 * every vote had before multiple choice), the sorted answer indexes on a multiple-choice poll.
 * Throws a UserError that says what is wrong with the picks.
 */
export function ballotFor(poll: Pick<Poll, 'answers' | 'maxChoices'>, picked: readonly number[]): Ballot {
  // The hot path (a button click on a single-choice poll) builds nothing.
  const only = picked.length === 1 ? picked[0] : undefined;
  if (only !== undefined && maxChoicesOf(poll) === 1 && Number.isInteger(only) && only >= 0 && only < poll.answers.length) return only;
  if (picked.some((a) => !Number.isInteger(a) || a < 0 || a >= poll.answers.length)) throw UserError.of('poll.answerNotInPoll');
  const unique = [...new Set(picked)].sort((a, b) => a - b);
  if (unique.length !== picked.length) throw UserError.of('poll.pickOnce');
  if (unique.length === 0) throw UserError.of('poll.pickOne');
  const max = maxChoicesOf(poll);
  if (unique.length > max) throw max === 1 ? UserError.of('poll.singleChoice') : UserError.of('poll.tooManyPicked', { max, picked: unique.length });
  return max === 1 ? (unique[0] ?? 0) : unique;
}

/** A stored value as a ballot of this poll, or null when it is none (retracted, or not valid here: never counted). */
export function storedBallot(poll: Pick<Poll, 'answers' | 'maxChoices'>, value: unknown): Ballot | null {
  // The common case, kept cheap: start-up reads every vote of every open poll.
  if (typeof value === 'number' && maxChoicesOf(poll) === 1) return Number.isInteger(value) && value >= 0 && value < poll.answers.length ? value : null;
  const picked = typeof value === 'number' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : null;
  if (picked === null) return null;
  try {
    return ballotFor(poll, picked);
  } catch {
    return null;
  }
}
