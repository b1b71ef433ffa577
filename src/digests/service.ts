import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Collection, Store } from '../storage/store.js';
import type { StoryPack } from '../story/types.js';
import { type DigestContent, renderDigest } from './render.js';
import { Pacer } from './pacer.js';
import { nextRun, zonedTimeToInstant } from './schedule.js';
import { parseTime } from './zones.js';
import { DeliveryError, type DigestSettings, type PollStandings } from './types.js';

export interface DigestSender {
  /** Posts the digest; throws DeliveryError when the channel or a permission is gone. */
  send(settings: DigestSettings, content: DigestContent, nonce: string): Promise<void>;
}

export interface HeadlineSource {
  /** The latest headline poll in a channel `visible` lets through. */
  latest(guildId: string, visible: (channelId: string) => boolean): Promise<PollStandings | null>;
}

/**
 * Whether everyone who can view the digest channel (null: anyone in the server) can view
 * `channelId`. Decided at the edge from Discord's permissions; see src/discord/audience.ts.
 */
export type DigestAudience = (guildId: string, digestChannelId: string | null, channelId: string) => boolean;

export interface DigestDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  pack: StoryPack;
  sender: DigestSender;
  headline: HeadlineSource;
  /** Without it, only a poll in the digest channel itself is shown. */
  audience?: DigestAudience;
  /** Digest sends started per second of real time (Discord allows 50 requests a second in all). */
  sendsPerSecond?: number;
}

// The timer re-checks at least this often, so a long sleep can't drift past a due time.
const MAX_SLEEP = 60_000;

/**
 * Sends each owned server's digest once per local day. Settings and the "last sent" record live in
 * the store; the timer is only a tick. A process schedules only the guilds it was given (the ones
 * its shard owns), so two processes never send for the same server.
 */
export class DigestService {
  private readonly settings: Collection<DigestSettings>;
  private readonly owned = new Map<string, DigestSettings>();
  /** Each owned, enabled server's next run, worked out once per change: ticks compare numbers only. */
  private readonly plan = new Map<string, { at: number; day: string }>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly pacer: Pacer;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: DigestDeps) {
    this.settings = deps.store.collection<DigestSettings>('digests');
    this.pacer = new Pacer(deps.sendsPerSecond ?? 45);
  }

  async get(guildId: string): Promise<DigestSettings | undefined> {
    return this.owned.get(guildId) ?? (await this.settings.get(`guild:${guildId}`));
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
    };
    await this.save(next);
    return next;
  }

  async disable(guildId: string): Promise<DigestSettings | undefined> {
    const current = await this.get(guildId);
    if (!current) return undefined;
    const next = { ...current, enabled: false };
    await this.save(next);
    return next;
  }

  nextRunAt(settings: DigestSettings): number | null {
    return settings.enabled ? this.upcoming(settings, this.deps.clock.now()).at : null;
  }

  /**
   * The next run, skipping a day whose time came before the settings did: setting 09:00 at 14:00
   * starts tomorrow, while a bot that was down at 09:00 still catches up today.
   */
  private upcoming(settings: DigestSettings, now: number): { at: number; day: string } {
    const run = nextRun(settings, now, settings.lastSentDay);
    const { hour, minute } = parseTime(settings.time);
    const scheduled = zonedTimeToInstant(settings.zone, run.day, hour, minute);
    return scheduled < settings.activeSince ? nextRun(settings, now, run.day) : run;
  }

  /** Resolves when every delivery under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  async preview(guildId: string): Promise<DigestContent> {
    return (await this.compose(guildId, await this.get(guildId))).content;
  }

  /** The next digest for a server: its day number, and the headline poll's change since the last one. */
  private async compose(guildId: string, settings: DigestSettings | undefined): Promise<{ content: DigestContent; standings: PollStandings | null }> {
    // Never the standings of a poll from a channel some of the digest's readers cannot view.
    const digestChannel = settings?.channelId ?? null;
    const visible = (channelId: string) => channelId === digestChannel || (this.deps.audience?.(guildId, digestChannel, channelId) ?? false);
    const standings = await this.deps.headline.latest(guildId, visible);
    const snapshot = settings?.pollSnapshot;
    const previous = snapshot && standings && snapshot.pollId === standings.pollId ? snapshot.counts : null;
    return { content: renderDigest(this.deps.pack, (settings?.daysSent ?? 0) + 1, standings, previous), standings };
  }

  /** Loads the settings of the guilds this process owns and starts ticking. */
  async start(guildIds: Iterable<string>): Promise<void> {
    const mine = new Set(guildIds);
    for (const [, settings] of await this.settings.entries('guild:')) {
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
    await this.settings.set(`guild:${settings.guildId}`, settings);
    this.remember(settings);
    if (!this.stopped) this.arm();
  }

  private remember(settings: DigestSettings): void {
    this.owned.set(settings.guildId, settings);
    if (settings.enabled) this.plan.set(settings.guildId, this.upcoming(settings, this.deps.clock.now()));
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
        .then(() => (this.stopped ? undefined : this.deliver(guildId, run.day)))
        .finally(() => this.inFlight.delete(guildId));
      this.inFlight.set(guildId, delivery);
      return delivery;
    });
    this.arm();
    await Promise.all(deliveries);
    if (deliveries.length > 0 && !this.stopped) this.arm();
  }

  private async deliver(guildId: string, day: string): Promise<void> {
    const log = this.deps.logger.child({ guildId, day, job: 'digest' });
    try {
      let settings = this.owned.get(guildId);
      if (!settings) return;
      // Claim the day first, keeping the nonce of an interrupted earlier attempt so Discord dedupes it.
      const nonce = settings.sending?.day === day ? settings.sending.nonce : `dg${this.deps.clock.now().toString(36)}${guildId.slice(-6)}`.slice(0, 25);
      settings = { ...settings, sending: { day, nonce } };
      await this.persist(settings);
      const { content, standings } = await this.compose(guildId, settings);
      try {
        await this.deps.sender.send(settings, content, nonce);
        settings = {
          ...settings,
          daysSent: settings.daysSent + 1,
          lastSentDay: day,
          lastSentAt: this.deps.clock.now(),
          sending: null,
          lastError: null,
          pollSnapshot: standings ? { pollId: standings.pollId, counts: standings.counts } : settings.pollSnapshot,
        };
        log.info({ channelId: settings.channelId, daysSent: settings.daysSent }, 'digest sent');
      } catch (error) {
        // Any failure gives the day up: the next try is tomorrow's time, so a broken channel never loops.
        const reason = error instanceof DeliveryError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        settings = { ...settings, lastSentDay: day, sending: null, lastError: { at: this.deps.clock.now(), reason } };
        log.warn({ err: error, channelId: settings.channelId, reason }, 'digest failed; will retry at the next day\'s time');
      }
      await this.persist(settings);
    } catch (error) {
      log.error({ err: error }, 'digest bookkeeping failed');
    }
  }

  /** Writes without re-arming: deliveries re-arm once, together, when the tick ends. */
  private async persist(settings: DigestSettings): Promise<void> {
    // Settings changed by /digest while this send ran win over the send's copy.
    const current = this.owned.get(settings.guildId);
    const { channelId, time, zone, thread, enabled, activeSince } = current ?? settings;
    const merged = { ...settings, channelId, time, zone, thread, enabled, activeSince };
    await this.settings.set(`guild:${settings.guildId}`, merged);
    this.remember(merged);
  }
}
