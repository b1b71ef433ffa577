import { answersOf, storedBallot } from './ballot.js';
import type { SharedRead } from './shared-read.js';
import type { Ballot, Poll, Tally } from './types.js';

/**
 * The in-memory state of one open poll: counts and voter → ballot, always equal to the stored
 * votes because they change only after the store confirmed a write. Holding the voter map makes
 * a vote O(1) whatever the number of voters: no read of the store on the hot path.
 */
export class LivePoll {
  readonly counts: number[];
  readonly voters: Map<string, Ballot>;
  /** Set by close(): votes queued behind it are refused, and close waits for `inflight`. */
  closing = false;
  cancelDeadline: (() => void) | null = null;
  /** The stored record, re-read after votes are written (see vote.ts storedClose); set by the first vote. */
  stored: SharedRead<Poll | null> | null = null;
  /** Tracked units not settled yet, and drain()s waiting for none to be left. */
  private inflight = 0;
  private drained: Array<() => void> = [];
  private readonly settled = (): void => {
    this.inflight -= 1;
    if (this.inflight === 0) this.drained.splice(0).forEach((resolve) => resolve());
  };

  /** Takes ownership of `votes` (no copy: at 100,000 voters a second map is megabytes of garbage at start-up). */
  constructor(
    public poll: Poll,
    votes: Map<string, unknown>,
  ) {
    this.counts = poll.answers.map(() => 0);
    this.voters = votes as Map<string, Ballot>;
    for (const [userId, value] of votes) {
      const ballot = storedBallot(poll, value);
      // Not a ballot of this poll: never counted, so not a vote.
      if (ballot === null) votes.delete(userId);
      else {
        if (ballot !== value) this.voters.set(userId, ballot);
        this.count(ballot, 1);
      }
    }
  }

  private count(ballot: Ballot, by: 1 | -1): void {
    if (typeof ballot === 'number') this.counts[ballot] = (this.counts[ballot] ?? 0) + by;
    else for (const answer of answersOf(ballot)) this.counts[answer] = (this.counts[answer] ?? 0) + by;
  }

  accepting(now: number): boolean {
    return !this.closing && this.poll.status === 'open' && now < this.poll.closesAt;
  }

  /** Replaces one member's ballot as a whole; null removes it. */
  apply(userId: string, ballot: Ballot | null): void {
    const previous = this.voters.get(userId);
    if (previous !== undefined) this.count(previous, -1);
    if (ballot === null) this.voters.delete(userId);
    else {
      this.voters.set(userId, ballot);
      this.count(ballot, 1);
    }
  }

  /**
   * Tracks a store write and its in-memory update as one unit that close() can wait for, and
   * returns it. The caller starts the unit in the same step as its `accepting` check, so no vote
   * slips past a close.
   */
  track<T>(unit: Promise<T>): Promise<T> {
    this.inflight += 1;
    unit.then(this.settled, this.settled);
    return unit;
  }

  /** Settles once every unit tracked so far (and any tracked meanwhile) has settled. */
  drain(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  tally(): Tally {
    return { counts: [...this.counts], voters: this.voters.size };
  }
}

export function tallyOf(poll: Poll, votes: Map<string, unknown>): Tally {
  return new LivePoll(poll, votes).tally();
}
