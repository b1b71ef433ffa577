import { CLAIM_MS } from '../constants.js';
import type { DigestChoice, DigestSettings } from './types.js';

/*
 * The day's delivery as changes to the stored record, each applied with compare-and-set on the
 * record as it is in the store (not as this process remembers it), so two processes that briefly
 * own one server (a rolling restart) agree on who sends and never both send.
 */

/** How long a claim on a day holds: a process that dies mid-send leaves it; another may take over after. */
export { CLAIM_MS } from '../constants.js';

export type ClaimDecision =
  | { kind: 'claim'; next: DigestSettings; resumed: boolean }
  | { kind: 'done' }
  | { kind: 'held'; until: number };

/**
 * Whether this process may send `day`'s digest now. An earlier attempt of the same day whose claim
 * ran out (its process crashed or hung) is resumed with the same nonce, and marked `resumed` so the
 * sender first looks for the message that attempt may have posted.
 */
export function decideClaim(current: DigestSettings | undefined, day: string, now: number, me: string, freshNonce: string): ClaimDecision {
  if (!current?.enabled) return { kind: 'done' };
  if (current.lastSentDay !== null && current.lastSentDay >= day) return { kind: 'done' };
  if (current.skipDay === day) return { kind: 'done' };
  const earlier = current.sending?.day === day ? current.sending : null;
  if (earlier && earlier.by !== me && (earlier.until ?? 0) > now) return { kind: 'held', until: earlier.until ?? now };
  const nonce = earlier?.nonce ?? freshNonce;
  return { kind: 'claim', resumed: earlier !== null, next: { ...current, sending: { day, nonce, by: me, until: now + CLAIM_MS } } };
}

/** The record after the day's digest reached Discord. Null when the store already has it (another process recorded it). */
export function recordSent(current: DigestSettings | undefined, day: string, now: number, snapshot: DigestSettings['pollSnapshot'], warning?: string): DigestSettings | null {
  if (!current || (current.lastSentDay !== null && current.lastSentDay >= day)) return null;
  const lastWarning = warning ? { at: now, reason: warning } : null;
  return { ...current, daysSent: current.daysSent + 1, lastSentDay: day, lastSentAt: now, sending: null, lastError: null, lastWarning, recordPending: null, pollSnapshot: snapshot ?? current.pollSnapshot };
}

/** The record after the day was given up (the channel or a permission is gone): the next try is the next day. */
export function recordFailed(current: DigestSettings | undefined, day: string, now: number, reason: string): DigestSettings | null {
  if (!current || (current.lastSentDay !== null && current.lastSentDay >= day)) return null;
  return { ...current, lastSentDay: day, sending: null, recordPending: null, lastError: { at: now, reason } };
}

/**
 * The record after /digest set: the admin's choice over the stored record (its delivery record
 * kept), or a new one. Applied with compare-and-set like the rest, so another process's claim stays.
 */
export function withChoice(current: DigestSettings | undefined, guildId: string, choice: DigestChoice, activeSince: number): DigestSettings {
  return {
    guildId,
    daysSent: 0,
    lastSentDay: null,
    lastSentAt: null,
    sending: null,
    pollSnapshot: null,
    skipDay: null,
    notifyRoleId: null,
    lastWarning: null,
    ...current,
    ...choice,
    enabled: true,
    activeSince,
    lastError: null,
    recordPending: null,
  };
}

const storageReason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What /digest status shows while a sent digest's record is being written again. */
export const recordFailedReason = (day: string, error: unknown): string => `the ${day} digest is done, but recording it failed (${storageReason(error)}); retrying the record, never the post`;

/** What /digest status shows while the claim on a day could not be stored. */
export const claimFailedReason = (day: string, error: unknown, delayMs: number): string => `could not claim the ${day} digest (${storageReason(error)}); nothing was posted, retrying in ${Math.round(delayMs / 1000)} s`;
