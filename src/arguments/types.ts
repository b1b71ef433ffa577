/**
 * Arguments: members' best reasons for a side of the story, per server. A side is a stance of the
 * verdict (an answer of the story pack's headline poll) or a stakeholder; see ./sides.ts.
 */

/** A side an argument can be for, as offered in /argue add. */
export interface Side {
  /** `stance.<answer index>` or `stakeholder.<stakeholder id>`: stable, custom_id-safe. */
  id: string;
  label: string;
}

export interface Argument {
  id: string;
  guildId: string;
  side: string;
  text: string;
  /** The article section it rests on, if the author named one. */
  sectionId: string | null;
  authorId: string;
  createdAt: number;
  hidden: boolean;
  /** When a moderator last hid or restored it: reports before this were reviewed. */
  reviewedAt: number | null;
  /** Where its card was posted, once it was (for links). */
  channelId: string | null;
  messageId: string | null;
}

/** An argument as lists show it: with its upvotes, reports and rank score. */
export interface RankedArgument {
  argument: Argument;
  upvotes: number;
  reports: number;
  score: number;
}

export interface ArgumentDraft {
  guildId: string;
  authorId: string;
  side: string;
  text: string;
  sectionId: string | null;
}

export type AddResult =
  | { kind: 'added'; argument: Argument }
  /** The same normalized text is already an argument in this server. */
  | { kind: 'duplicate'; existing: Argument }
  /** The member posted MAX_PER_HOUR arguments in the last hour; they may post again at `retryAt`. */
  | { kind: 'rate-limited'; retryAt: number };

export type UpvoteResult = { kind: 'upvoted' | 'withdrawn'; upvotes: number } | { kind: 'gone' };
export type ReportResult = 'reported' | 'already' | 'gone';

export type { Page } from '../card.js';

/** Longest argument, in characters. */
export const TEXT_MAX = 300;
/** Arguments a member may post in a server in any hour. */
export const MAX_PER_HOUR = 3;
/** Arguments per page of /argue top and /argue review. */
export const PAGE_SIZE = 5;

