/** A server's digest settings and its delivery record, stored under `guild:<id>` in `digests`. */
export interface DigestSettings {
  guildId: string;
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
  /** Set before a send and cleared after: a restart mid-send retries with the same nonce, which Discord dedupes. */
  sending: { day: string; nonce: string } | null;
  lastError: { at: number; reason: string } | null;
  /** The headline poll's counts at the last digest, to show the change since. */
  pollSnapshot: { pollId: string; counts: number[] } | null;
}

/** The server's latest headline poll, as the digest shows it. */
export interface PollStandings {
  pollId: string;
  question: string;
  labels: string[];
  counts: number[];
  voters: number;
  hidden: boolean;
}

/** Why a delivery failed for good (missing channel or permission): recorded, retried the next day. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}
