import { FORGOTTEN_MEMBER } from '../constants.js';
import { UserError } from '../errors.js';
import type { PollRuntime } from './runtime.js';
import { storeVote } from './vote.js';

/**
 * /verdict forget, for polls: nothing of the member's stays under their id in this server.
 * - A running poll: their vote is withdrawn (as a retract would, even where votes are final), so
 *   the standings drop it; they may vote again, as anyone may.
 * - A closed poll: its counts were announced, so the ballot stays in them under an id that names
 *   no one (a keyed hash, the same on every try), then the member's keys go; its cast time is
 *   dropped. Stopped between the two, the recounts still count it once (PollRepository.votesOf).
 * - A poll they started keeps running, with no creator (members with Manage Messages can end it).
 * One member's writes go through their vote queue, so a click in flight lands first.
 */
export async function forgetMember(rt: PollRuntime, guildId: string, userId: string): Promise<void> {
  for (const poll of await rt.repo.listByGuild(guildId)) {
    await rt.voteQueue.run(`${poll.id}:${userId}`, async () => {
      const live = rt.polls.live(poll.id);
      if (live?.accepting(rt.clock.now())) {
        // Withdrawn either way; refused only when another process closed the poll meanwhile (nothing of theirs is left to keep).
        if (live.voters.has(userId)) await storeVote(rt, live, userId, null).catch((error: unknown) => {
          if (!(error instanceof UserError)) throw error;
        });
      } else {
        const ballot = await rt.repo.getVote(poll.id, userId);
        // Its anonymous id is always the same (see setAnonymousVote): tried again, forget rewrites it.
        if (ballot !== null) await rt.repo.setAnonymousVote(poll.id, userId, ballot);
      }
      await rt.repo.purgeVote(poll.id, userId);
    });
    // Through the registry, the one path for changing a poll's record (kept in step with close and results).
    if (poll.creatorId === userId) await rt.polls.transition(guildId, poll.id, (current) => (current.creatorId === userId ? { ...current, creatorId: FORGOTTEN_MEMBER } : null));
  }
}
