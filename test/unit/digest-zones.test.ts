import { describe, expect, it } from 'vitest';
import { formatTime, matchZones, normaliseZone, parseTime } from '../../src/digests/zones.js';
import { UserError } from '../../src/errors.js';

function userErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseTime', () => {
  it.each([
    ['9:00', 9, 0],
    ['09:00', 9, 0],
    ['00:00', 0, 0],
    ['23:59', 23, 59],
    [' 18:30 ', 18, 30],
  ])('accepts %j', (text, hour, minute) => {
    expect(parseTime(text)).toEqual({ hour, minute });
  });

  it.each(['25:00', '24:00', '12:60', '9am', '', '9:5', '009:00', '9:000', '-1:00', '12.30', '１２:３０'])('rejects %j', (text) => {
    expect(userErrorOf(() => parseTime(text))).toMatch(/is not a time of day\. Write it as HH:MM in 24-hour time, for example 09:00 or 18:30\./);
  });

  it('echoes the input in the message', () => {
    expect(userErrorOf(() => parseTime('25:00'))).toBe('"25:00" is not a time of day. Write it as HH:MM in 24-hour time, for example 09:00 or 18:30.');
  });

  it('formats back to HH:MM', () => {
    expect(formatTime(parseTime('9:05'))).toBe('09:05');
  });
});

describe('normaliseZone', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['asia/calcutta', 'Asia/Calcutta'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    [' Australia/Lord_Howe ', 'Australia/Lord_Howe'],
    ['US/Eastern', 'America/New_York'],
  ])('accepts %j as %j', (typed, zone) => {
    expect(normaliseZone(typed)).toBe(zone);
  });

  it.each(['Mars/Olympus', 'UTC+2', '+02:00', 'GMT+2', 'Berlin time', '', '   ', 'Europe/Berlin; DROP'])('rejects %j pointing at the autocomplete', (typed) => {
    expect(userErrorOf(() => normaliseZone(typed))).toMatch(/list that appears as you type/);
  });

  it('keeps a long bad input out of the message', () => {
    expect(userErrorOf(() => normaliseZone('x'.repeat(500))).length).toBeLessThan(200);
  });
});

describe('matchZones', () => {
  const now = Date.UTC(2026, 0, 15); // winter in the north: Berlin +01:00

  function values(typed: string): string[] {
    return matchZones(typed, 25, now).map((choice) => choice.value);
  }

  it('finds modern names missing from Node 20 ICU list', () => {
    expect(values('kolkata')).toContain('Asia/Kolkata');
    expect(values('kyiv')).toContain('Europe/Kyiv');
    expect(values('ho chi')).toContain('Asia/Ho_Chi_Minh');
  });

  it('hides the old spelling unless that is what was typed', () => {
    expect(values('asia')).not.toContain('Asia/Calcutta');
    expect(values('Asia/K')).toContain('Asia/Kolkata');
    expect(values('Asia/K')).not.toContain('Asia/Katmandu');
    expect(values('calcutta')).toEqual(['Asia/Calcutta']);
  });

  it('matches spaces for underscores and ranks a city prefix first', () => {
    expect(values('new york')[0]).toBe('America/New_York');
    expect(values('NEW_YORK')[0]).toBe('America/New_York');
    expect(values('berl')[0]).toBe('Europe/Berlin');
    // A city starting with the text beats a region starting with it.
    const ind = values('ind');
    expect(ind.indexOf('America/Indianapolis')).toBeGreaterThanOrEqual(0);
    expect(ind.indexOf('America/Indianapolis')).toBeLessThan(ind.indexOf('Indian/Chagos'));
  });

  it('shows the current offset in the name and the zone as value', () => {
    expect(matchZones('berlin', 25, now)).toEqual([{ name: 'Europe/Berlin (UTC+01:00)', value: 'Europe/Berlin' }]);
    expect(matchZones('kathmandu', 25, now)[0]?.name).toBe('Asia/Kathmandu (UTC+05:45)');
    expect(matchZones('utc', 25, now)[0]).toEqual({ name: 'UTC (UTC+00:00)', value: 'UTC' });
    expect(matchZones('new york', 25, Date.UTC(2026, 6, 1))[0]?.name).toBe('America/New_York (UTC-04:00)');
  });

  it('returns at most 25 choices within Discord limits', () => {
    for (const typed of ['', 'a', 'america', '/', 'e']) {
      const choices = matchZones(typed, 25, now);
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const { name, value } of choices) {
        expect(name.length).toBeLessThanOrEqual(100);
        expect(value.length).toBeLessThanOrEqual(100);
      }
    }
    expect(matchZones('', 100, now)).toHaveLength(25);
    expect(matchZones('a', 5, now)).toHaveLength(5);
  });

  it('returns nothing for no match', () => {
    expect(matchZones('olympus mons', 25, now)).toEqual([]);
  });

  it('offers only zones that normaliseZone accepts as they are', () => {
    for (const typed of ['', 'a', 'e', 'i', 'o', 'u', 'kolkata', 'calcutta']) {
      for (const { value } of matchZones(typed, 25, now)) expect(normaliseZone(value)).toBe(value);
    }
  });
});
