import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CLAIM_MS, DAY, retryDelay } from '../constants.js';
import { tallyOf } from './live.js';
import type { PollRegistry } from './registry.js';
import type { PollRepository } from './repository.js';
import type { Poll, Tally } from './types.js';

/** Results of polls closed longer ago than this are not posted any more (their channel is probably stale). */
export const REDELIVER_WINDOW_MS = 7 * DAY;

/**
 * Whether the bot no longer tries to post a closed poll's results: they did not post within
 * REDELIVER_WINDOW_MS of the close (retries and start-ups stop trying then). /poll results still shows them.
 */
function resultsAbandoned(poll: Poll, now: number): boolean {
  return poll.status === 'closed' && !poll.resultsPosted && poll.closedAt !== null && now - poll.closedAt >= REDELIVER_WINDOW_MS;
}

/** Why a click on a closed poll is refused: closed, results coming, or results the bot gave up posting. */
export function closedAnswer(poll: Poll, now: number): 'poll.closed' | 'poll.resultsPending' | 'poll.resultsUnposted' {
  if (poll.resultsPosted) return 'poll.closed';
  return resultsAbandoned(poll, now) ? 'poll.resultsUnposted' : 'poll.resultsPending';
}

export interface ResultsDeps {
  polls: PollRegistry;
  repo: PollRepository;
  clock: Clock;
  logger: Logger;
  onClose: (poll: Poll, tally: Tally, attempt: { resumed: boolean }) => Promise<void> | void;
  /** A retry came due: the service runs deliver() again (guarded against a delivery already under way). */
  due: (poll: Poll) => void;
}

/**
 * Posting a closed poll's results exactly once, whatever fails: the post is claimed with
 * compare-and-set on the stored record, a failed post is retried with backoff while the bot runs,
 * a failed record of a successful post is retried without posting again, and an attempt after an
 * interrupted one tells onClose to look for the earlier post first.
 */
export class ResultsDelivery {
  /** Names this process in its claims on posting results. */
  private readonly processId = randomBytes(6).toString('hex');
  private readonly timers = new Map<string, () => void>();
  private readonly failures = new Map<string, number>();
  /** Results posted whose record failed: only the record is retried, the post never is. */
  private readonly postedUnrecorded = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: ResultsDeps) {}

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /**
   * Posts the results once: claims the post in the store, counts the stored votes (every process's),
   * calls onClose, records resultsPosted. A failure is retried with backoff while the bot runs; a
   * failed record is retried without posting again.
   */
  async deliver(poll: Poll): Promise<Poll> {
    if (this.postedUnrecorded.has(poll.id)) return this.markPosted(poll);
    const now = this.deps.clock.now();
    let claim: { poll: Poll; changed: boolean };
    try {
      claim = await this.deps.polls.transition(poll.guildId, poll.id, (current) => {
        const held = current.resultsClaim ?? null;
        if (current.status !== 'closed' || current.resultsPosted || (held && held.by !== this.processId && held.until > now)) return null;
        return { ...current, resultsClaim: { by: this.processId, until: now + CLAIM_MS, attempts: (held?.attempts ?? 0) + 1 } };
      });
    } catch (error) {
      this.retryLater(poll, error, 'could not claim posting the poll results');
      return poll;
    }
    const claimed = claim.poll;
    if (!claim.changed) {
      const held = claimed.resultsClaim;
      if (!claimed.resultsPosted && held) this.schedule(claimed, held.until - now); // another process is posting
      return claimed;
    }
    try {
      const tally = tallyOf(claimed, await this.deps.repo.votesOf(claimed.id));
      await this.deps.onClose(claimed, tally, { resumed: (claimed.resultsClaim?.attempts ?? 1) > 1 });
    } catch (error) {
      this.retryLater(claimed, error, 'could not deliver poll results');
      await this.releaseClaim(claimed);
      return claimed;
    }
    this.postedUnrecorded.add(claimed.id);
    return this.markPosted(claimed);
  }

  private async markPosted(poll: Poll): Promise<Poll> {
    try {
      const { poll: marked } = await this.deps.polls.transition(poll.guildId, poll.id, (current) => (current.resultsPosted ? null : { ...current, resultsPosted: true, resultsClaim: null }));
      this.postedUnrecorded.delete(poll.id);
      this.failures.delete(poll.id);
      this.timers.get(poll.id)?.();
      this.timers.delete(poll.id);
      return marked;
    } catch (error) {
      this.retryLater(poll, error, 'could not mark poll results as posted');
      return poll;
    }
  }

  /** After a failed attempt, lets anyone (a restart, another process) take over at once; the attempt count stays. */
  private async releaseClaim(poll: Poll): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.polls
      .transition(poll.guildId, poll.id, (current) => (current.resultsClaim?.by === this.processId ? { ...current, resultsClaim: { ...current.resultsClaim, until: now } } : null))
      .catch((error: unknown) => this.deps.logger.warn({ err: error, pollId: poll.id }, 'could not release the claim on the poll results; it lapses by itself'));
  }

  private retryLater(poll: Poll, error: unknown, what: string): void {
    const failures = (this.failures.get(poll.id) ?? 0) + 1;
    this.failures.set(poll.id, failures);
    const delay = retryDelay(failures);
    const stale = poll.closedAt !== null && this.deps.clock.now() - poll.closedAt >= REDELIVER_WINDOW_MS;
    this.deps.logger.error({ err: error, pollId: poll.id, guildId: poll.guildId, failures, retryInMs: stale ? null : delay }, stale ? `${what}; giving up, the poll closed too long ago` : `${what}; retrying`);
    if (!stale) this.schedule(poll, delay);
    else {
      this.failures.delete(poll.id);
      this.postedUnrecorded.delete(poll.id);
    }
  }

  /** Runs `due` for the poll after `ms` (replacing an earlier schedule). */
  schedule(poll: Poll, ms: number): void {
    if (this.stopped) return;
    this.timers.get(poll.id)?.();
    this.timers.set(
      poll.id,
      this.deps.clock.setTimer(Math.max(ms, 0), () => {
        this.timers.delete(poll.id);
        this.deps.due(poll);
      }),
    );
  }
}
