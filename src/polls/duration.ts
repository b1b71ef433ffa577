import { inert } from '../text/inert.js';
import { UserError } from '../errors.js';
import { DAY, HOUR, MINUTE } from '../constants.js';

export { DAY, HOUR, MINUTE } from '../constants.js';
export const MIN_DURATION = MINUTE;
export const MAX_DURATION = 32 * DAY;
/** Callers use this when the member gives no duration. */
export const DEFAULT_DURATION = 24 * HOUR;

const UNITS: Record<string, number> = {
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
};
const PART = /(\d+)\s*([a-z]+)\s*/gy;
/** Reads `90m`, `12h`, `7d`, `1d12h`, `45 m`, `2 hours` (any case) as milliseconds. */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  const shown = inert(text.trim().slice(0, 40));
  if (input === '') throw UserError.of('poll.durationEmpty');
  if (input.startsWith('-')) throw UserError.of('poll.durationNegative', { input: shown });
  let total = 0;
  PART.lastIndex = 0;
  let end = 0;
  for (let match = PART.exec(input); match; match = PART.exec(input)) {
    const unit = UNITS[match[2] ?? ''];
    if (unit === undefined) break;
    total += Number(match[1]) * unit;
    end = PART.lastIndex;
  }
  if (end === 0 || end !== input.length) throw UserError.of('poll.durationUnreadable', { input: shown });
  if (total < MIN_DURATION) throw UserError.of('poll.durationTooShort');
  if (total > MAX_DURATION) throw UserError.of('poll.durationTooLong', { input: shown });
  return total;
}

/** `1d 12h`, `1h 30m`, `7d`: whole minutes, largest units first, zero parts left out. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  return [days && `${days}d`, hours && `${hours}h`, mins && `${mins}m`].filter(Boolean).join(' ');
}
