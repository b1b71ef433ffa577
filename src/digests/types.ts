import type { PollStandings } from '../polls/types.js';
import type { DigestContent } from './render.js';

/**
 * One digest schedule of a server (one per channel) and its delivery record, stored under
 * `guild:<g>:channel:<c>` in `digests`. A server set up before several schedules existed keeps its
 * one record under `guild:<g>` (see repository.ts): it is read as that channel's schedule.
 */
export interface DigestSettings {
  guildId: string;
  /** The schedule's channel: a text, announcement or forum channel. Never changes for a record. */
  channelId: string;
  /** 'HH:MM', local to `zone`. */
  time: string;
  zone: string;
  thread: boolean;
  enabled: boolean;
  /** When these settings were saved: a day whose time came earlier is not caught up. */
  activeSince: number;
  /** Digests sent so far: the next one is "Day daysSent + 1", and it picks the rotation. */
  daysSent: number;
  /** Local day of the last digest sent or given up on: never a second one for that day. */
  lastSentDay: string | null;
  lastSentAt: number | null;
  /**
   * The claim on a day's send, taken with compare-and-set before sending and cleared after. `by` is
   * the claiming process, `until` when the claim lapses if that process died. A later attempt of the
   * same day keeps the nonce and first looks in the channel for the message it may have posted.
   */
  sending: { day: string; nonce: string; by?: string; until?: number } | null;
  lastError: { at: number; reason: string } | null;
  /** Bookkeeping that failed and is being retried (the digest itself is not sent again): shown by /digest status. */
  recordPending?: { at: number; reason: string } | null;
  /** The headline poll's counts at the last digest, to show the change since. */
  pollSnapshot: { pollId: string; counts: number[] } | null;
  /** The local day `/digest skip` gave up in advance: no digest that day, the next one the day after. */
  skipDay: string | null;
  /** The role the digest mentions, which members add or drop with its "Notify me" button. */
  notifyRoleId: string | null;
  /** Sent, but a follow-up step failed (publishing to following servers): shown by /digest status. */
  lastWarning: { at: number; reason: string } | null;
}

/** What an admin chooses for one schedule with /digest set. */
export type DigestChoice = Pick<DigestSettings, 'channelId' | 'time' | 'zone' | 'thread'> & Partial<Pick<DigestSettings, 'notifyRoleId'>>;

/** A record as stored by any version: the fields added since may be missing. */
export type StoredDigestSettings = Omit<DigestSettings, 'skipDay' | 'notifyRoleId' | 'lastWarning'> & Partial<Pick<DigestSettings, 'skipDay' | 'notifyRoleId' | 'lastWarning'>>;

/** Reads a stored record of any version as today's shape (migrate on read: nothing is rewritten until it changes). */
export function fromStored(stored: StoredDigestSettings): DigestSettings {
  return { ...stored, skipDay: stored.skipDay ?? null, notifyRoleId: stored.notifyRoleId ?? null, lastWarning: stored.lastWarning ?? null };
}

/** The server's latest headline poll, as the digest shows it: polls' public type (polls/types.ts). */
export type { PollStandings } from '../polls/types.js';

export interface DigestSender {
  /**
   * Posts the digest, marked with `nonce`; throws DeliveryError when the channel or a permission is
   * gone. Resolves to a warning when it was posted but a follow-up step (publishing) failed.
   */
  send(settings: DigestSettings, content: DigestContent, nonce: string): Promise<string | void>;
  /** Whether the channel holds this bot's digest marked with `nonce` (an interrupted attempt's), searched from the start of `settings.sending`'s day, however much was posted since. */
  findPosted(settings: DigestSettings, nonce: string): Promise<boolean>;
}

/** Where the digest gets the headline poll's standings; wired to polls' latestHeadline in bot.ts. */
export interface HeadlineSource {
  /** The latest headline poll in a channel `visible` lets through. */
  latest(guildId: string, visible: (channelId: string) => boolean): Promise<PollStandings | null>;
}

/** A chart the digest carries as an attachment (a PNG), with its alt text. */
export interface DigestChart {
  png: Buffer;
  /** The attachment's file name, e.g. `verdict-trend.png`. */
  name: string;
  /** Alt text (at most 1,024 characters, Discord's attachment description). */
  alt: string;
}

/** The verdict's part of a digest: the line on the day's movement and the trend chart, each null when there is none. */
export interface DigestVerdict {
  movement: string | null;
  chart: DigestChart | null;
}

/**
 * Where the digest gets the server's verdict (src/verdict, through the types it exports); wired in
 * src/bot.ts. Called just before a digest is composed, so it may take the day's snapshot first.
 */
export interface VerdictSource {
  forDigest(guildId: string): Promise<DigestVerdict>;
}

/** The debate's part of the digest, already worded: the top argument per side, and the developments since the last digest. */
export interface DigestDebate {
  arguments: string[];
  developments: string[];
}

/**
 * Where the digest gets them (src/arguments and src/developments, worded at the edge); wired in
 * src/bot.ts. `visible` is the digest's audience rule: an argument posted where some of its readers
 * cannot look is left out. `since`: the previous digest (developments added after it are new).
 */
export interface DebateSource {
  forDigest(guildId: string, since: number, visible: (channelId: string) => boolean, locale: string | undefined): Promise<DigestDebate>;
}

/**
 * Whether everyone who can view the digest channel (null: anyone in the server) can view
 * `channelId`. Decided at the edge from Discord's permissions; see src/discord/audience.ts.
 */
export type DigestAudience = (guildId: string, digestChannelId: string | null, channelId: string) => boolean;

/** The server's preferred locale (Discord's `preferred_locale`), decided at the edge; undefined: English. */
export type DigestLocale = (guildId: string) => string | undefined;

/** Why a delivery failed for good (missing channel or permission): recorded, retried the next day. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}
