import type { StoryPack } from '../story/types.js';
import { type DigestContent, renderDigest } from './render.js';
import type { DigestAudience, DigestLocale, DigestSettings, HeadlineSource, PollStandings } from './types.js';

/** The next digest for a server: its day number, and the headline poll's change since the last one. */
export async function composeDigest(
  deps: { pack: StoryPack; headline: HeadlineSource; audience?: DigestAudience; locale?: DigestLocale },
  guildId: string,
  settings: DigestSettings | undefined,
): Promise<{ content: DigestContent; standings: PollStandings | null }> {
  // Never the standings of a poll from a channel some of the digest's readers cannot view.
  const digestChannel = settings?.channelId ?? null;
  const visible = (channelId: string) => channelId === digestChannel || (deps.audience?.(guildId, digestChannel, channelId) ?? false);
  const standings = await deps.headline.latest(guildId, visible);
  const snapshot = settings?.pollSnapshot;
  const previous = snapshot && standings && snapshot.pollId === standings.pollId ? snapshot.counts : null;
  // Everyone reads it: in the server's preferred language as Discord reports it now.
  return { content: renderDigest(deps.pack, (settings?.daysSent ?? 0) + 1, standings, previous, deps.locale?.(guildId)), standings };
}
