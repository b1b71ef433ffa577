import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { StoryPack } from '../story/types.js';
import { retryDelay } from '../constants.js';
import { attemptDay, type RecordChange } from './attempt.js';
import { claimFailedReason, decideClaim, recordFailedReason, withChoice } from './delivery.js';
import { Scheduler } from '../scheduler.js';
import { Pacer } from './pacer.js';
import { composeDigest } from './compose.js';
import type { DigestContent } from './render.js';
import type { DigestRepository } from './repository.js';
import { type PlannedRun, plannedRun, upcomingRun } from './schedule.js';
import { type DigestAudience, type DigestChoice, type DigestLocale, type DigestSender, type DigestSettings, type HeadlineSource, type VerdictSource, type DebateSource } from './types.js';

export type { DigestAudience, DigestChoice, DigestSender, HeadlineSource, VerdictSource } from './types.js';

export interface DigestDeps {
  repo: DigestRepository;
  clock: Clock;
  logger: Logger;
  pack: StoryPack;
  sender: DigestSender;
  headline: HeadlineSource;
  /** Without it, only a poll in the digest channel itself is shown. */
  audience?: DigestAudience;
  /** The verdict's movement and chart; without it the digest has no verdict field. */
  verdict?: VerdictSource;
  /** The top arguments and the new developments; without it the digest has neither. */
  debate?: DebateSource;
  /** The language digests are written in; without it, English. */
  locale?: DigestLocale;
  /** Digest sends started per second of real time (Discord allows 50 requests a second in all). */
  sendsPerSecond?: number;
  /** A digest was posted, or failed for the day: for the metrics, with how late it was (ms after its scheduled time). */
  onDelivered?: (outcome: 'sent' | 'failed', latenessMs: number) => void;
}

/** Schedules (channels with a digest) one server may have. */
export const MAX_DIGEST_SCHEDULES = 10;

/** One schedule's identity in this process's maps: a server may have one schedule per channel. */
const scheduleId = (guildId: string, channelId: string): string => `${guildId}/${channelId}`;

/**
 * Sends each owned server's digests, each schedule (one per channel) once per local day. Settings
 * and the "last sent" record live in the store; the timer is only a tick. A process schedules only the guilds it was given (the ones
 * its shard owns); when two briefly own one server (a rolling restart), the claim on the day is a
 * compare-and-set in the store (see delivery.ts), so only one sends.
 */
export class DigestService {
  private readonly repo: DigestRepository;
  /** Owned schedules by scheduleId. */
  private readonly owned = new Map<string, DigestSettings>();
  /** Each owned, enabled schedule's next run (its plan), and the timer that starts the due ones. */
  private readonly timer: Scheduler<PlannedRun>;
  /** Outcomes sent but not yet stored (the store failed): retried with back-off, never re-sent. */
  private readonly unrecorded = new Map<string, { day: string; change: RecordChange }>();
  /** Consecutive bookkeeping failures per schedule, for the back-off. */
  private readonly failures = new Map<string, number>();
  /** Names this process in its claims on a day's send. */
  private readonly processId = randomBytes(6).toString('hex');
  private readonly pacer: Pacer;

  constructor(private readonly deps: DigestDeps) {
    this.repo = deps.repo;
    this.pacer = new Pacer(deps.sendsPerSecond ?? 45);
    this.timer = new Scheduler(deps.clock, (run) => run.at, (due) => this.launch(due), true);
  }


  /** One schedule: the server's digest in one channel. */
  async get(guildId: string, channelId: string): Promise<DigestSettings | undefined> {
    return this.owned.get(scheduleId(guildId, channelId)) ?? (await this.repo.get(guildId, channelId));
  }

  /** Every schedule of a server, as this process knows them (a pending record included). */
  async list(guildId: string): Promise<DigestSettings[]> {
    return (await this.repo.list(guildId)).map((stored) => this.owned.get(scheduleId(guildId, stored.channelId)) ?? stored);
  }

  /**
   * Saves a schedule's new settings and re-arms it. A compare-and-set on the stored record, so the
   * delivery record in the store (another process's claim on a day, the day it sent) is kept, never
   * overwritten by this process's older copy.
   */
  async configure(guildId: string, choice: DigestChoice): Promise<DigestSettings> {
    const activeSince = this.deps.clock.now();
    const stored = await this.changeSettings(guildId, choice.channelId, (current) => withChoice(current, guildId, choice, activeSince));
    // The change always returns a record, so the store has one now.
    return stored!;
  }

  /** Stops a schedule (its settings and delivery record kept), with compare-and-set like configure. */
  async disable(guildId: string, channelId: string): Promise<DigestSettings | undefined> {
    return this.changeSettings(guildId, channelId, (current) => (current ? { ...current, enabled: false, recordPending: null } : null));
  }

  /**
   * Gives up the schedule's next due day only; the day after is as usual. Skipping again while a
   * day is skipped changes nothing (it never skips two days). Resolves to the record, the day
   * skipped, and whether it was skipped already.
   */
  async skip(guildId: string, channelId: string): Promise<{ settings: DigestSettings; day: string; already: boolean } | undefined> {
    const now = this.deps.clock.now();
    let result: { day: string; already: boolean } | undefined;
    const stored = await this.update(guildId, channelId, (current) => {
      if (!current?.enabled) return null;
      const day = upcomingRun({ ...current, skipDay: null }, now).day;
      result = { day, already: current.skipDay === day };
      return result.already ? null : { ...current, skipDay: day };
    });
    if (!stored || !result) return undefined;
    this.timer.arm();
    return { settings: stored, ...result };
  }

