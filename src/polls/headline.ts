import type { PollStandings } from './types.js';
import { type ChannelFilter, EVERY_CHANNEL } from './listing.js';
import type { PollRepository } from './repository.js';
import type { PollService } from './service.js';

/**
 * The guild's most recent headline poll ("folk hero or villain?") whose channel `visible` lets
 * through, open or closed, as the digest shows it. Looks at the open polls and the newest closed
 * ones only (RECENT_CLOSED), never the whole history.
 */
export async function latestHeadline(repo: PollRepository, polls: PollService, guildId: string, visible: ChannelFilter = EVERY_CHANNEL): Promise<PollStandings | null> {
  const candidates = [...(await repo.openByGuild(guildId)), ...(await repo.recentClosed(guildId))];
  const latest = candidates.filter((p) => p.headline && visible(p.channelId)).sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!latest) return null;
  const tally = await polls.tally(latest);
  return {
    pollId: latest.id,
    question: latest.question,
    labels: latest.answers.map((a) => a.label),
    counts: tally.counts,
    voters: tally.voters,
    hidden: latest.hideResults && latest.status === 'open',
  };
}
