import { moveKey } from './days.js';
import type { VerdictRepository } from './repository.js';
import type { DayCounts, SnapshotClock } from './types.js';

/**
 * Reduces a server's history older than the retention period to anonymous daily counts: each old
 * day's stance changes and completed before/after readings are counted into one record (claimed,
 * so written once however many processes do this), then the members' entries are deleted. A run
 * cut short leaves entries whose day is already counted: the next run sees the claim and deletes them.
 * Readings never completed (asked before, never after) that old are simply deleted.
 */
export async function reduceHistory(repo: VerdictRepository, clock: SnapshotClock, guildId: string, cutoff: number): Promise<{ days: number; deleted: number }> {
  const cutoffDay = clock.dayOf(cutoff);
  const old = new Map<string, { counts: DayCounts; drop: Array<() => Promise<void>> }>();
  const bucket = (day: string) => {
    let entry = old.get(day);
    if (!entry) old.set(day, (entry = { counts: { changes: {}, shifts: {} }, drop: [] }));
    return entry;
  };
  const add = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  for (const [key, change] of await repo.historyOf(guildId)) {
    const day = clock.dayOf(change.at);
    if (day >= cutoffDay) continue;
    const entry = bucket(day);
    add(entry.counts.changes, moveKey(change.from, change.to));
    entry.drop.push(() => repo.deleteHistory(key));
  }
  const stale: Array<() => Promise<void>> = [];
  for (const [userId, reading] of await repo.readingsOf(guildId)) {
    if (reading.after === undefined || reading.afterAt === undefined) {
      if (clock.dayOf(reading.beforeAt) < cutoffDay) stale.push(() => repo.deleteReading(guildId, userId));
      continue;
    }
    const day = clock.dayOf(reading.afterAt);
    if (day >= cutoffDay) continue;
    const entry = bucket(day);
    add(entry.counts.shifts, moveKey(reading.before, reading.after));
    entry.drop.push(() => repo.deleteReading(guildId, userId));
  }
  let deleted = 0;
  for (const [day, { counts, drop }] of old) {
    await repo.claimDay(guildId, day, counts); // false: an earlier run counted this day already
    for (const remove of drop) await remove();
    deleted += drop.length;
  }
  for (const remove of stale) await remove();
  return { days: old.size, deleted: deleted + stale.length };
}
