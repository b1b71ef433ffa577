import { HOUR } from '../constants.js';

/**
 * Ranking. score = upvotes × 2^(−age / HALF_LIFE): an argument's upvotes count half as much every
 * HALF_LIFE_HOURS, so a newer argument with fewer upvotes overtakes an older one once it has more
 * than the older one's decayed count (3 fresh upvotes beat 10 from a week ago). Equal scores (all
 * zero, say) go by raw upvotes, then newest first.
 */
export const HALF_LIFE_HOURS = 72;

export function scoreOf(upvotes: number, createdAt: number, now: number): number {
  const ageHours = Math.max(now - createdAt, 0) / HOUR;
  return upvotes * 2 ** (-ageHours / HALF_LIFE_HOURS);
}

export function byRank(a: { score: number; upvotes: number; argument: { createdAt: number; id: string } }, b: typeof a): number {
  return b.score - a.score || b.upvotes - a.upvotes || b.argument.createdAt - a.argument.createdAt || a.argument.id.localeCompare(b.argument.id);
}

/**
 * What "the same text" means for duplicates: case, accents' composed forms, punctuation, symbols
 * and spacing ignored ("Leaks  are GOOD!" = "leaks are good").
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
