/** A community poll as stored under `polls:guild:<guildId>:poll:<pollId>`. Votes live apart, one key each. */
export interface PollAnswer {
  label: string;
  /** Unicode emoji or custom emoji markup shown before the label; null for member-made polls. */
  emoji: string | null;
}

export interface Poll {
  /** 8 random hex characters; unique across every guild (see PollRepository.guildOf). */
  id: string;
  guildId: string;
  channelId: string;
  /** The message that shows the poll, once it has been posted. */
  messageId: string | null;
  creatorId: string;
  question: string;
  answers: PollAnswer[];
  /** Made from the story pack's headline poll rather than typed by a member. */
  headline: boolean;
  createdAt: number;
  /** Epoch ms; votes at or after this instant are refused even before the timer fires. */
  closesAt: number;
  hideResults: boolean;
  allowChange: boolean;
  /** How many answers a member may pick (1: single choice). Absent on polls stored before multiple choice: 1. */
  maxChoices?: number;
  voterRoleId: string | null;
  status: 'open' | 'closed';
  closedAt: number | null;
  closedBy: 'deadline' | 'member' | null;
  /** Set once onClose returned; a closed poll without it gets its results delivered again (while running and at start-up). */
  resultsPosted: boolean;
  /**
   * The server's preferred locale (Discord's `preferred_locale`) when the poll was started: its message,
   * every later edit and its results post are written in it. Absent on polls stored before: English.
   */
  locale?: string;
  /**
   * The role the server's digest notifies, when it had one as the poll started: the poll offers its
   * "Notify me" button while open (the click is the digest's, which checks the role still is one).
   */
  notifyRoleId?: string;
  /** The story pack's framing of a headline poll, shown under its question; never member text. */
  note?: string | null;
  /**
   * The claim on posting the results, taken with compare-and-set before each attempt: `by` names
   * the process, `until` when the claim lapses if it died, `attempts` counts attempts so far. An
   * attempt after the first looks for the results an earlier one may have posted before posting.
   */
  resultsClaim?: { by: string; until: number; attempts: number } | null;
}

/**
 * One member's vote, stored as one record so replacing it is one write: an answer index on a
 * single-choice poll (and on every poll stored before multiple choice), the sorted indexes of the
 * answers picked on a multiple-choice poll.
 */
export type Ballot = number | readonly number[];

export interface Tally {
  /** Members who picked each answer, in answer order. */
  counts: number[];
  /** Members with a vote: the sum of counts on a single-choice poll, at most that on a multiple-choice one. */
  voters: number;
}

/** A standing vote as exports see it: the answers picked and when, never whose it is. */
export interface CastVote {
  /** The answer indexes picked: one on a single-choice poll. */
  answers: readonly number[];
  /** Epoch ms of the member's last vote; null for votes stored before cast times were kept. */
  at: number | null;
}

/** Validated poll settings, from a member's input or the story pack. */
export interface PollFields {
  question: string;
  answers: PollAnswer[];
  durationMs: number;
  hideResults: boolean;
  allowChange: boolean;
  /** See Poll.maxChoices. */
  maxChoices: number;
  voterRoleId: string | null;
  /** See Poll.note. */
  note?: string;
}

/** Where a poll is created and by whom. */
export interface PollOrigin {
  guildId: string;
  channelId: string;
  creatorId: string;
  /** The server's preferred locale where the poll was started; see Poll.locale. */
  locale?: string;
  /** See Poll.notifyRoleId. */
  notifyRoleId?: string;
}

/** A poll's standings as another part of the bot (the digest) shows them: counts only, never who voted. */
export interface PollStandings {
  pollId: string;
  question: string;
  labels: string[];
  counts: number[];
  voters: number;
  hidden: boolean;
}
