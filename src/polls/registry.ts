import { UserError } from '../errors.js';
import { StorageError } from '../storage/store.js';
import { LivePoll } from './live.js';
import { KeyedQueue } from '../queue.js';
import type { PollRepository } from './repository.js';
import type { Poll } from './types.js';

/** Closed records kept in memory, the oldest dropped first; the store still has them all. */
export const CLOSED_KEPT = 1000;

/**
 * Where each poll this process knows stands: open polls as LivePoll (tally in memory), closed
 * ones as their record. Loads a poll on first use (e.g. a guild that became available after
 * start-up) and owns every change to a poll record, one at a time per poll.
 */
export class PollRegistry {
  private readonly lives = new Map<string, LivePoll>();
  private readonly closedPolls = new Map<string, Poll>();
  private readonly loading = new Map<string, Promise<LivePoll | Poll>>();
  private readonly records = new KeyedQueue();

  constructor(
    private readonly repo: PollRepository,
    /** Called once for each poll that goes live here (the service arms its deadline). */
    private readonly wentLive: (live: LivePoll) => void,
  ) {}

  live(pollId: string): LivePoll | undefined {
    return this.lives.get(pollId);
  }

  /** The closed record, if this process has seen the poll closed (recently). */
  closedRecord(pollId: string): Poll | undefined {
    return this.closedPolls.get(pollId);
  }

  /** Keeps a closed record as the newest, forgetting the oldest beyond CLOSED_KEPT. */
  private keepClosed(poll: Poll): void {
    this.closedPolls.delete(poll.id);
    this.closedPolls.set(poll.id, poll);
    for (const id of this.closedPolls.keys()) {
      if (this.closedPolls.size <= CLOSED_KEPT) break;
      this.closedPolls.delete(id);
    }
  }

  allLive(): IterableIterator<LivePoll> {
    return this.lives.values();
  }

  add(live: LivePoll): void {
    this.lives.set(live.poll.id, live);
    this.wentLive(live);
  }

  /** The poll stopped being live: from now on it is known by its closed record. */
  retire(live: LivePoll, closed: Poll): void {
    live.poll = closed;
    this.lives.delete(closed.id);
    this.keepClosed(closed);
  }

  /** The poll's live state if open, else its closed record. A poll of another guild is refused. */
  async resolve(guildId: string, pollId: string): Promise<LivePoll | Poll> {
    const known = this.lives.get(pollId) ?? this.closedPolls.get(pollId);
    if (known) {
      if ((known instanceof LivePoll ? known.poll : known).guildId !== guildId) throw UserError.of('poll.foreign');
      return known;
    }
    const key = `${guildId}:${pollId}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.fetch(guildId, pollId).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /**
   * Changes the stored record with compare-and-set, reading it from the store (the truth when
   * another process may change it too); `change` returns null to leave it. Keeps the in-memory copy
   * in step either way. Used for the transitions that must happen once: closing, posting results.
   */
  async transition(guildId: string, pollId: string, change: (current: Poll) => Poll | null): Promise<{ poll: Poll; changed: boolean }> {
    return this.records.run(pollId, async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await this.repo.get(guildId, pollId);
        if (!current || current.guildId !== guildId) throw UserError.of('poll.foreign');
        const next = change(current);
        if (!next) {
          this.keepInStep(current);
          return { poll: current, changed: false };
        }
        if (await this.repo.replace(current, next)) {
          this.keepInStep(next);
          return { poll: next, changed: true };
        }
      }
      throw new StorageError(`poll ${pollId} kept changing under this write`);
    });
  }

  private keepInStep(poll: Poll): void {
    const live = this.lives.get(poll.id);
    if (live) live.poll = poll;
    if (this.closedPolls.has(poll.id)) this.closedPolls.set(poll.id, poll);
  }

  private async fetch(guildId: string, pollId: string): Promise<LivePoll | Poll> {
    const poll = await this.repo.get(guildId, pollId);
    if (!poll) {
      const owner = await this.repo.guildOf(pollId);
      throw UserError.of(owner !== undefined && owner !== guildId ? 'poll.foreign' : 'poll.gone');
    }
    if (poll.status === 'closed') {
      this.keepClosed(poll);
      return poll;
    }
    const votes = await this.repo.votesOf(pollId);
    const existing = this.lives.get(pollId);
    if (existing) return existing;
    const live = new LivePoll(poll, votes);
    this.add(live);
    return live;
  }
}
