import type { Development, DevelopmentStatus } from '../story/types.js';

/**
 * Developments: dated, sourced updates on the story since publication. The story pack's own
 * (data/developments.json) and each server's, added by its moderators with /story update add.
 */
export interface ServerDevelopment extends Development {
  /** Who added it (a member with Manage Server) and when. */
  addedBy: string;
  addedAt: number;
}

/** A development as members see it: whose it is. */
export type ShownDevelopment = (Development & { origin: 'pack' }) | (ServerDevelopment & { origin: 'server' });

/**
 * Where the article's central claim stands. Never "true": a confirmation is shown as a source's
 * report that it was confirmed; anything else leaves it an allegation.
 */
export type ClaimStanding =
  /** Nothing since publication says otherwise: still an allegation as of `asOf` (YYYY-MM-DD). */
  | { kind: 'alleged'; asOf: string }
  /** The newest development that bears on it, and what it says. */
  | { kind: Exclude<DevelopmentStatus, 'alleged'>; development: ShownDevelopment; asOf: string };

export interface DevelopmentInput {
  headline: string;
  sourceName: string;
  sourceUrl: string;
  status: DevelopmentStatus;
  /** Section ids and stakeholder ids it touches. */
  sections: string[];
  stakeholders: string[];
}

export const HEADLINE_MAX = 200;
export const SOURCE_NAME_MAX = 100;
export const URL_MAX = 500;
/** Developments a server may keep. */
export const SERVER_MAX = 100;
export const UPDATES_PAGE_SIZE = 5;
