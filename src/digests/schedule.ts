/**
 * When a server's daily digest is due. Pure functions over epoch milliseconds: no timers, no
 * storage. The caller keeps `lastSentDay` (the local day of the last digest sent) in its store and
 * uses a Clock timer only as the tick that re-asks `nextRun`.
 */
import { isoDay } from '../clock.js';
import { DAY, HOUR, MINUTE } from '../constants.js';
import { offsetAt, wallClockAt } from './wall-clock.js';
import { parseTime } from './zones.js';

/**
 * The next run, skipping a day whose time came before the settings did: setting 09:00 at 14:00
 * starts tomorrow, while a bot that was down at 09:00 still catches up today.
 */
export function upcomingRun(settings: DigestSchedule & { lastSentDay: string | null; activeSince: number; skipDay?: string | null }, now: number): DigestRun {
  let run = nextRun(settings, now, settings.lastSentDay);
  if (scheduledAt(settings, run.day) < settings.activeSince) run = nextRun(settings, now, run.day);
  // `/digest skip` gives up one day only: the run after it is the usual one.
  return run.day === settings.skipDay ? nextRun(settings, now, run.day) : run;
}

/** The instant `day`'s digest is scheduled for; a run that catches up is late by `at` minus this. */
export function scheduledAt(settings: DigestSchedule, day: string): number {
  const { hour, minute } = parseTime(settings.time);
  return zonedTimeToInstant(settings.zone, day, hour, minute);
}

/** One schedule's next run, as the service's timer plans it. */
export interface PlannedRun extends DigestRun {
  guildId: string;
  channelId: string;
  /** When the run was scheduled for (lateness is measured from it). */
  due: number;
}

/** A schedule's next run after `now` (see upcomingRun), with when it was scheduled for. */
export function plannedRun(settings: Parameters<typeof upcomingRun>[0] & { guildId: string; channelId: string }, now: number): PlannedRun {
  const run = upcomingRun(settings, now);
  return { guildId: settings.guildId, channelId: settings.channelId, ...run, due: scheduledAt(settings, run.day) };
}

export interface DigestSchedule {
  /** Local time of day, 'HH:MM' 24-hour. */
  time: string;
  /** IANA zone as returned by normaliseZone. */
  zone: string;
}

export interface DigestRun {
  /** When to send, epoch ms. */
  at: number;
  /** The local calendar day ('YYYY-MM-DD') this run is for: store it as lastSentDay once sent. */
  day: string;
}

/** The local calendar day 'YYYY-MM-DD' in `zone` at `instant`. */
export function localDate(zone: string, instant: number): string {
  const wall = wallClockAt(zone, instant);
  return isoDay(Date.UTC(wall.year, wall.month - 1, wall.day));
}

/** 'YYYY-MM-DD' plus `days` calendar days (pure calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return isoDay(parseDate(date) + days * DAY);
}

/**
 * The instant at which the wall clock in `zone` shows `date` `hour`:`minute`.
 * - A time skipped by a spring-forward gap gives the first minute that exists after the gap
 *   (02:30 Berlin on 2026-03-29 → 03:00 local), so the day still gets exactly one run.
 * - A time that happens twice at fall-back gives the first occurrence.
 */
export function zonedTimeToInstant(zone: string, date: string, hour: number, minute: number): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`Invalid time of day ${hour}:${minute}`);
  }
  const wall = parseDate(date) + hour * HOUR + minute * MINUTE;
  // The wall time read as UTC is within ±14 h of the real instant, so the offsets a day either side
  // are the only ones that can apply (the same bracket Temporal uses).
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const valid = [wall - before, wall - after].filter((t) => offsetAt(zone, t) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  return endOfGap(zone, wall - after, wall - before);
}

/**
 * The first whole minute in (lo, hi] whose offset already is the one after the gap. In a gap the
 * new offset is larger, so `lo` (wall − new offset) lies before the transition and `hi` after it.
 */
function endOfGap(zone: string, lo: number, hi: number): number {
  const target = offsetAt(zone, hi);
  let low = Math.floor(lo / MINUTE); // offset here is still the old one
  let high = Math.ceil(hi / MINUTE); // offset here is the new one
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(zone, mid * MINUTE) === target) high = mid;
    else low = mid;
  }
  return high * MINUTE;
}

/**
 * The next digest run at or after `after`.
 *
 * Rule: today's digest is due at its time; if the bot starts after that time on the same local day
 * and today's digest was not sent, it is due at once (`at === after`); never twice for one local
 * day. Days up to and including `lastSentDay` are skipped, so after sending today's digest the next
 * run is tomorrow's, even when the time repeats at fall-back. A day missed entirely while the bot
 * was down (yesterday) is not caught up: "today" is the local day of `after`.
 */
export function nextRun(schedule: DigestSchedule, after: number, lastSentDay: string | null): DigestRun {
  const { hour, minute } = parseTime(schedule.time);
  const today = localDate(schedule.zone, after);
  let day = lastSentDay !== null && lastSentDay >= today ? addDays(lastSentDay, 1) : today;
  // Normally settles on the first or second day; the bound only guards against a broken zone.
  for (let tries = 0; tries < 7; tries++, day = addDays(day, 1)) {
    const at = zonedTimeToInstant(schedule.zone, day, hour, minute);
    if (at >= after) return { at, day };
    if (day === today) return { at: after, day }; // missed while down: catch up now
  }
  throw new Error(`No digest run found for ${schedule.time} ${schedule.zone} after ${new Date(after).toISOString()}`);
}

/** Whether a digest should go out at `now`, and for which local day. */
export function isDue(schedule: DigestSchedule, now: number, lastSentDay: string | null): { due: boolean; day: string } {
  const run = nextRun(schedule, now, lastSentDay);
  return { due: run.at <= now, day: run.day };
}

function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that.
  if (Number.isNaN(ms) || isoDay(ms) !== date) throw new RangeError(`Invalid date "${date}", expected YYYY-MM-DD`);
  return ms;
}

