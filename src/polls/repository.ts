import { castPrefix, COLLECTIONS, guildKey, guildPollsPrefix, pollKey, votePrefix } from '../storage/keys.js';
import { type Collection, type Store } from '../storage/store.js';
import { ANONYMOUS_PREFIX, AnonymousIds } from './anonymous.js';
import { answersOf } from './ballot.js';
import { KeyedQueue } from '../queue.js';
import type { Ballot, CastVote, Poll } from './types.js';

/**
 * A vote value meaning "no vote" (on single- and multiple-choice polls alike). Retracting writes it instead of deleting the key because a
 * write goes through the store's group commit, in order with the member's earlier votes, while a
 * delete does not (it could land before a vote still queued); the format also stays as stored.
 */
const RETRACTED = -1;

/** Closed polls a listing (autocomplete for /poll results, the digest) looks at: the newest this many. */
export const RECENT_CLOSED = 25;

/** Polls, their votes and the listing indexes: what the services use, whichever implementation is behind it (StorePollRepository below, over the shared Store). */
export interface PollRepository {
  save(poll: Poll): Promise<void>;
  openByGuild(guildId: string): Promise<Poll[]>;
  recentClosed(guildId: string): Promise<Poll[]>;
  replace(current: Poll, next: Poll): Promise<boolean>;
  claimId(pollId: string, guildId: string): Promise<void>;
  get(guildId: string, pollId: string): Promise<Poll | undefined>;
  guildOf(pollId: string): Promise<string | undefined>;
  listByGuild(guildId: string): Promise<Poll[]>;
  setVote(pollId: string, userId: string, ballot: Ballot, at: number): Promise<void>;
  deleteVote(pollId: string, userId: string): Promise<void>;
  purgeVote(pollId: string, userId: string): Promise<void>;
  setAnonymousVote(pollId: string, userId: string, ballot: Ballot): Promise<void>;
  getVote(pollId: string, userId: string): Promise<Ballot | null>;
  votesOf(pollId: string): Promise<Map<string, Ballot>>;
  castVotes(pollId: string): Promise<CastVote[]>;
}

/**
 * Polls and votes over the shared Store. One key per vote, so a vote costs one small upsert no
 * matter how many members voted before (no re-serialised blob).
 */
export class StorePollRepository implements PollRepository {
  private readonly polls: Collection<Poll>;
  /** One record per member: their whole ballot (see Ballot), so a change of picks is one write. */
  private readonly votes: Collection<Ballot>;
  /** pollId → guildId, so a poll id from another server is told apart from an unknown one. */
  private readonly owners: Collection<string>;
  /**
   * The index that keeps listings from parsing a server's whole history: `guild:<g>:poll:<id>` →
   * createdAt for each open poll, and the ids of the newest closed polls under `guild:<g>` (whose
   * presence also says the server's index was built; stores from before it get built on first use).
   */
  private readonly openIndex: Collection<number>;
  private readonly recentIndex: Collection<string[]>;
  private readonly indexed = new Set<string>();
  private readonly indexQueue = new KeyedQueue();
  /** Forgotten members' ids in closed polls. */
  private readonly anonymous: AnonymousIds;

  constructor(store: Store) {
    this.anonymous = new AnonymousIds(store);
    this.polls = store.collection<Poll>(COLLECTIONS.polls);
    this.votes = store.collection<Ballot>(COLLECTIONS.votes);
    this.owners = store.collection<string>(COLLECTIONS.pollOwners);
    this.openIndex = store.collection<number>(COLLECTIONS.openPolls);
    this.recentIndex = store.collection<string[]>(COLLECTIONS.recentPolls);
  }

  async save(poll: Poll): Promise<void> {
    // Indexed before it is stored, so an open poll is never missing from the index; an entry whose
    // record did not get written is dropped when a listing reads it.
    if (poll.status === 'open') await this.openIndex.set(pollKey(poll.guildId, poll.id), poll.createdAt);
    await this.polls.set(pollKey(poll.guildId, poll.id), poll);
    if (poll.status === 'closed') await this.indexClosed(poll);
  }

  /**
   * Best effort, after the closed record is stored (a throw here would make a stored close look
   * failed): a stale open entry is dropped by the next listing, and a poll missing from the newest
   * closed ones only goes unoffered by autocomplete (its id still works).
   */
  private async indexClosed(poll: Poll): Promise<void> {
    try {
      await this.indexQueue.run(poll.guildId, async () => {
        const recent = await this.recentIndex.get(guildKey(poll.guildId));
        if (recent && !recent.includes(poll.id)) await this.recentIndex.set(guildKey(poll.guildId), [poll.id, ...recent].slice(0, RECENT_CLOSED));
      });
      await this.openIndex.delete(pollKey(poll.guildId, poll.id));
    } catch {
      // see above
    }
  }

