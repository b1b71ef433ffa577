import { COLLECTIONS, dayKey, guildDaysPrefix, guildKey, guildUsersPrefix, memberKey } from '../storage/keys.js';
import { type Collection, type Store } from '../storage/store.js';
import type { DayCounts, Prompted, Reading, ReadingPhase, Snapshot, StanceChange, VerdictGuild } from './types.js';

/** A stance value meaning "no stance": a retract is a write, in order with the member's earlier ones. */
const RETRACTED = -1;

/** Members' stances, their history and readings, the daily snapshots and each server's verdict record: what the services use, whichever implementation is behind it (StoreVerdictRepository below, over the shared Store). */
export interface VerdictRepository {
  setStance(guildId: string, userId: string, answer: number | null): Promise<void>;
  getStance(guildId: string, userId: string): Promise<number | null>;
  stancesOf(guildId: string): Promise<Map<string, number>>;
  addChange(guildId: string, userId: string, change: StanceChange): Promise<void>;
  historyOf(guildId: string): Promise<Array<[string, StanceChange]>>;
  deleteHistory(key: string): Promise<void>;
  getReading(guildId: string, userId: string): Promise<Reading | undefined>;
  setReading(guildId: string, userId: string, reading: Reading): Promise<void>;
  readingsOf(guildId: string): Promise<Array<[string, Reading]>>;
  deleteReading(guildId: string, userId: string): Promise<void>;
  getPrompted(guildId: string, userId: string): Promise<Prompted | undefined>;
  markPrompted(guildId: string, userId: string, phase: ReadingPhase, asked: boolean): Promise<boolean>;
  forget(guildId: string, userId: string): Promise<void>;
  getSnapshot(guildId: string, day: string): Promise<Snapshot | undefined>;
  claimSnapshot(guildId: string, snapshot: Snapshot): Promise<boolean>;
  snapshotsOf(guildId: string): Promise<Snapshot[]>;
  claimDay(guildId: string, day: string, counts: DayCounts): Promise<boolean>;
  daysOf(guildId: string): Promise<Map<string, DayCounts>>;
  getGuild(guildId: string): Promise<VerdictGuild | undefined>;
  allGuilds(): Promise<Array<[string, VerdictGuild]>>;
  updateGuild(guildId: string, change: (current: VerdictGuild | undefined) => VerdictGuild | null): Promise<VerdictGuild | undefined>;
}

/**
 * Stances, history, readings and snapshots over the shared Store. One key per member, so a stance
 * costs one small upsert however many members the server has; writes made in the same turn of the
 * event loop are committed together (the store's group commit).
 */
export class StoreVerdictRepository implements VerdictRepository {
  private readonly stances: Collection<number>;
  private readonly history: Collection<StanceChange>;
  private readonly readings: Collection<Reading>;
  private readonly prompts: Collection<Prompted>;
  private readonly snapshots: Collection<Snapshot>;
  private readonly days: Collection<DayCounts>;
  private readonly guilds: Collection<VerdictGuild>;
  /** Tells apart history entries written in the same millisecond. */
  private sequence = 0;

  constructor(store: Store) {
    this.stances = store.collection<number>(COLLECTIONS.verdictStances);
    this.history = store.collection<StanceChange>(COLLECTIONS.verdictHistory);
    this.readings = store.collection<Reading>(COLLECTIONS.verdictReadings);
    this.prompts = store.collection<Prompted>(COLLECTIONS.verdictPrompts);
    this.snapshots = store.collection<Snapshot>(COLLECTIONS.verdictSnapshots);
    this.days = store.collection<DayCounts>(COLLECTIONS.verdictDays);
    this.guilds = store.collection<VerdictGuild>(COLLECTIONS.verdictGuilds);
  }

  async setStance(guildId: string, userId: string, answer: number | null): Promise<void> {
    await this.stances.set(memberKey(guildId, userId), answer ?? RETRACTED);
  }

  async getStance(guildId: string, userId: string): Promise<number | null> {
    const answer = await this.stances.get(memberKey(guildId, userId));
    return answer === undefined || answer === RETRACTED ? null : answer;
  }

  /** userId → stance of every member with one. Loading a server and the daily snapshot only. */
  async stancesOf(guildId: string): Promise<Map<string, number>> {
    const prefix = guildUsersPrefix(guildId);
    const found = new Map<string, number>();
    for (const [key, answer] of await this.stances.entries(prefix)) if (typeof answer === 'number' && answer >= 0) found.set(key.slice(prefix.length), answer);
    return found;
  }

