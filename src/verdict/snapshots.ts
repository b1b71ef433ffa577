import { addDays, windowDay } from './days.js';
import type { VerdictRepository } from './repository.js';
import type { Snapshot, SnapshotClock } from './types.js';

/** At most this many days back are recorded as missing after an outage (a year and a bit). */
export const MAX_GAP_DAYS = 400;

/** The first day whose snapshot belongs to a verdict that began at `since`: a window that opened before it does not. */
export function firstDay(clock: SnapshotClock, since: number): string {
  const day = windowDay(clock, since);
  return clock.at(day) >= since ? day : addDays(day, 1);
}

/** Members per answer, from stored stances; a stance outside the answers (an older pack) is not counted. */
export function countStances(stances: Iterable<number>, answers: number): number[] {
  const counts = new Array<number>(answers).fill(0);
  for (const answer of stances) if (answer >= 0 && answer < answers) counts[answer]! += 1;
  return counts;
}

/**
 * Takes the snapshot of the window `now` falls in, unless the day has one: the claim in the store
 * lets exactly one process (of several shards, or across a restart) write it. Days between the last
 * snapshot and this one, when nobody took theirs (the bot was down), are recorded as missing: their
 * counts are never made up. Resolves to when the next snapshot is due, and the snapshot this call
 * stored (null: none was due, or another process stored it).
 */
export async function takeSnapshot(repo: VerdictRepository, clock: SnapshotClock, guildId: string, answers: number, now: number): Promise<{ next: number; taken: Snapshot | null }> {
  const guild = await repo.getGuild(guildId);
  const day = windowDay(clock, now);
  const next = clock.at(addDays(day, 1));
  if (!guild) return { next, taken: null };
  const first = firstDay(clock, guild.since);
  if (day < first) return { next: clock.at(first), taken: null };
  let taken: Snapshot | null = null;
  if (!(await repo.getSnapshot(guildId, day))) {
    const counts = countStances((await repo.stancesOf(guildId)).values(), answers);
    const snapshot: Snapshot = { day, status: 'taken', counts, at: now, lateMs: now - clock.at(day) };
    if (await repo.claimSnapshot(guildId, snapshot)) taken = snapshot;
  }
  const from = guild.lastDay && guild.lastDay >= first ? addDays(guild.lastDay, 1) : first;
  const gapStart = from < addDays(day, -MAX_GAP_DAYS) ? addDays(day, -MAX_GAP_DAYS) : from;
  for (let missed = gapStart; missed < day; missed = addDays(missed, 1)) await repo.claimSnapshot(guildId, { day: missed, status: 'missing', at: now });
  await repo.updateGuild(guildId, (current) => (current && (current.lastDay === null || current.lastDay < day) ? { ...current, lastDay: day } : null));
  return { next, taken };
}
