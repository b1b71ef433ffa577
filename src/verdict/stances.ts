import type { Clock } from '../clock.js';
import { KeyedQueue } from '../queue.js';
import type { VerdictRepository } from './repository.js';
import type { RetractStanceResult, StanceResult } from './types.js';

/**
 * Each server's stances as this process knows them: loaded from the store on first use, then kept
 * by applying every change this process stores. Per member, changes apply in call order (a member's
 * rapid clicks); members never wait on each other. Stored stances stay the truth: the daily
 * snapshot counts the store, which every process writes.
 */
export class StanceBook {
  private readonly loaded = new Map<string, Promise<Map<string, number>>>();
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly repo: VerdictRepository,
    private readonly clock: Clock,
    private readonly onFirst: (guildId: string) => Promise<void>,
  ) {}

  /** userId → stance for a server. */
  async members(guildId: string): Promise<Map<string, number>> {
    let members = this.loaded.get(guildId);
    if (!members) {
      members = this.repo.stancesOf(guildId);
      this.loaded.set(guildId, members);
      members.catch(() => this.loaded.delete(guildId));
    }
    return members;
  }

  /** Resolves once the stance and its history entry are stored. */
  async state(guildId: string, userId: string, answer: number): Promise<StanceResult> {
    return this.change<StanceResult>(guildId, userId, (previous) => (previous === answer ? undefined : answer), (previous) => ({ kind: previous === null ? 'recorded' : 'changed', previous }), (previous) => ({ kind: 'unchanged', previous }));
  }

  /** `only`: retract only when the member's stance is this one (a retracted poll vote). */
  async retract(guildId: string, userId: string, only?: number): Promise<RetractStanceResult> {
    return this.change<RetractStanceResult>(
      guildId,
      userId,
      (previous) => (previous === null || (only !== undefined && previous !== only) ? undefined : null),
      (previous) => ({ kind: 'retracted', previous }),
      (previous) => ({ kind: 'none', previous }),
    );
  }

  /** Deletes the member's records and their stance from the tally, in order with their changes. */
  async forget(guildId: string, userId: string): Promise<number | null> {
    const members = await this.members(guildId);
    return this.queue.run(`${guildId}:${userId}`, async () => {
      const previous = members.get(userId) ?? null;
      await this.repo.forget(guildId, userId);
      members.delete(userId);
      return previous;
    });
  }

  /** Settles when every change queued so far has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * `next` says what to store given the current stance: a number or null (no stance), or undefined
   * to store nothing. The live tally moves only after the store confirmed.
   */
  private async change<R>(guildId: string, userId: string, next: (previous: number | null) => number | null | undefined, stored: (previous: number | null) => R, untouched: (previous: number | null) => R): Promise<R> {
    const members = await this.members(guildId);
    return this.queue.run(`${guildId}:${userId}`, async () => {
      const previous = members.get(userId) ?? null;
      const answer = next(previous);
      if (answer === undefined || answer === previous) return untouched(previous);
      if (members.size === 0) await this.onFirst(guildId);
      await Promise.all([this.repo.setStance(guildId, userId, answer), this.repo.addChange(guildId, userId, { from: previous, to: answer, at: this.clock.now() })]);
      if (answer === null) members.delete(userId);
      else members.set(userId, answer);
      return stored(previous);
    });
  }
}
