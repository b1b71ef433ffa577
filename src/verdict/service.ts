import type { Clock } from '../clock.js';
import { DAY } from '../constants.js';
import type { Logger } from '../logger.js';
import { KeyedQueue } from '../queue.js';
import type { HeadlinePoll } from '../story/types.js';
import { UTC_MIDNIGHT } from './days.js';
import { shiftsOf, trendOf } from './queries.js';
import type { VerdictRepository } from './repository.js';
import { countStances } from './snapshots.js';
import { SnapshotRuns } from './snapshot-runs.js';
import { StanceBook } from './stances.js';
import { renderMovement } from './render.js';
import type { Movement, Reading, ReadingPhase, RetractStanceResult, Shifts, Snapshot, SnapshotClock, StanceResult, Standing, Trend } from './types.js';

export interface VerdictDeps {
  repo: VerdictRepository;
  clock: Clock;
  logger: Logger;
  /** The story pack's headline question: its answers are the stances. */
  headline: HeadlinePoll;
  /** The server's snapshot time: its digest's time and zone if it has a digest (wired in src/bot.ts), else null (00:00 UTC). */
  snapshotClock?: (guildId: string) => Promise<SnapshotClock | null>;
  /** History older than this many days is reduced to daily counts. */
  historyDays: number;
  /** A snapshot was stored (for the metrics or the digest). */
  onSnapshot?: (guildId: string, snapshot: Snapshot) => void;
}

/** A member who answered before reading is asked again after this long, if they never reached the last section. */
export const ASK_AFTER_MS = DAY;
/** The longest trend /verdict trend offers. */
export const MAX_TREND_DAYS = 90;

/**
 * The server's standing verdict on the headline question: one stance per member, counts only;
 * a daily snapshot of the distribution; before/after readings; forgetting a member.
 * A process snapshots only the servers it was given (its shards'); the claim on a day's snapshot
 * keeps two processes that briefly own one server from both writing it.
 */
export class VerdictService {
  private readonly book: StanceBook;
  private readonly readings = new KeyedQueue();
  private readonly begun = new Map<string, Promise<void>>();
  private readonly snapshots: SnapshotRuns;

  constructor(private readonly deps: VerdictDeps) {
    this.book = new StanceBook(deps.repo, deps.clock, (guildId) => this.begin(guildId));
    const { repo, clock, logger, historyDays, onSnapshot } = deps;
    this.snapshots = new SnapshotRuns({ repo, clock, logger, historyDays, answers: deps.headline.answers.length, clockOf: (guildId) => this.clockOf(guildId), ...(onSnapshot ? { onSnapshot } : {}) });
  }

  get labels(): string[] {
    return this.deps.headline.answers.map((a) => a.label);
  }

  async standing(guildId: string): Promise<Standing> {
    const members = await this.book.members(guildId);
    const counts = countStances(members.values(), this.labels.length);
    return { labels: this.labels, counts, members: counts.reduce((a, b) => a + b, 0) };
  }

  async stanceOf(guildId: string, userId: string): Promise<number | null> {
    return (await this.book.members(guildId)).get(userId) ?? null;
  }

  /** Resolves once the stance is stored. */
  async state(guildId: string, userId: string, answer: number): Promise<StanceResult> {
    if (!Number.isInteger(answer) || answer < 0 || answer >= this.labels.length) throw new RangeError(`no answer ${answer}`);
    return this.book.state(guildId, userId, answer);
  }

  async retract(guildId: string, userId: string): Promise<RetractStanceResult> {
    return this.book.retract(guildId, userId);
  }

  /**
   * A vote on a headline poll (answer label; null: retracted) counts as a stance. A retracted vote
   * retracts the stance only if it still is that vote's answer. Labels the pack no longer has are ignored.
   */
  async fromHeadlineVote(guildId: string, userId: string, label: string | null, previousLabel: string | null): Promise<void> {
    if (label !== null) {
      const answer = this.labels.indexOf(label);
      if (answer >= 0) await this.book.state(guildId, userId, answer);
    } else if (previousLabel !== null) {
      const previous = this.labels.indexOf(previousLabel);
      if (previous >= 0) await this.book.retract(guildId, userId, previous);
    }
  }

  /** Deletes everything stored about the member in this server (stance, history, readings, the questions asked). Counts already snapshotted stay. */
  async forget(guildId: string, userId: string): Promise<void> {
    await this.readings.run(`${guildId}:${userId}`, () => this.book.forget(guildId, userId));
  }

  /** Whether to ask again after reading: asked before, not yet after. */
  async shouldAskAfter(guildId: string, userId: string): Promise<boolean> {
    const reading = await this.deps.repo.getReading(guildId, userId);
    return reading !== undefined && reading.after === undefined;
  }

