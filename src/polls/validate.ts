import { clip } from '../card.js';
import { inert } from '../text/inert.js';
import { SNOWFLAKE } from '../constants.js';
import { UserError } from '../errors.js';
import type { HeadlinePoll } from '../story/types.js';
import { DEFAULT_DURATION, parseDuration } from './duration.js';
import type { PollFields } from './types.js';

export const QUESTION_MAX = 300;
export const ANSWER_MAX = 55;
export const ANSWERS_MIN = 2;
export const ANSWERS_MAX = 10;

/** What a member types into /poll start. */
export interface PollInput {
  question: string;
  /** Answers separated by new lines, `|` or commas (first of those present wins, so `|` allows commas inside answers). */
  answers: string;
  duration?: string | null;
  hideResults?: boolean | null;
  allowChange?: boolean | null;
  /** How many answers a member may pick, 1 to ANSWERS_MAX (default 1); more than the answers given means any number of them. */
  maxChoices?: number | null;
  voterRoleId?: string | null;
}


export function splitAnswers(text: string): string[] {
  const separator = text.includes('\n') ? '\n' : text.includes('|') ? '|' : ',';
  return text
    .split(separator)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** Validates a member's input; every UserError says exactly what to fix. Lengths are UTF-16 units, as Discord's limits are checked. */
export function parsePollInput(input: PollInput): PollFields {
  const question = input.question.trim();
  if (question === '') throw UserError.of('poll.questionEmpty');
  if (question.length > QUESTION_MAX) throw UserError.of('poll.questionTooLong', { length: question.length, max: QUESTION_MAX });

  const answers = splitAnswers(input.answers);
  if (answers.length < ANSWERS_MIN) {
    throw UserError.of('poll.tooFewAnswers', { min: ANSWERS_MIN, count: answers.length });
  }
  if (answers.length > ANSWERS_MAX) throw UserError.of('poll.tooManyAnswers', { max: ANSWERS_MAX, count: answers.length });
  const seen = new Map<string, number>();
  answers.forEach((answer, i) => {
    // Quoted, so a member fixing a list of lines (the modal) finds the one meant.
    if (answer.length > ANSWER_MAX) throw UserError.of('poll.answerTooLong', { number: i + 1, answer: inert(clip(answer, 40)), length: answer.length, max: ANSWER_MAX });
    const key = answer.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw UserError.of('poll.duplicateAnswers', { first: first + 1, second: i + 1, answer: inert(answer) });
    seen.set(key, i);
  });

  const maxChoices = input.maxChoices ?? 1;
  if (!Number.isInteger(maxChoices) || maxChoices < 1 || maxChoices > ANSWERS_MAX) throw UserError.of('poll.maxChoicesRange', { max: ANSWERS_MAX, asked: maxChoices });

  const duration = input.duration?.trim();
  const voterRoleId = input.voterRoleId?.trim() || null;
  if (voterRoleId !== null && !SNOWFLAKE.test(voterRoleId)) throw UserError.of('poll.voterRoleInvalid');
  return {
    question,
    answers: answers.map((label) => ({ label, emoji: null })),
    durationMs: duration ? parseDuration(duration) : DEFAULT_DURATION,
    hideResults: input.hideResults ?? false,
    allowChange: input.allowChange ?? true,
    maxChoices: Math.min(maxChoices, answers.length),
    voterRoleId,
  };
}

/** The story pack's headline poll as poll fields (the pack is validated when it loads). */
export function headlineFields(headline: HeadlinePoll, durationMs = DEFAULT_DURATION): PollFields {
  return {
    question: headline.question,
    answers: headline.answers.map((a) => ({ label: a.label, emoji: a.emoji })),
    durationMs,
    hideResults: false,
    allowChange: true,
    maxChoices: 1,
    voterRoleId: null,
    ...(headline.description ? { note: headline.description } : {}),
  };
}
