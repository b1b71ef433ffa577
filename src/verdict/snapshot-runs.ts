import type { Clock } from '../clock.js';
import { DAY, retryDelay } from '../constants.js';
import type { Logger } from '../logger.js';
import { Scheduler } from '../scheduler.js';
import type { VerdictRepository } from './repository.js';
import { reduceHistory } from './retention.js';
import { takeSnapshot } from './snapshots.js';
import type { Snapshot, SnapshotClock } from './types.js';

export interface SnapshotRunsDeps {
  repo: VerdictRepository;
  clock: Clock;
  logger: Logger;
  /** How many stances there are (the headline question's answers). */
  answers: number;
  /** The server's snapshot time. */
  clockOf: (guildId: string) => Promise<SnapshotClock>;
  /** History older than this many days is reduced to daily counts. */
  historyDays: number;
  onSnapshot?: (guildId: string, snapshot: Snapshot) => void;
}

/**
 * The verdict's daily snapshots of the servers this process owns: when each is due, taken one
 * server after another by the timer (a snapshot is a few reads), or at once when a digest asks.
 * The claim in the store keeps a day's snapshot once, across processes too.
 */
export class SnapshotRuns {
  /** Owned servers with a verdict → when their next snapshot is due, and the timer that takes the due ones. */
  private readonly timer: Scheduler<number>;
  private readonly plan: Map<string, number>;
  private readonly failures = new Map<string, number>();
  /** The timer's snapshot runs, one after another. */
  private running: Promise<void> = Promise.resolve();
  /** Snapshots a digest asked for, each on its own. */
  private readonly onDemand = new Set<Promise<void>>();

  constructor(private readonly deps: SnapshotRunsDeps) {
    this.timer = new Scheduler(deps.clock, (at) => at, (due, now) => this.launch(due.map(([guildId]) => guildId), now));
    this.plan = this.timer.plan;
  }

  /** Whether this process snapshots the server (it has a verdict and is owned here). */
  has(guildId: string): boolean {
    return this.plan.has(guildId);
  }

  /** A server's verdict began here: snapshot it from now on. */
  add(guildId: string, now: number): void {
    if (!this.plan.has(guildId)) this.plan.set(guildId, now);
    this.timer.arm();
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

  /** Settles when the snapshot run under way, and those a digest asked for, have settled. */
  async idle(): Promise<void> {
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
        const clock = await this.deps.clockOf(guildId);
        const { next, taken } = await takeSnapshot(this.deps.repo, clock, guildId, this.deps.answers, now);
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
}