  /** Open polls of a guild, newest first: reads the open ones' records only, whatever the history. */
  async openByGuild(guildId: string): Promise<Poll[]> {
    await this.ensureIndex(guildId);
    const rows = await this.openIndex.entries(guildPollsPrefix(guildId));
    const polls = await Promise.all(rows.map(async ([key]) => ({ key, poll: await this.polls.get(key) })));
    const open: Poll[] = [];
    for (const { key, poll } of polls) {
      if (poll?.status === 'open') open.push(poll);
      // A missing record may be a poll being created right now (indexed first), so only closed ones go.
      else if (poll) await this.openIndex.delete(key);
    }
    return open.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The newest closed polls of a guild (at most RECENT_CLOSED), newest close first. */
  async recentClosed(guildId: string): Promise<Poll[]> {
    await this.ensureIndex(guildId);
    const ids = (await this.recentIndex.get(guildKey(guildId))) ?? [];
    const polls = await Promise.all(ids.map((id) => this.polls.get(pollKey(guildId, id))));
    return polls.filter((p): p is Poll => p?.status === 'closed');
  }

  /** Builds a guild's index from its records, once per store (a store from before the index). */
  private async ensureIndex(guildId: string): Promise<void> {
    if (this.indexed.has(guildId)) return;
    await this.indexQueue.run(guildId, async () => {
      if ((await this.recentIndex.get(guildKey(guildId))) === undefined) {
        const all = await this.listByGuild(guildId);
        for (const poll of all) if (poll.status === 'open') await this.openIndex.set(pollKey(guildId, poll.id), poll.createdAt);
        const closed = all.filter((p) => p.status === 'closed').sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
        await this.recentIndex.set(guildKey(guildId), closed.slice(0, RECENT_CLOSED).map((p) => p.id));
      }
      this.indexed.add(guildId);
    });
  }

  /**
   * Replaces `current` (as read with get) by `next` only if the store still holds `current`: one
   * atomic step, so two processes that briefly own one server never both make the same change.
   */
  async replace(current: Poll, next: Poll): Promise<boolean> {
    const replaced = await this.polls.compareAndSet(pollKey(current.guildId, current.id), current, next);
    // A close goes through here (not save), so it must move the poll from the open index too.
    if (replaced && current.status === 'open' && next.status === 'closed') await this.indexClosed(next);
    return replaced;
  }

  /** Records a new poll id's guild; written before the poll itself, once per poll. */
  async claimId(pollId: string, guildId: string): Promise<void> {
    await this.owners.set(pollId, guildId);
  }

  get(guildId: string, pollId: string): Promise<Poll | undefined> {
    return this.polls.get(pollKey(guildId, pollId));
  }

  async guildOf(pollId: string): Promise<string | undefined> {
    return this.owners.get(pollId);
  }

  /** Every poll of a guild, open or closed, newest first. Parses the whole history: start-up and index building only. */
  async listByGuild(guildId: string): Promise<Poll[]> {
    const rows = await this.polls.entries(guildPollsPrefix(guildId));
    return rows.map(([, poll]) => poll).sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Stores a member's vote and when it was cast. The time is a key of its own beside the vote, not
   * part of its value: a process of an earlier version (a rolling restart, a rollback) reads votes
   * as bare answer indexes and still counts every one. Both writes are issued in the same turn, so
   * they normally commit in one statement; the time is best effort, because failing a vote that was
   * stored would leave the member told "not recorded" and the live tally out of step with the store.
   * A time that did not land leaves the member's earlier one (or none: the poll's start) in exports.
   */
  async setVote(pollId: string, userId: string, ballot: Ballot, at: number): Promise<void> {
    const cast = this.votes.set(castPrefix(pollId) + userId, at).catch(() => undefined);
    await this.votes.set(votePrefix(pollId) + userId, ballot);
    await cast;
  }

  async deleteVote(pollId: string, userId: string): Promise<void> {
    await this.votes.set(votePrefix(pollId) + userId, RETRACTED);
  }

  /** Deletes a member's vote and its cast time outright (/verdict forget); nothing of theirs stays under their id. */
  async purgeVote(pollId: string, userId: string): Promise<void> {
    await Promise.all([this.votes.delete(votePrefix(pollId) + userId), this.votes.delete(castPrefix(pollId) + userId)]);
  }

  /**
   * Stores a forgotten member's ballot in a closed poll under their anonymous id (AnonymousIds),
   * without a cast time. The id is the same every time, so a forget tried again after a crash
   * rewrites this key instead of adding a copy; until the member's own key is deleted, votesOf
   * counts the two as one.
   */
  async setAnonymousVote(pollId: string, userId: string, ballot: Ballot): Promise<void> {
    await this.votes.set(votePrefix(pollId) + (await this.anonymous.idOf(pollId, userId)), ballot);
  }

  async getVote(pollId: string, userId: string): Promise<Ballot | null> {
    const ballot = await this.votes.get(votePrefix(pollId) + userId);
    return ballot === undefined || ballot === RETRACTED ? null : ballot;
  }

  /**
   * userId → ballot for every standing vote (LivePoll checks each against its poll). Start-up and
   * closed-poll listings only. A forget that stopped between keeping a member's ballot anonymously
   * and deleting their key leaves both: the member's is counted, its anonymous twin is not. Only
   * polls holding anonymous ballots (closed ones) pay for that check: one hash per member.
   */
  async votesOf(pollId: string): Promise<Map<string, Ballot>> {
    const prefix = votePrefix(pollId);
    const found = new Map<string, Ballot>();
    let anonymous = false;
    for (const [key, ballot] of await this.votes.entries(prefix)) {
      if ((typeof ballot === 'number' && ballot >= 0) || (Array.isArray(ballot) && ballot.length > 0)) {
        const id = key.slice(prefix.length);
        found.set(id, ballot);
        if (id.startsWith(ANONYMOUS_PREFIX)) anonymous = true;
      }
    }
    if (anonymous) await this.anonymous.dropTwins(pollId, found);
    return found;
  }

  /**
   * Every standing vote with when it was cast (null: stored before cast times were kept), and
   * nothing that says whose it is. Reads the poll's votes whole: exports only, never a hot path.
   */
  async castVotes(pollId: string): Promise<CastVote[]> {
    const prefix = castPrefix(pollId);
    const [votes, times] = await Promise.all([this.votesOf(pollId), this.votes.entries(prefix)]);
    const timeOf = new Map(times.map(([key, at]) => [key.slice(prefix.length), at]));
    return [...votes].map(([userId, ballot]) => {
      const at = timeOf.get(userId);
      return { answers: answersOf(ballot), at: typeof at === 'number' && Number.isFinite(at) ? at : null };
    });
  }
}
