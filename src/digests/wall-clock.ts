/**
 * What a wall clock in an IANA zone shows at an instant, and the zone's UTC offset then, computed
 * with Intl alone (Node's ICU carries the tz database). Callers pass zones already validated by
 * normaliseZone; an unknown zone throws RangeError here.
 */
import { MINUTE } from '../constants.js';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building a DateTimeFormat costs far more than using one; the set of zones is bounded (~600 names).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    // Fixed locale, calendar and digits so the parts are always Gregorian ASCII numbers;
    // hourCycle h23 so midnight is 0, never 24.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function wallClockAt(zone: string, instant: number): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  if (wall.hour === 24) wall.hour = 0; // some ICU builds still say 24 at midnight
  return wall;
}

/** The wall clock read as if it were UTC, in epoch ms: comparable across zones and days. */
export function wallClockMs(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The zone's offset from UTC at `instant` in ms (Berlin in summer: +7_200_000). */
export function offsetAt(zone: string, instant: number): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000; // the parts carry no milliseconds
  return wallClockMs(wallClockAt(zone, wholeSecond)) - wholeSecond;
}

/** "UTC+05:45", "UTC-03:00", "UTC+00:00". */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `UTC${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}
