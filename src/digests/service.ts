import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { StoryPack } from '../story/types.js';
import { retryDelay } from '../constants.js';
import { decideClaim, recordFailed, recordSent } from './delivery.js';
import { Pacer } from './pacer.js';
import { composeDigest } from './compose.js';
import type { DigestContent } from './render.js';
import type { DigestRepository } from './repository.js';
import { scheduledAt, upcomingRun } from './schedule.js';
import { type DigestAudience, type DigestSender, DeliveryError, type DigestSettings, type HeadlineSource } from './types.js';

export type { DigestAudience, DigestSender, HeadlineSource } from './types.js';

export interface DigestDeps {
  repo: DigestRepository;
  clock: Clock;
  logger: Logger;
  pack: StoryPack;
  sender: DigestSender;
  headline: HeadlineSource;
  /** Without it, only a poll in the digest channel itself is shown. */
  audience?: DigestAudience;
  /** Digest sends started per second of real time (Discord allows 50 requests a second in all). */
  sendsPerSecond?: number;
  /** A digest was posted, or failed for the day: for the metrics, with how late it was (ms after its scheduled time). */
  onDelivered?: (outcome: 'sent' | 'failed', latenessMs: number) => void;
}

// The timer re-checks at least this often, so a long sleep can't drift past a due time.
const MAX_SLEEP = 60_000;

/**
 * Sends each owned server's digest once per local day. Settings and the "last sent" record live in
 * the store; the timer is only a tick. A process schedules only the guilds it was given (the ones
 * its shard owns); when two briefly own one server (a rolling restart), the claim on the day is a
 * compare-and-set in the store (see delivery.ts), so only one sends.
 */
