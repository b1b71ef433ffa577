import type { PollStandings } from '../digests/types.js';
import type { PollRepository } from './repository.js';
import type { PollService } from './service.js';

/** The guild's most recent headline poll ("folk hero or villain?"), open or closed, as the digest shows it. */
export async function latestHeadline(repo: PollRepository, polls: PollService, guildId: string): Promise<PollStandings | null> {
  const latest = (await repo.listByGuild(guildId)).filter((p) => p.headline).sort((a, b) => b.createdAt - a.createdAt)[0];
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
