import type { Poll, Tally } from './types.js';

/**
 * The in-memory state of one open poll: counts and voter → answer, always equal to the stored
 * votes because they change only after the store confirmed a write. Holding the voter map makes
 * a vote O(1) whatever the number of voters: no read of the store on the hot path.
 */
export class LivePoll {
  readonly counts: number[];
  readonly voters: Map<string, number>;
  /** Set by close(): votes queued behind it are refused, and close waits for `inflight`. */
  closing = false;
  cancelDeadline: (() => void) | null = null;
  private readonly inflight = new Set<Promise<void>>();

  /** Takes ownership of `votes` (no copy: at 100,000 voters a second map is megabytes of garbage at start-up). */
  constructor(
    public poll: Poll,
    votes: Map<string, number>,
  ) {
    this.counts = poll.answers.map(() => 0);
    this.voters = votes;
    for (const [userId, answer] of votes) {
      if (Number.isInteger(answer) && answer >= 0 && answer < this.counts.length) this.counts[answer] = (this.counts[answer] ?? 0) + 1;
      else votes.delete(userId); // not an answer of this poll: never counted, so not a vote
    }
  }

  accepting(now: number): boolean {
    return !this.closing && this.poll.status === 'open' && now < this.poll.closesAt;
  }

  /** Moves one member's vote; null removes it. */
  apply(userId: string, answer: number | null): void {
    const previous = this.voters.get(userId);
    if (previous !== undefined) this.counts[previous] = (this.counts[previous] ?? 0) - 1;
    if (answer === null) this.voters.delete(userId);
    else {
      this.voters.set(userId, answer);
      this.counts[answer] = (this.counts[answer] ?? 0) + 1;
    }
  }

  /**
   * Runs a store write and its in-memory update as one unit that close() can wait for. The write
   * starts synchronously with the caller's `accepting` check, so no vote slips past a close.
   */
  async track(write: () => Promise<void>): Promise<void> {
    const unit = write();
    this.inflight.add(unit);
    try {
      await unit;
    } finally {
      this.inflight.delete(unit);
    }
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  tally(): Tally {
    return { counts: [...this.counts], voters: this.voters.size };
  }
}

export function tallyOf(poll: Poll, votes: Map<string, number>): Tally {
  return new LivePoll(poll, votes).tally();
}
