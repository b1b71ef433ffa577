/**
 * How many polls one member may start in one server per window. Counted in this process only,
 * which is correct with shards: Discord sends a guild's interactions to the one shard (process)
 * that owns it, so every start by a member in a server is counted in the same place. A restart
 * forgets the counts, which at worst allows one extra burst.
 */
export class StartLimiter {
  /** guild:member → start times within the window, oldest first. Map order = order of last start. */
  private readonly starts = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** When `key` may start again (epoch ms), or null if it may start now. */
  nextAllowed(key: string, now: number): number | null {
    const recent = this.recent(key, now);
    return recent.length >= this.limit ? (recent[0] ?? now) + this.windowMs : null;
  }

  record(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.starts.delete(key); // re-inserted last, so the Map stays ordered by latest start
    this.starts.set(key, recent);
    // Members whose latest start left the window come first: drop them, so memory follows activity.
    for (const [old, times] of this.starts) {
      if ((times.at(-1) ?? 0) > now - this.windowMs) break;
      this.starts.delete(old);
    }
  }

  private recent(key: string, now: number): number[] {
    return (this.starts.get(key) ?? []).filter((at) => at > now - this.windowMs);
  }
}
