import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_DURATION, HOUR } from '../../src/polls/duration.js';
import { parsePollInput, splitAnswers } from '../../src/polls/validate.js';

const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
};

describe('parsePollInput', () => {
  it('trims, splits and applies defaults', () => {
    const fields = parsePollInput({ question: '  Best tea?  ', answers: 'Chai, Green ,  Black,' });
    expect(fields).toEqual({
      question: 'Best tea?',
      answers: [
        { label: 'Chai', emoji: null },
        { label: 'Green', emoji: null },
        { label: 'Black', emoji: null },
      ],
      durationMs: DEFAULT_DURATION,
      hideResults: false,
      allowChange: true,
      maxChoices: 1,
      voterRoleId: null,
    });
  });

  it('takes options', () => {
    const fields = parsePollInput({ question: 'Q', answers: 'a|b', duration: '12h', hideResults: true, allowChange: false, voterRoleId: '123456789012345678' });
    expect(fields).toMatchObject({ durationMs: 12 * HOUR, hideResults: true, allowChange: false, voterRoleId: '123456789012345678' });
  });

  it('takes how many answers a member may pick, capped at the answers given', () => {
    expect(parsePollInput({ question: 'Q', answers: 'a\nb\nc\nd', maxChoices: 3 }).maxChoices).toBe(3);
    expect(parsePollInput({ question: 'Q', answers: 'a\nb\nc', maxChoices: 10 }).maxChoices).toBe(3);
    expect(parsePollInput({ question: 'Q', answers: 'a\nb', maxChoices: null }).maxChoices).toBe(1);
  });

  it('splits on new lines first, then |, then commas', () => {
    expect(splitAnswers('Yes, really\nNo, never')).toEqual(['Yes, really', 'No, never']);
    expect(splitAnswers('1,5 | 2,5')).toEqual(['1,5', '2,5']);
    expect(splitAnswers('a,b,,c')).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [{ question: '   ', answers: 'a,b' }, 'The question is empty; write the question you want to ask.'],
    [{ question: 'q'.repeat(301), answers: 'a,b' }, 'The question is 301 characters long; the limit is 300.'],
    [{ question: 'Q', answers: 'only one' }, 'A poll needs at least 2 answers; you gave 1. Separate answers with commas, `|` or new lines.'],
    [{ question: 'Q', answers: Array.from({ length: 11 }, (_, i) => `a${i}`).join(',') }, 'A poll can have at most 10 answers; you gave 11.'],
    [{ question: 'Q', answers: `a, b, ${'x'.repeat(61)}` }, `Answer 3 ("${'x'.repeat(39)}…") is 61 characters long; the limit is 55.`],
    [{ question: 'Q', answers: 'a,b', maxChoices: 0 }, 'A member can pick from 1 to 10 answers; you asked for 0.'],
    [{ question: 'Q', answers: 'a,b', maxChoices: 11 }, 'A member can pick from 1 to 10 answers; you asked for 11.'],
    [{ question: 'Q', answers: 'Yes, no, YES' }, 'Answers 1 and 3 are the same ("YES"); each answer must be different.'],
    [{ question: 'Q', answers: 'a,b', duration: 'soon' }, `I couldn't read "soon" as a duration.`],
    [{ question: 'Q', answers: 'a,b', voterRoleId: 'everyone' }, "That voter role isn't a role of this server."],
  ])('explains what is wrong: %#', (input, message) => {
    expect(error(() => parsePollInput(input))).toContain(message);
  });

  it('accepts the limits exactly', () => {
    const fields = parsePollInput({ question: 'q'.repeat(300), answers: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(55, 'x')).join('|') });
    expect(fields.answers).toHaveLength(10);
  });
});