  nextRunAt(settings: DigestSettings): number | null {
    return settings.enabled ? upcomingRun(settings, this.deps.clock.now()).at : null;
  }

  /** Resolves when every delivery under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.timer.idle();
  }

  /** The next digest of one schedule, or of the server before any is set up (channelId null). */
  async preview(guildId: string, channelId: string | null): Promise<DigestContent> {
    return (await composeDigest(this.deps, guildId, channelId === null ? undefined : await this.get(guildId, channelId))).content;
  }

  /** Loads the settings of the guilds this process owns and starts ticking. */
  async start(guildIds: Iterable<string>): Promise<void> {
    const mine = new Set(guildIds);
    for (const settings of await this.repo.all()) {
      if (mine.has(settings.guildId)) this.remember(settings);
    }
    this.timer.resume();
    await this.tick();
  }

  stop(): void {
    this.timer.stop();
    this.pacer.release();
  }

  /** A settings change (an admin's command) applied to the stored record, then re-armed. */
  private async changeSettings(guildId: string, channelId: string, change: RecordChange): Promise<DigestSettings | undefined> {
    const stored = await this.update(guildId, channelId, change);
    this.timer.arm();
    return stored;
  }

  private remember(settings: DigestSettings): void {
    const id = scheduleId(settings.guildId, settings.channelId);
    this.owned.set(id, settings);
    if (settings.enabled) {
      this.timer.plan.set(id, plannedRun(settings, this.deps.clock.now()));
    }
    else this.timer.plan.delete(id);
  }

  /**
   * Sends every digest that is due. Each schedule's send is independent, so one failure delays no
   * other; starts are paced under Discord's global limit so a fan-out never blocks the event loop
   * or crowds out the bot's replies.
   */
  async tick(): Promise<void> {
    await this.timer.tick();
  }

  private launch(due: Array<[string, PlannedRun]>): Map<string, Promise<void>> {
    return new Map(due.map(([id, run]) => [id, this.pacer.take().then(() => (this.timer.running ? this.deliver(run) : undefined))]));
  }

  /**
   * One attempt at a day's digest: claim the day in the store, send (or find the message an
   * interrupted attempt already posted), record the outcome. A failed record never re-sends: the
   * outcome is kept in memory, shown by /digest status, and written again after a back-off.
   */
  private async deliver(run: PlannedRun): Promise<void> {
    const { guildId, channelId, day } = run;
    const id = scheduleId(guildId, channelId);
    const log = this.deps.logger.child({ guildId, channelId, day, job: 'digest' });
    const unrecorded = this.unrecorded.get(id);
    if (unrecorded) return this.record(run, unrecorded.day, unrecorded.change, log);
    const now = this.deps.clock.now();
    let claim: ReturnType<typeof decideClaim> | undefined;
    try {
      // Per channel: two schedules of one server due at the same instant never share a nonce.
      const freshNonce = `dg${now.toString(36)}${channelId.slice(-6)}`.slice(0, 25);
      await this.update(guildId, channelId, (current) => {
        claim = decideClaim(current, day, now, this.processId, freshNonce);
        return claim.kind === 'claim' ? claim.next : null;
      });
    } catch (error) {
      this.bookkeepingFailed(run, error, log);
      return;
    }
    this.failures.delete(id);
    if (!claim || claim.kind === 'done') return;
    if (claim.kind === 'held') {
      // Another process (the other half of a rolling restart) is sending: look again when its claim lapses.
      this.timer.plan.set(id, { ...run, at: claim.until });
      return;
    }
    const change = await attemptDay(this.deps, claim.next, claim.resumed, run, log);
    await this.record(run, day, change, log);
  }

  /** Writes a delivery's outcome; on failure keeps it in memory and tries again later, never sending again. */
  private async record(run: PlannedRun, day: string, change: RecordChange, log: Logger): Promise<void> {
    const id = scheduleId(run.guildId, run.channelId);
    try {
      await this.update(run.guildId, run.channelId, change);
      this.unrecorded.delete(id);
      this.failures.delete(id);
    } catch (error) {
      this.unrecorded.set(id, { day, change });
      const current = this.owned.get(id);
      // In memory the day counts as done, so nothing sends it again while the store is failing.
      const done = change(current);
      if (done) this.owned.set(id, { ...done, recordPending: { at: this.deps.clock.now(), reason: recordFailedReason(day, error) } });
      this.bookkeepingFailed({ ...run, day }, error, log);
    }
  }

  private bookkeepingFailed(run: PlannedRun, error: unknown, log: Logger): void {
    const id = scheduleId(run.guildId, run.channelId);
    const failures = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, failures);
    const delay = retryDelay(failures);
    const current = this.owned.get(id);
    if (current && !this.unrecorded.has(id)) this.owned.set(id, { ...current, recordPending: { at: this.deps.clock.now(), reason: claimFailedReason(run.day, error, delay) } });
    // A retry keeps the scheduled time, so the lateness it reports includes the back-off.
    this.timer.plan.set(id, { ...run, at: this.deps.clock.now() + delay, due: this.timer.plan.get(id)?.due ?? this.deps.clock.now() });
    log.error({ err: error, failures, retryInMs: delay }, 'digest bookkeeping failed; backing off');
  }

  /** Read-compare-and-set of the stored record (see DigestRepository.update), remembering the result. */
  private async update(guildId: string, channelId: string, change: RecordChange): Promise<DigestSettings | undefined> {
    const stored = await this.repo.update(guildId, channelId, change);
    if (stored) this.remember(stored);
    return stored;
  }
}
