import { addDays, parseMove, windowDay } from './days.js';
import type { VerdictRepository } from './repository.js';
import { MIN_GROUP, type Shift, type SnapshotClock, type TrendDay } from './types.js';

/** The last `days` days of snapshots up to the current window, oldest first; a missing day has null counts. Days before the first snapshot are left out. */
export async function trendOf(repo: VerdictRepository, clock: SnapshotClock, guildId: string, days: number, now: number): Promise<TrendDay[]> {
  const last = windowDay(clock, now);
  const first = addDays(last, -(days - 1));
  return (await repo.snapshotsOf(guildId)).filter((s) => s.day >= first && s.day <= last).map((s) => ({ day: s.day, counts: s.status === 'taken' ? s.counts : null }));
}

/**
 * Anonymous before → after transitions: completed readings still stored plus the daily counts old
 * ones were reduced to (a reading whose day is counted already is not counted twice). Only groups
 * of at least MIN_GROUP members are returned, largest first.
 */
export async function shiftsOf(repo: VerdictRepository, clock: SnapshotClock, guildId: string, answers: number): Promise<Shift[]> {
  const reduced = await repo.daysOf(guildId);
  const totals = new Map<string, Shift>();
  const add = (from: number | null, to: number | null, n: number) => {
    if ((from !== null && from >= answers) || (to !== null && to >= answers)) return;
    const key = `${from}>${to}`;
    const shift = totals.get(key) ?? { from, to, count: 0 };
    shift.count += n;
    totals.set(key, shift);
  };
  for (const counts of reduced.values()) {
    for (const [key, n] of Object.entries(counts.shifts)) {
      const move = parseMove(key);
      if (move) add(move.from, move.to, n);
    }
  }
  for (const [, reading] of await repo.readingsOf(guildId)) {
    if (reading.after === undefined || reading.afterAt === undefined || reduced.has(clock.dayOf(reading.afterAt))) continue;
    add(reading.before, reading.after, 1);
  }
  return [...totals.values()].filter((s) => s.count >= MIN_GROUP).sort((a, b) => b.count - a.count || String(a.from).localeCompare(String(b.from)) || String(a.to).localeCompare(String(b.to)));
}