  async addChange(guildId: string, userId: string, change: StanceChange): Promise<void> {
    const n = (this.sequence = (this.sequence + 1) % 1_000_000);
    await this.history.set(`${memberKey(guildId, userId)}:${String(change.at).padStart(15, '0')}:${n}`, change);
  }

  /** Every member's history in a server, as [key, change]. Retention only. */
  async historyOf(guildId: string): Promise<Array<[string, StanceChange]>> {
    return this.history.entries(guildUsersPrefix(guildId));
  }

  async deleteHistory(key: string): Promise<void> {
    await this.history.delete(key);
  }

  async getReading(guildId: string, userId: string): Promise<Reading | undefined> {
    return this.readings.get(memberKey(guildId, userId));
  }

  async setReading(guildId: string, userId: string, reading: Reading): Promise<void> {
    await this.readings.set(memberKey(guildId, userId), reading);
  }

  /** Every reading in a server, as [userId, reading]. /verdict shifts and retention only. */
  async readingsOf(guildId: string): Promise<Array<[string, Reading]>> {
    const prefix = guildUsersPrefix(guildId);
    return (await this.readings.entries(prefix)).map(([key, reading]) => [key.slice(prefix.length), reading]);
  }

  async deleteReading(guildId: string, userId: string): Promise<void> {
    await this.readings.delete(memberKey(guildId, userId));
  }

  async getPrompted(guildId: string, userId: string): Promise<Prompted | undefined> {
    return this.prompts.get(memberKey(guildId, userId));
  }

  /**
   * Marks the reading question `phase` asked (`asked` true) or not asked after all (false), with
   * compare-and-set so two processes never both ask. False: it already was (or already was not).
   */
  async markPrompted(guildId: string, userId: string, phase: ReadingPhase, asked: boolean): Promise<boolean> {
    let wrote = false;
    await this.prompts.update(memberKey(guildId, userId), (current) => {
      wrote = (current?.[phase] ?? false) !== asked;
      return wrote ? { before: false, after: false, ...current, [phase]: asked } : null;
    });
    return wrote;
  }

  /** Deletes everything stored about one member in one server: stance, history, reading, the questions asked. */
  async forget(guildId: string, userId: string): Promise<void> {
    const key = memberKey(guildId, userId);
    await this.stances.delete(key);
    await this.readings.delete(key);
    await this.prompts.delete(key);
    for (const [historyKey] of await this.history.entries(`${key}:`)) await this.history.delete(historyKey);
  }

  async getSnapshot(guildId: string, day: string): Promise<Snapshot | undefined> {
    return this.snapshots.get(dayKey(guildId, day));
  }

  /** Stores a day's snapshot (or its absence) unless the day already has one: exactly one process wins. */
  async claimSnapshot(guildId: string, snapshot: Snapshot): Promise<boolean> {
    return this.snapshots.claim(dayKey(guildId, snapshot.day), snapshot);
  }

  /** A server's snapshots, oldest first. */
  async snapshotsOf(guildId: string): Promise<Snapshot[]> {
    return (await this.snapshots.entries(guildDaysPrefix(guildId))).map(([, s]) => s).sort((a, b) => a.day.localeCompare(b.day));
  }

  async claimDay(guildId: string, day: string, counts: DayCounts): Promise<boolean> {
    return this.days.claim(dayKey(guildId, day), counts);
  }

  /** The counts old history was reduced to, per day. */
  async daysOf(guildId: string): Promise<Map<string, DayCounts>> {
    const prefix = guildDaysPrefix(guildId);
    return new Map((await this.days.entries(prefix)).map(([key, counts]) => [key.slice(prefix.length), counts]));
  }

  async getGuild(guildId: string): Promise<VerdictGuild | undefined> {
    return this.guilds.get(guildKey(guildId));
  }

  /** Every server with a verdict. Start-up only. */
  async allGuilds(): Promise<Array<[string, VerdictGuild]>> {
    const prefix = guildKey('');
    return (await this.guilds.entries(prefix)).map(([key, guild]) => [key.slice(prefix.length), guild]);
  }

  /** Read-compare-and-set of a server's record; `change` returns null to leave it. */
  async updateGuild(guildId: string, change: (current: VerdictGuild | undefined) => VerdictGuild | null): Promise<VerdictGuild | undefined> {
    return this.guilds.update(guildKey(guildId), change);
  }
}