  /**
   * The reading question /story should ask the member now, claimed in the store so it is asked once
   * (across processes too): 'before' to a member without a stance who was never asked; 'after' to a
   * member who answered before, once they `finished` the story (reached its last section) or a day
   * after that answer. Null: none.
   */
  async promptFor(guildId: string, userId: string, finished: boolean): Promise<ReadingPhase | null> {
    return this.readings.run(`${guildId}:${userId}`, async () => {
      const reading = await this.deps.repo.getReading(guildId, userId);
      if (!reading) {
        if ((await this.stanceOf(guildId, userId)) !== null) return null;
        return (await this.deps.repo.markPrompted(guildId, userId, 'before', true)) ? 'before' : null;
      }
      if (reading.after !== undefined) return null;
      if (!finished && this.deps.clock.now() - reading.beforeAt < ASK_AFTER_MS) return null;
      return (await this.deps.repo.markPrompted(guildId, userId, 'after', true)) ? 'after' : null;
    });
  }

  /** The question promptFor claimed could not be sent: it may be asked again next time. */
  async promptFailed(guildId: string, userId: string, phase: ReadingPhase): Promise<void> {
    await this.readings.run(`${guildId}:${userId}`, () => this.deps.repo.markPrompted(guildId, userId, phase, false));
  }

  /** Where the member stands before reading (null: no stance); once per member. A stance given is also stated. False: asked already. */
  async recordBefore(guildId: string, userId: string, answer: number | null): Promise<boolean> {
    return this.reading(guildId, userId, answer, (current) => (current ? null : { before: answer, beforeAt: this.deps.clock.now() }));
  }

  /** Where the member stands after reading; only after a before, once. A stance given is also stated. */
  async recordAfter(guildId: string, userId: string, answer: number | null): Promise<boolean> {
    return this.reading(guildId, userId, answer, (current) => (current && current.after === undefined ? { ...current, after: answer, afterAt: this.deps.clock.now() } : null));
  }

  async shifts(guildId: string): Promise<Shifts> {
    return { labels: this.labels, shifts: await shiftsOf(this.deps.repo, await this.clockOf(guildId), guildId, this.labels.length) };
  }

  async trend(guildId: string, days: number): Promise<Trend> {
    const span = Math.min(Math.max(Math.trunc(days), 1), MAX_TREND_DAYS);
    return { labels: this.labels, days: await trendOf(this.deps.repo, await this.clockOf(guildId), guildId, span, this.deps.clock.now()) };
  }

  /** The two latest snapshots taken (null: fewer than two), for the daily digest. */
  async movement(guildId: string): Promise<Movement | null> {
    const taken = (await this.deps.repo.snapshotsOf(guildId)).flatMap((s) => (s.status === 'taken' ? [{ day: s.day, counts: s.counts }] : []));
    const [from, to] = taken.slice(-2);
    return from && to ? { labels: this.labels, from, to } : null;
  }

  /** Whether the server has a verdict (a member ever took a stance): one point read, so a digest of a server without one costs nothing more. */
  async hasVerdict(guildId: string): Promise<boolean> {
    return this.snapshots.has(guildId) || (await this.deps.repo.getGuild(guildId)) !== undefined;
  }

  /** The digest's line on the day's movement ("Villain 41% → 46% since yesterday"), or null before two snapshots. */
  async movementLine(guildId: string): Promise<string | null> {
    const movement = await this.movement(guildId);
    return movement ? renderMovement(movement) : null;
  }

  /** Takes the current day's snapshot now if its time has come and it is not stored yet (see SnapshotRuns). */
  async snapshotIfDue(guildId: string): Promise<void> {
    await this.snapshots.snapshotIfDue(guildId);
  }

  /** Starts snapshotting the servers this process owns that have a verdict. */
  async start(guildIds: Iterable<string>): Promise<void> {
    await this.snapshots.start(guildIds);
  }

  stop(): void {
    this.snapshots.stop();
  }

  /** Settles when stance changes and the snapshot run under way have settled. */
  async idle(): Promise<void> {
    await this.book.idle();
    await this.readings.idle();
    await this.snapshots.idle();
  }

  async tick(): Promise<void> {
    await this.snapshots.tick();
  }

  private async clockOf(guildId: string): Promise<SnapshotClock> {
    return (await this.deps.snapshotClock?.(guildId)) ?? UTC_MIDNIGHT;
  }

  /** The server's first stance: its verdict begins (stored once), and this process snapshots it. */
  private begin(guildId: string): Promise<void> {
    let begun = this.begun.get(guildId);
    if (!begun) {
      const now = this.deps.clock.now();
      begun = this.deps.repo.updateGuild(guildId, (current) => (current ? null : { since: now, lastDay: null })).then(() => {
        this.snapshots.add(guildId, now);
      });
      this.begun.set(guildId, begun);
      begun.catch(() => this.begun.delete(guildId));
    }
    return begun;
  }

  private async reading(guildId: string, userId: string, answer: number | null, change: (current: Reading | undefined) => Reading | null): Promise<boolean> {
    return this.readings.run(`${guildId}:${userId}`, async () => {
      const next = change(await this.deps.repo.getReading(guildId, userId));
      if (!next) return false;
      if (answer !== null) await this.state(guildId, userId, answer);
      await this.deps.repo.setReading(guildId, userId, next);
      return true;
    });
  }
}
