import { DAY } from '../constants.js';
import type { Logger } from '../logger.js';
import type { StoryPack } from '../story/types.js';
import { type DigestContent, renderDigest } from './render.js';
import type { DebateSource, DigestAudience, DigestDebate, DigestLocale, DigestSettings, DigestVerdict, HeadlineSource, PollStandings, VerdictSource } from './types.js';

/** The next digest for a server: its day number, the headline poll's change since the last one, and the verdict's movement and chart. */
export async function composeDigest(
  deps: { pack: StoryPack; headline: HeadlineSource; audience?: DigestAudience; verdict?: VerdictSource; debate?: DebateSource; logger?: Logger; locale?: DigestLocale },
  guildId: string,
  settings: DigestSettings | undefined,
): Promise<{ content: DigestContent; standings: PollStandings | null }> {
  // Never the standings of a poll from a channel some of the digest's readers cannot view.
  const digestChannel = settings?.channelId ?? null;
  const visible = (channelId: string) => channelId === digestChannel || (deps.audience?.(guildId, digestChannel, channelId) ?? false);
  // Everyone reads it: in the server's preferred language as Discord reports it now.
  const locale = deps.locale?.(guildId);
  // New developments: added after the previous digest; for the first, in the day before it was set up.
  const since = settings?.lastSentAt ?? (settings?.activeSince ?? 0) - DAY;
  const [standings, verdict, debate] = await Promise.all([deps.headline.latest(guildId, visible), verdictOf(deps, guildId), debateOf(deps, guildId, since, visible, locale)]);
  const snapshot = settings?.pollSnapshot;
  const previous = snapshot && standings && snapshot.pollId === standings.pollId ? snapshot.counts : null;
  return { content: renderDigest(deps.pack, (settings?.daysSent ?? 0) + 1, standings, previous, verdict, locale, debate), standings };
}

/** The arguments and developments, or none: like the verdict, never a reason for the digest to fail. */
async function debateOf(deps: { debate?: DebateSource; logger?: Logger }, guildId: string, since: number, visible: (channelId: string) => boolean, locale: string | undefined): Promise<DigestDebate | null> {
  if (!deps.debate) return null;
  try {
    return await deps.debate.forDigest(guildId, since, visible, locale);
  } catch (error) {
    deps.logger?.warn({ err: error, guildId }, 'the digest goes out without its arguments and developments: they could not be read');
    return null;
  }
}

/** The verdict's part, or none: a digest never fails because the verdict could not be read (it is logged). */
async function verdictOf(deps: { verdict?: VerdictSource; logger?: Logger }, guildId: string): Promise<DigestVerdict | null> {
  if (!deps.verdict) return null;
  try {
    return await deps.verdict.forDigest(guildId);
  } catch (error) {
    deps.logger?.warn({ err: error, guildId }, "the digest goes out without the verdict's movement and chart: they could not be read");
    return null;
  }
}
