import { DAY } from '../constants.js';
import type { Logger } from '../logger.js';
import type { StoryPack } from '../story/types.js';
import { type DigestContent, renderDigest } from './render.js';
import type { DebateSource, DigestAudience, DigestLocale, DigestSettings, HeadlineSource, PollStandings, VerdictSource } from './types.js';

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
  const [standings, verdict, debate] = await Promise.all([
    deps.headline.latest(guildId, visible),
    optional(deps.verdict, (v) => v.forDigest(guildId), deps.logger, guildId, "the digest goes out without the verdict's movement and chart: they could not be read"),
    optional(deps.debate, (d) => d.forDigest(guildId, since, visible, locale), deps.logger, guildId, 'the digest goes out without its arguments and developments: they could not be read'),
  ]);
  const snapshot = settings?.pollSnapshot;
  const previous = snapshot && standings && snapshot.pollId === standings.pollId ? snapshot.counts : null;
  return { content: renderDigest(deps.pack, (settings?.daysSent ?? 0) + 1, standings, previous, verdict, locale, debate), standings };
}

/**
 * A part of the digest read from `source`, or none when there is no source or it could not be read:
 * a digest never fails because of such a part (the failure is logged as `missing`).
 */
async function optional<S, T>(source: S | undefined, read: (source: S) => Promise<T>, logger: Logger | undefined, guildId: string, missing: string): Promise<T | null> {
  if (!source) return null;
  try {
    return await read(source);
  } catch (error) {
    logger?.warn({ err: error, guildId }, missing);
    return null;
  }
}