export class DigestService {
  private readonly repo: DigestRepository;
  private readonly owned = new Map<string, DigestSettings>();
  /** Each owned, enabled server's next run, worked out once per change: ticks compare numbers only. */
  private readonly plan = new Map<string, { at: number; day: string; due: number }>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Outcomes sent but not yet stored (the store failed): retried with back-off, never re-sent. */
  private readonly unrecorded = new Map<string, { day: string; change: (current: DigestSettings | undefined) => DigestSettings | null }>();
  /** Consecutive bookkeeping failures per server, for the back-off. */
  private readonly failures = new Map<string, number>();
  /** Names this process in its claims on a day's send. */
  private readonly processId = randomBytes(6).toString('hex');
  private readonly pacer: Pacer;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: DigestDeps) {
    this.repo = deps.repo;
    this.pacer = new Pacer(deps.sendsPerSecond ?? 45);
  }

  async get(guildId: string): Promise<DigestSettings | undefined> {
    return this.owned.get(guildId) ?? (await this.repo.get(guildId));
  }

  /** Saves new settings (keeping the delivery record) and re-arms the schedule. */
  async configure(guildId: string, choice: Pick<DigestSettings, 'channelId' | 'time' | 'zone' | 'thread'>): Promise<DigestSettings> {
    const previous = await this.get(guildId);
    const next: DigestSettings = {
      guildId,
      daysSent: 0,
      lastSentDay: null,
      lastSentAt: null,
      sending: null,
      pollSnapshot: null,
      ...previous,
      ...choice,
      enabled: true,
      activeSince: this.deps.clock.now(),
      lastError: null,
      recordPending: null, // this write stores the in-memory record, pending outcome included
    };
    await this.save(next);
    return next;
  }

  async disable(guildId: string): Promise<DigestSettings | undefined> {
    const current = await this.get(guildId);
    if (!current) return undefined;
    const next = { ...current, enabled: false, recordPending: null };
    await this.save(next);
    return next;
  }

  nextRunAt(settings: DigestSettings): number | null {
    return settings.enabled ? upcomingRun(settings, this.deps.clock.now()).at : null;
  }

  /** Resolves when every delivery under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  async preview(guildId: string): Promise<DigestContent> {
    return (await composeDigest(this.deps, guildId, await this.get(guildId))).content;
  }

  /** Loads the settings of the guilds this process owns and starts ticking. */
  async start(guildIds: Iterable<string>): Promise<void> {
    const mine = new Set(guildIds);
    for (const settings of await this.repo.all()) {
      if (mine.has(settings.guildId)) this.remember(settings);
    }
    this.stopped = false;
    await this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.pacer.release();
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async save(settings: DigestSettings): Promise<void> {
    await this.repo.save(settings);
    this.remember(settings);
    if (!this.stopped) this.arm();
  }

  private remember(settings: DigestSettings): void {
    this.owned.set(settings.guildId, settings);
    if (settings.enabled) {
      const run = upcomingRun(settings, this.deps.clock.now());
      this.plan.set(settings.guildId, { ...run, due: scheduledAt(settings, run.day) });
    }
    else this.plan.delete(settings.guildId);
  }

  private arm(): void {
    this.cancelTimer?.();
    const now = this.deps.clock.now();
    let soonest = now + MAX_SLEEP;
    for (const [guildId, run] of this.plan) if (!this.inFlight.has(guildId)) soonest = Math.min(soonest, run.at);
    this.cancelTimer = this.deps.clock.setTimer(Math.max(soonest - now, 0), () => void this.tick());
  }

  /**
   * Sends every digest that is due. Each server's send is independent, so one failure delays no
   * other; starts are paced under Discord's global limit so a fan-out never blocks the event loop
   * or crowds out the bot's replies.
   */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    const due = [...this.plan].filter(([guildId, run]) => run.at <= now && !this.inFlight.has(guildId));
    const deliveries = due.map(([guildId, run]) => {
      const delivery = this.pacer
        .take()
        .then(() => (this.stopped ? undefined : this.deliver(guildId, run.day, run.due)))
        .finally(() => this.inFlight.delete(guildId));
      this.inFlight.set(guildId, delivery);
      return delivery;
    });
    this.arm();
    await Promise.all(deliveries);
    if (deliveries.length > 0 && !this.stopped) this.arm();
  }

  /**
   * One attempt at a day's digest: claim the day in the store, send (or find the message an
   * interrupted attempt already posted), record the outcome. A failed record never re-sends: the
   * outcome is kept in memory, shown by /digest status, and written again after a back-off.
   */
  private async deliver(guildId: string, day: string, due: number): Promise<void> {
    const log = this.deps.logger.child({ guildId, day, job: 'digest' });
    const unrecorded = this.unrecorded.get(guildId);
    if (unrecorded) return this.record(guildId, unrecorded.day, unrecorded.change, log);
    const now = this.deps.clock.now();
    let claim: ReturnType<typeof decideClaim> | undefined;
    try {
      const freshNonce = `dg${now.toString(36)}${guildId.slice(-6)}`.slice(0, 25);
      await this.update(guildId, (current) => {
        claim = decideClaim(current, day, now, this.processId, freshNonce);
        return claim.kind === 'claim' ? claim.next : null;
      });
    } catch (error) {
      this.bookkeepingFailed(guildId, day, error, log);
      return;
    }
    this.failures.delete(guildId);
    if (!claim || claim.kind === 'done') return;
    if (claim.kind === 'held') {
      // Another process (the other half of a rolling restart) is sending: look again when its claim lapses.
      this.plan.set(guildId, { at: claim.until, day, due });
      return;
    }
    const settings = claim.next;
    const nonce = settings.sending?.nonce ?? '';
    let change: (current: DigestSettings | undefined) => DigestSettings | null;
    try {
      const { content, standings } = await composeDigest(this.deps, guildId, settings);
      const snapshot = standings ? { pollId: standings.pollId, counts: standings.counts } : null;
      if (claim.resumed && (await this.deps.sender.findPosted(settings, nonce))) {
        log.info({ channelId: settings.channelId, nonce }, 'digest was already posted by an interrupted attempt; not posting again');
      } else {
        await this.deps.sender.send(settings, content, nonce);
        log.info({ channelId: settings.channelId, daysSent: settings.daysSent + 1 }, 'digest sent');
        this.deps.onDelivered?.('sent', this.deps.clock.now() - due);
      }
      const sentAt = this.deps.clock.now();
      change = (current) => recordSent(current, day, sentAt, snapshot);
    } catch (error) {
      // Any failure gives the day up: the next try is tomorrow's time, so a broken channel never loops.
      const reason = error instanceof DeliveryError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      const failedAt = this.deps.clock.now();
      change = (current) => recordFailed(current, day, failedAt, reason);
      this.deps.onDelivered?.('failed', failedAt - due);
      log.warn({ err: error, channelId: settings.channelId, reason }, "digest failed; will retry at the next day's time");
    }
    await this.record(guildId, day, change, log);
  }

  /** Writes a delivery's outcome; on failure keeps it in memory and tries again later, never sending again. */
  private async record(guildId: string, day: string, change: (current: DigestSettings | undefined) => DigestSettings | null, log: Logger): Promise<void> {
    try {
      await this.update(guildId, change);
      this.unrecorded.delete(guildId);
      this.failures.delete(guildId);
    } catch (error) {
      this.unrecorded.set(guildId, { day, change });
      const current = this.owned.get(guildId);
      // In memory the day counts as done, so nothing sends it again while the store is failing.
      const done = change(current);
      const reason = `the ${day} digest is done, but recording it failed (${storageReason(error)}); retrying the record, never the post`;
      if (done) this.owned.set(guildId, { ...done, recordPending: { at: this.deps.clock.now(), reason } });
      this.bookkeepingFailed(guildId, day, error, log);
    }
  }

  private bookkeepingFailed(guildId: string, day: string, error: unknown, log: Logger): void {
    const failures = (this.failures.get(guildId) ?? 0) + 1;
    this.failures.set(guildId, failures);
    const delay = retryDelay(failures);
    const current = this.owned.get(guildId);
    const reason = `could not claim the ${day} digest (${storageReason(error)}); nothing was posted, retrying in ${Math.round(delay / 1000)} s`;
    if (current && !this.unrecorded.has(guildId)) this.owned.set(guildId, { ...current, recordPending: { at: this.deps.clock.now(), reason } });
    // A retry keeps the scheduled time, so the lateness it reports includes the back-off.
    this.plan.set(guildId, { at: this.deps.clock.now() + delay, day, due: this.plan.get(guildId)?.due ?? this.deps.clock.now() });
    log.error({ err: error, failures, retryInMs: delay }, 'digest bookkeeping failed; backing off');
  }

  /** Read-compare-and-set of the stored record (see DigestRepository.update), remembering the result. */
  private async update(guildId: string, change: (current: DigestSettings | undefined) => DigestSettings | null): Promise<DigestSettings | undefined> {
    const stored = await this.repo.update(guildId, change);
    if (stored) this.remember(stored);
    return stored;
  }
}

const storageReason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
