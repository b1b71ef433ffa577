/**
 * The server's standing verdict on the story's headline question. A stance is an index into the
 * story pack's headline poll answers (data/poll.json). Members are never named outside their own
 * records: everything shown is counts.
 */

/** Where the server stands: members per answer, in the pack's answer order. */
export interface Standing {
  labels: string[];
  counts: number[];
  /** Members with a stance (the sum of counts). */
  members: number;
}

export type StanceKind = 'recorded' | 'changed' | 'unchanged';
export interface StanceResult {
  kind: StanceKind;
  previous: number | null;
}
export interface RetractStanceResult {
  kind: 'retracted' | 'none';
  previous: number | null;
}

/** One change of a member's stance (null: no stance), stored as their history. */
export interface StanceChange {
  from: number | null;
  to: number | null;
  at: number;
}

/** A member's stance before reading the story and, once asked again, after. */
export interface Reading {
  before: number | null;
  beforeAt: number;
  after?: number | null;
  afterAt?: number;
}

/** Which reading questions /story has asked a member: each is asked once. */
export interface Prompted {
  before: boolean;
  after: boolean;
}

export type ReadingPhase = keyof Prompted;

/** A day's snapshot of the distribution, or the record that the day has none (the bot was down). */
export type Snapshot =
  | { day: string; status: 'taken'; counts: number[]; at: number; lateMs: number }
  | { day: string; status: 'missing'; at: number };

/** What old history was reduced to: anonymous counts per transition (`from>to`, `-` for no stance). */
export interface DayCounts {
  changes: Record<string, number>;
  shifts: Record<string, number>;
}

/** A server's verdict bookkeeping: since when it runs, and its last snapshot day. */
export interface VerdictGuild {
  since: number;
  lastDay: string | null;
}

/** One day of the trend: counts, or null when the day's snapshot is missing. */
export interface TrendDay {
  day: string;
  counts: number[] | null;
}

export interface Trend {
  labels: string[];
  days: TrendDay[];
}

/** Members who moved from one stance to another (or stayed) between before and after reading. */
export interface Shift {
  from: number | null;
  to: number | null;
  count: number;
}

export interface Shifts {
  labels: string[];
  /** Groups of at least MIN_GROUP members only, largest first. */
  shifts: Shift[];
}

/**
 * When a server's daily snapshot is taken: the calendar day an instant belongs to, and the instant
 * of a day's snapshot time. Servers with a digest use its time and zone (wired in src/bot.ts).
 */
export interface SnapshotClock {
  dayOf(instant: number): string;
  at(day: string): number;
}

/** The two latest snapshots taken, for the day's movement ("Villain 41% → 46% since yesterday"). */
export interface Movement {
  labels: string[];
  from: { day: string; counts: number[] };
  to: { day: string; counts: number[] };
}

/** Fewer members than this making one move are never shown, so no single change can be inferred. */
export const MIN_GROUP = 5;
