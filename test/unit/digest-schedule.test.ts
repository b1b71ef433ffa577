import { describe, expect, it } from 'vitest';
import { addDays, isDue, localDate, nextRun, zonedTimeToInstant, type DigestSchedule } from '../../src/digests/schedule.js';
import { wallClockAt } from '../../src/digests/wall-clock.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The UTC instant of `time` local on `day`, as the test's expected value. */
function runOn(zone: string, day: string, time: string): string {
  const [hour, minute] = time.split(':').map(Number);
  return iso(zonedTimeToInstant(zone, day, hour ?? NaN, minute ?? NaN));
}

/** 'YYYY-MM-DD HH:MM' as the wall clock in `zone` shows it. */
function wall(zone: string, instant: number): string {
  const w = wallClockAt(zone, instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}${w.second ? `:${two(w.second)}` : ''}`;
}

describe('localDate', () => {
  it('gives the calendar day in the zone, not in UTC', () => {
    expect(localDate('Europe/Berlin', at('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(localDate('America/New_York', at('2026-03-28T03:59:00Z'))).toBe('2026-03-27');
    expect(localDate('Asia/Kolkata', at('2026-01-01T18:29:59Z'))).toBe('2026-01-01');
    expect(localDate('Asia/Kolkata', at('2026-01-01T18:30:00Z'))).toBe('2026-01-02');
    expect(localDate('UTC', at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
  });
});

describe('zonedTimeToInstant', () => {
  it.each([
    // 09:00 stays 09:00 local on both sides of each switch; the UTC instant moves.
    ['Europe/Berlin', '2026-03-28', '09:00', '2026-03-28T08:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '09:00', '2026-03-29T07:00:00.000Z'],
    ['Europe/Berlin', '2026-10-24', '09:00', '2026-10-24T07:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', '09:00', '2026-10-25T08:00:00.000Z'],
    ['America/New_York', '2026-03-07', '09:00', '2026-03-07T14:00:00.000Z'],
    ['America/New_York', '2026-03-08', '09:00', '2026-03-08T13:00:00.000Z'],
    ['America/New_York', '2026-10-31', '09:00', '2026-10-31T13:00:00.000Z'],
    ['America/New_York', '2026-11-01', '09:00', '2026-11-01T14:00:00.000Z'],
    // Southern hemisphere: summer time ends in April, starts in October.
    ['Australia/Sydney', '2026-04-04', '09:00', '2026-04-03T22:00:00.000Z'],
    ['Australia/Sydney', '2026-04-05', '09:00', '2026-04-04T23:00:00.000Z'],
    ['Australia/Sydney', '2026-10-03', '09:00', '2026-10-02T23:00:00.000Z'],
    ['Australia/Sydney', '2026-10-04', '09:00', '2026-10-03T22:00:00.000Z'],
    // Half-hour and three-quarter-hour offsets; Lord Howe shifts by 30 minutes.
    ['Asia/Kolkata', '2026-06-01', '09:00', '2026-06-01T03:30:00.000Z'],
    ['Asia/Kathmandu', '2026-06-01', '09:00', '2026-06-01T03:15:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-04', '09:00', '2026-04-03T22:00:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '09:00', '2026-04-04T22:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-10-03', '09:00', '2026-10-02T22:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-10-04', '09:00', '2026-10-03T22:00:00.000Z'],
    ['UTC', '2026-06-01', '00:00', '2026-06-01T00:00:00.000Z'],
  ])('%s %s %s → %s', (zone, day, time, expected) => {
    expect(runOn(zone, day, time)).toBe(expected);
  });

  it.each([
    // A time in a spring-forward gap becomes the first minute after the gap.
    ['Europe/Berlin', '2026-03-29', '02:30', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', '2026-03-08 03:00'],
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:00:00.000Z', '2026-10-04 03:00'],
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00.000Z', '2026-10-04 02:30'],
    // Havana and Santiago skip midnight itself: the day starts at 01:00.
    ['America/Havana', '2026-03-08', '00:30', '2026-03-08T05:00:00.000Z', '2026-03-08 01:00'],
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06T04:00:00.000Z', '2026-09-06 01:00'],
  ])('%s %s %s does not exist → %s (%s local)', (zone, day, time, expected, local) => {
    expect(runOn(zone, day, time)).toBe(expected);
    expect(wall(zone, at(expected))).toBe(local);
  });

  it.each([
    // A time that happens twice at fall-back gives the first occurrence.
    ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z'],
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
    ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
    ['America/Santiago', '2026-04-04', '23:30', '2026-04-05T02:30:00.000Z'],
  ])('%s %s %s happens twice → first, %s', (zone, day, time, expected) => {
    expect(runOn(zone, day, time)).toBe(expected);
  });

  it('rejects a malformed date or time', () => {
    expect(() => zonedTimeToInstant('UTC', '2026-02-30', 9, 0)).toThrow(RangeError);
    expect(() => zonedTimeToInstant('UTC', '26-02-01', 9, 0)).toThrow(RangeError);
    expect(() => zonedTimeToInstant('UTC', '2026-02-01', 24, 0)).toThrow(RangeError);
  });
});

describe('nextRun', () => {
  const berlin9: DigestSchedule = { time: '09:00', zone: 'Europe/Berlin' };

  it('is today at the time when the time is still ahead', () => {
    expect(nextRun(berlin9, at('2026-06-10T06:00:00Z'), '2026-06-09')).toEqual({ at: at('2026-06-10T07:00:00Z'), day: '2026-06-10' });
    expect(nextRun(berlin9, at('2026-06-10T06:00:00Z'), null)).toEqual({ at: at('2026-06-10T07:00:00Z'), day: '2026-06-10' });
  });

  it('keeps 09:00 local across the DST switches (08:00Z in winter, 07:00Z in summer)', () => {
    expect(iso(nextRun(berlin9, at('2026-03-28T08:00:00Z'), '2026-03-28').at)).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextRun(berlin9, at('2026-10-24T07:00:00Z'), '2026-10-24').at)).toBe('2026-10-25T08:00:00.000Z');
  });

  it('catches up at once when the bot starts after the time and today was not sent', () => {
    const start = at('2026-06-10T12:00:00Z'); // 14:00 in Berlin
    expect(nextRun(berlin9, start, '2026-06-09')).toEqual({ at: start, day: '2026-06-10' });
    expect(nextRun(berlin9, start, null)).toEqual({ at: start, day: '2026-06-10' });
    expect(isDue(berlin9, start, '2026-06-09')).toEqual({ due: true, day: '2026-06-10' });
  });

  it('waits for tomorrow when the bot starts after the time and today was sent', () => {
    const start = at('2026-06-10T12:00:00Z');
    expect(nextRun(berlin9, start, '2026-06-10')).toEqual({ at: at('2026-06-11T07:00:00Z'), day: '2026-06-11' });
    expect(isDue(berlin9, start, '2026-06-10')).toEqual({ due: false, day: '2026-06-11' });
  });

  it('does not catch up a day missed entirely', () => {
    const start = at('2026-06-10T22:10:00Z'); // 00:10 on the 11th in Berlin; the 10th was never sent
    expect(nextRun(berlin9, start, '2026-06-09')).toEqual({ at: at('2026-06-11T07:00:00Z'), day: '2026-06-11' });
  });

  it('never sends twice: after sending at 09:00:00 the next run is tomorrow', () => {
    const nine = at('2026-06-10T07:00:00Z');
    expect(isDue(berlin9, nine, '2026-06-09')).toEqual({ due: true, day: '2026-06-10' });
    for (const later of [nine, nine + 500, nine + MINUTE, nine + 10 * HOUR]) {
      expect(nextRun(berlin9, later, '2026-06-10')).toEqual({ at: at('2026-06-11T07:00:00Z'), day: '2026-06-11' });
    }
  });

  it('sends a nonexistent time once, at 03:00 local', () => {
    const s: DigestSchedule = { time: '02:30', zone: 'Europe/Berlin' };
    const run = nextRun(s, at('2026-03-28T01:30:00Z'), '2026-03-28');
    expect(run).toEqual({ at: at('2026-03-29T01:00:00Z'), day: '2026-03-29' });
    expect(nextRun(s, run.at, run.day)).toEqual({ at: at('2026-03-30T00:30:00Z'), day: '2026-03-30' });
  });

  it('sends a repeated time once, at the first occurrence, and not again at the second', () => {
    const s: DigestSchedule = { time: '02:30', zone: 'Europe/Berlin' };
    const first = nextRun(s, at('2026-10-24T00:30:00Z'), '2026-10-24');
    expect(first).toEqual({ at: at('2026-10-25T00:30:00Z'), day: '2026-10-25' });
    const second = at('2026-10-25T01:30:00Z'); // the clock shows 02:30 again
    expect(wall('Europe/Berlin', second)).toBe('2026-10-25 02:30');
    expect(isDue(s, second, '2026-10-25').due).toBe(false);
    expect(nextRun(s, first.at, first.day)).toEqual({ at: at('2026-10-26T01:30:00Z'), day: '2026-10-26' });
  });

  it('skips days up to a lastSentDay in the future (clock moved back)', () => {
    expect(nextRun(berlin9, at('2026-06-10T06:00:00Z'), '2026-06-12').day).toBe('2026-06-13');
  });
});

describe('a 400-day walk', () => {
  const zones: Record<string, string[]> = {
    'Europe/Berlin': ['09:00', '02:30', '00:00', '23:59'],
    'America/New_York': ['09:00', '02:30', '01:30'],
    'Australia/Sydney': ['09:00', '02:30'],
    'Asia/Kolkata': ['09:00', '00:00'],
    'Asia/Kathmandu': ['09:00'],
    'Australia/Lord_Howe': ['09:00', '02:15', '01:45'],
    'America/Santiago': ['00:00', '23:30'],
    UTC: ['09:00'],
  };
  const cases = Object.entries(zones).flatMap(([zone, times]) => times.map((time) => [zone, time] as const));

  it.each(cases)('%s at %s: exactly one run per local day at the requested local time', (zone, time) => {
    const s: DigestSchedule = { zone, time };
    const start = at('2025-12-01T12:00:00Z'); // the walk covers every 2026 switch
    let now = start;
    let last: string | null = localDate(zone, start); // today already sent
    let gaps = 0;
    let repeats = 0;
    for (let i = 0; i < 400; i++) {
      const run = nextRun(s, now, last);
      expect(run.at).toBeGreaterThan(now);
      expect(run.day).toBe(addDays(last, 1)); // no day skipped, none twice
      expect(isDue(s, run.at - 1, last).due).toBe(false);
      expect(isDue(s, run.at, last)).toEqual({ due: true, day: run.day });

      const shown = wall(zone, run.at);
      if (shown !== `${run.day} ${time}`) {
        // Only allowed when the time does not exist that day: the minute before the run is before
        // the requested time and the run is the first minute after it.
        gaps++;
        expect(shown > `${run.day} ${time}`).toBe(true);
        expect(shown.slice(0, 10)).toBe(run.day);
        expect(wall(zone, run.at - MINUTE) < `${run.day} ${time}`).toBe(true);
      }
      // First occurrence: the wall clock did not show the time 30 or 60 minutes earlier.
      for (const back of [30 * MINUTE, HOUR]) expect(wall(zone, run.at - back)).not.toBe(`${run.day} ${time}`);
      if ([30 * MINUTE, HOUR].some((ahead) => wall(zone, run.at + ahead) === shown)) {
        repeats++;
        expect(isDue(s, run.at + HOUR, run.day).due).toBe(false); // not again at the second one
      }

      last = run.day;
      expect(isDue(s, run.at, last).due).toBe(false); // sent: not due again at the same instant
      now = run.at;
    }
    const expected = expectedOddDays[`${zone} ${time}`] ?? [0, 0];
    expect([gaps, repeats]).toEqual(expected);
  });
});

/** [nonexistent days, repeated days] in the walk; every other case has none. */
const expectedOddDays: Record<string, [number, number]> = {
  'Europe/Berlin 02:30': [1, 1],
  'America/New_York 02:30': [1, 0],
  'America/New_York 01:30': [0, 1],
  'Australia/Sydney 02:30': [1, 1],
  'Australia/Lord_Howe 02:15': [1, 0],
  'Australia/Lord_Howe 01:45': [0, 1],
  'America/Santiago 00:00': [1, 0],
  'America/Santiago 23:30': [0, 1],
};
