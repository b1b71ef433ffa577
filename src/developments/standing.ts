import { isoDay } from '../clock.js';
import type { ClaimStanding, ShownDevelopment } from './types.js';

/** The UTC calendar day of an instant (YYYY-MM-DD). */

/**
 * Newest first: by date, then (same day) the one added last; pack developments before a server's of
 * the same day, which rest on them.
 */
export function byNewest(a: ShownDevelopment, b: ShownDevelopment): number {
  return b.date.localeCompare(a.date) || addedAt(b) - addedAt(a) || a.id.localeCompare(b.id);
}
const addedAt = (d: ShownDevelopment) => (d.origin === 'server' ? d.addedAt : 0);

/**
 * The central claim's standing: the newest development whose status is not "alleged" decides it
 * (a later "alleged" — a new report repeating the allegation — does not undo a denial); with none,
 * it is still an allegation as of today.
 */
export function claimStanding(developments: readonly ShownDevelopment[], now: number): ClaimStanding {
  const asOf = isoDay(now);
  const decisive = [...developments].sort(byNewest).find((d) => d.status !== 'alleged');
  if (!decisive || decisive.status === 'alleged') return { kind: 'alleged', asOf };
  return { kind: decisive.status, development: decisive, asOf };
}

/** The newest development touching a section or a stakeholder, if any. */
export function latestTouching(developments: readonly ShownDevelopment[], touches: { section?: string; stakeholder?: string }): ShownDevelopment | undefined {
  return [...developments].sort(byNewest).find((d) => (touches.section !== undefined && d.sections.includes(touches.section)) || (touches.stakeholder !== undefined && d.stakeholders.includes(touches.stakeholder)));
}
