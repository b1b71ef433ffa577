import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DAY, formatDuration, HOUR, MINUTE, parseDuration } from '../../src/polls/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * MINUTE],
    ['12h', 12 * HOUR],
    ['7d', 7 * DAY],
    ['1d12h', DAY + 12 * HOUR],
    ['45 m', 45 * MINUTE],
    ['1D 2H 3M', DAY + 2 * HOUR + 3 * MINUTE],
    ['2 hours', 2 * HOUR],
    ['1m', MINUTE],
    ['32d', 32 * DAY],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['0m', 'at least 1 minute'],
    ['33d', 'at most 32 days'],
    ['31d25h', 'at most 32 days'],
    ['soon', `couldn't read "soon"`],
    ['-5m', 'negative'],
    ['5s', `couldn't read`],
    ['1.5h', `couldn't read`],
    ['', 'empty'],
    ['99999999999999999999d', 'at most 32 days'],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseDuration(text)).toThrow(UserError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [90 * MINUTE, '1h 30m'],
    [DAY + 12 * HOUR, '1d 12h'],
    [7 * DAY, '7d'],
    [24 * HOUR, '1d'],
    [30_000, '1m'],
    [10_000, 'less than a minute'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips what it formats', () => {
    for (const ms of [MINUTE, 90 * MINUTE, DAY + 5 * MINUTE, 32 * DAY]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
