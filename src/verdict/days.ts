import { isoDay } from '../clock.js';
import { DAY } from '../constants.js';
import type { SnapshotClock } from './types.js';

/** Calendar days as 'YYYY-MM-DD', zone-free arithmetic. */
export const addDays = (day: string, days: number): string => isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY);
/** Whole days from `a` to `b`. */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/** Servers without a digest: the snapshot is taken at 00:00 UTC. */
export const UTC_MIDNIGHT: SnapshotClock = { dayOf: isoDay, at: (day) => Date.parse(`${day}T00:00:00Z`) };

/** The day whose snapshot window [at(day), at(day + 1)) holds `now`. */
export function windowDay(clock: SnapshotClock, now: number): string {
  const today = clock.dayOf(now);
  return now >= clock.at(today) ? today : addDays(today, -1);
}

/** Key of a transition (null: no stance), as counted in DayCounts. */
export const moveKey = (from: number | null, to: number | null): string => `${from ?? '-'}>${to ?? '-'}`;
export function parseMove(key: string): { from: number | null; to: number | null } | null {
  const match = /^(-|\d+)>(-|\d+)$/.exec(key);
  if (!match) return null;
  const side = (s: string | undefined) => (s === '-' || s === undefined ? null : Number(s));
  return { from: side(match[1]), to: side(match[2]) };
}
