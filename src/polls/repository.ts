import type { Collection, Store } from '../storage/store.js';
import type { Poll } from './types.js';

/**
 * A vote value meaning "no vote". Retracting writes it instead of deleting the key because
 * keyv's delete swallows storage errors (it returns false, and Collection.delete ignores that),
 * while Collection.set throws: a member is only told "retracted" when the store really has it.
 */
const RETRACTED = -1;

const pollKey = (guildId: string, pollId: string) => `guild:${guildId}:poll:${pollId}`;
const votePrefix = (pollId: string) => `poll:${pollId}:user:`;

/**
 * Polls and votes over the shared Store. One key per vote, so a vote costs one small upsert no
 * matter how many members voted before (no re-serialised blob).
 */
export class PollRepository {
  private readonly polls: Collection<Poll>;
  private readonly votes: Collection<number>;
  /** pollId → guildId, so a poll id from another server is told apart from an unknown one. */
  private readonly owners: Collection<string>;

  constructor(store: Store) {
    this.polls = store.collection<Poll>('polls');
    this.votes = store.collection<number>('votes');
    this.owners = store.collection<string>('pollOwners');
  }

  async save(poll: Poll): Promise<void> {
    await this.polls.set(pollKey(poll.guildId, poll.id), poll);
  }

  /**
   * Replaces `current` (as read with get) by `next` only if the store still holds `current`: one
   * atomic step, so two processes that briefly own one server never both make the same change.
   */
  async replace(current: Poll, next: Poll): Promise<boolean> {
    return this.polls.compareAndSet(pollKey(current.guildId, current.id), current, next);
  }

  /** Records a new poll id's guild; written before the poll itself, once per poll. */
  async claimId(pollId: string, guildId: string): Promise<void> {
    await this.owners.set(pollId, guildId);
  }

  async get(guildId: string, pollId: string): Promise<Poll | undefined> {
    return this.polls.get(pollKey(guildId, pollId));
  }

  async guildOf(pollId: string): Promise<string | undefined> {
    return this.owners.get(pollId);
  }

  /** Every poll of a guild, open or closed, newest first. One range query; a guild has few polls. */
  async listByGuild(guildId: string): Promise<Poll[]> {
    const rows = await this.polls.entries(`guild:${guildId}:poll:`);
    return rows.map(([, poll]) => poll).sort((a, b) => b.createdAt - a.createdAt);
  }

  async setVote(pollId: string, userId: string, answer: number): Promise<void> {
    await this.votes.set(votePrefix(pollId) + userId, answer);
  }

  async deleteVote(pollId: string, userId: string): Promise<void> {
    await this.votes.set(votePrefix(pollId) + userId, RETRACTED);
  }

  async getVote(pollId: string, userId: string): Promise<number | null> {
    const answer = await this.votes.get(votePrefix(pollId) + userId);
    return answer === undefined || answer === RETRACTED ? null : answer;
  }

  /** userId → answer index for every standing vote. Start-up and closed-poll listings only. */
  async votesOf(pollId: string): Promise<Map<string, number>> {
    const prefix = votePrefix(pollId);
    const found = new Map<string, number>();
    for (const [key, answer] of await this.votes.entries(prefix)) {
      if (typeof answer === 'number' && answer >= 0) found.set(key.slice(prefix.length), answer);
    }
    return found;
  }
}
