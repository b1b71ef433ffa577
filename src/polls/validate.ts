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
  if (question === '') throw new UserError('The question is empty; write the question you want to ask.');
  if (question.length > QUESTION_MAX) throw new UserError(`The question is ${question.length} characters long; the limit is ${QUESTION_MAX}.`);

  const answers = splitAnswers(input.answers);
  if (answers.length < ANSWERS_MIN) {
    throw new UserError(`A poll needs at least ${ANSWERS_MIN} answers; you gave ${answers.length}. Separate answers with commas, \`|\` or new lines.`);
  }
  if (answers.length > ANSWERS_MAX) throw new UserError(`A poll can have at most ${ANSWERS_MAX} answers; you gave ${answers.length}.`);
  const seen = new Map<string, number>();
  answers.forEach((answer, i) => {
    // Quoted, so a member fixing a list of lines (the modal) finds the one meant.
    if (answer.length > ANSWER_MAX) throw new UserError(`Answer ${i + 1} ("${inert(clip(answer, 40))}") is ${answer.length} characters long; the limit is ${ANSWER_MAX}.`);
    const key = answer.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new UserError(`Answers ${first + 1} and ${i + 1} are the same ("${inert(answer)}"); each answer must be different.`);
    seen.set(key, i);
  });

  const maxChoices = input.maxChoices ?? 1;
  if (!Number.isInteger(maxChoices) || maxChoices < 1 || maxChoices > ANSWERS_MAX) throw new UserError(`A member can pick from 1 to ${ANSWERS_MAX} answers; you asked for ${maxChoices}.`);

  const duration = input.duration?.trim();
  const voterRoleId = input.voterRoleId?.trim() || null;
  if (voterRoleId !== null && !SNOWFLAKE.test(voterRoleId)) throw new UserError("That voter role isn't a role of this server.");
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
