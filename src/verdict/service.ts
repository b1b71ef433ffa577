import type { Clock } from '../clock.js';
import { DAY, retryDelay } from '../constants.js';
import type { Logger } from '../logger.js';
import { KeyedQueue } from '../queue.js';
import { Scheduler } from '../scheduler.js';
import type { HeadlinePoll } from '../story/types.js';
import { UTC_MIDNIGHT } from './days.js';
import { shiftsOf, trendOf } from './queries.js';
import type { VerdictRepository } from './repository.js';
import { reduceHistory } from './retention.js';
import { countStances, takeSnapshot } from './snapshots.js';
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
  /** Owned servers with a verdict → when their next snapshot is due, and the timer that takes the due ones. */
  private readonly timer: Scheduler<number>;
  private readonly plan: Map<string, number>;
  private readonly failures = new Map<string, number>();
  /** The timer's snapshot runs, one after another. */
  private running: Promise<void> = Promise.resolve();
  /** Snapshots a digest asked for, each on its own. */
  private readonly onDemand = new Set<Promise<void>>();

  constructor(private readonly deps: VerdictDeps) {
    this.book = new StanceBook(deps.repo, deps.clock, (guildId) => this.begin(guildId));
    this.timer = new Scheduler(deps.clock, (at) => at, (due, now) => this.launch(due.map(([guildId]) => guildId), now));
    this.plan = this.timer.plan;
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

  /** Whether to ask the member where they stand before reading: no stance and never asked. */
  async shouldAskBefore(guildId: string, userId: string): Promise<boolean> {
    return (await this.stanceOf(guildId, userId)) === null && (await this.deps.repo.getReading(guildId, userId)) === undefined;
  }

  /** The member's before/after answers, if asked before: /story asks again at the last section, or 24 h after `beforeAt`. */
  async readingOf(guildId: string, userId: string): Promise<Reading | undefined> {
    return this.deps.repo.getReading(guildId, userId);
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
    return this.plan.has(guildId) || (await this.deps.repo.getGuild(guildId)) !== undefined;
  }

  /** The digest's line on the day's movement ("Villain 41% → 46% since yesterday"), or null before two snapshots. */
  async movementLine(guildId: string): Promise<string | null> {
    const movement = await this.movement(guildId);
    return movement ? renderMovement(movement) : null;
  }

  /**
   * Takes the current day's snapshot now if its time has come and it is not stored yet (a no-op
   * otherwise, also across processes): the digest calls it before composing, so a digest sent at the
   * snapshot time shows today's movement whichever timer fires first.
   */
  async snapshotIfDue(guildId: string): Promise<void> {
    // Not queued behind the timer's run of every other server (a digest fan-out would wait for all of
    // them): the claim in the store keeps the day's snapshot once even if the timer's run gets here too.
    const run = this.runDue([guildId], this.deps.clock.now(), true);
    this.onDemand.add(run);
    try {
      await run;
    } finally {
      this.onDemand.delete(run);
    }
  }

  /** Starts snapshotting the servers this process owns that have a verdict. */
  async start(guildIds: Iterable<string>): Promise<void> {
    const mine = new Set(guildIds);
    this.timer.resume();
    for (const [guildId] of await this.deps.repo.allGuilds()) if (mine.has(guildId)) this.plan.set(guildId, this.deps.clock.now());
    await this.tick();
  }

  stop(): void {
    this.timer.stop();
  }

  /** Settles when stance changes and the snapshot run under way have settled. */
  async idle(): Promise<void> {
    await this.book.idle();
    await this.readings.idle();
    await this.running;
    await Promise.all(this.onDemand);
  }

  /** Takes every snapshot that is due (one server after another: a snapshot is a few reads); each server's day is the window the tick fired in. */
  async tick(): Promise<void> {
    await this.timer.tick();
  }

  /** The due servers' snapshots, chained after the run under way; each server's promise settles when its own is done. */
  private launch(guildIds: string[], now: number): Map<string, Promise<void>> {
    const done = new Map<string, () => void>();
    const runs = new Map(guildIds.map((guildId) => [guildId, new Promise<void>((resolve) => done.set(guildId, resolve))]));
    this.running = this.running.then(() => this.runDue(guildIds, now, false, done));
    return runs;
  }

  private async runDue(guildIds: string[], now: number, onDemand = false, done?: Map<string, () => void>): Promise<void> {
    for (const guildId of guildIds) {
      try {
        if (!this.timer.running && !onDemand) continue;
        const clock = await this.clockOf(guildId);
        const { next, taken } = await takeSnapshot(this.deps.repo, clock, guildId, this.labels.length, now);
        this.failures.delete(guildId);
        this.plan.set(guildId, next);
        if (taken) {
          this.deps.logger.info({ guildId, day: taken.day }, 'verdict snapshot taken');
          this.deps.onSnapshot?.(guildId, taken);
          // Asked for by a digest: the history is reduced after, with the timer's runs, not before it goes out.
          if (onDemand) this.running = this.running.then(() => this.reduce(guildId, clock, now));
          else await this.reduce(guildId, clock, now);
        }
      } catch (error) {
        const failures = (this.failures.get(guildId) ?? 0) + 1;
        this.failures.set(guildId, failures);
        this.plan.set(guildId, this.deps.clock.now() + retryDelay(failures));
        this.deps.logger.warn({ err: error, guildId }, 'could not take the verdict snapshot; retrying');
      } finally {
        done?.get(guildId)?.();
      }
    }
  }

  /** Best effort once a day: a failure is retried with the next snapshot. */
  private async reduce(guildId: string, clock: SnapshotClock, now: number): Promise<void> {
    try {
      const { deleted } = await reduceHistory(this.deps.repo, clock, guildId, now - this.deps.historyDays * DAY);
      if (deleted > 0) this.deps.logger.info({ guildId, deleted }, 'verdict history reduced to daily counts');
    } catch (error) {
      this.deps.logger.warn({ err: error, guildId }, 'could not reduce old verdict history');
    }
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
        if (!this.plan.has(guildId)) this.plan.set(guildId, now);
        this.timer.arm();
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
