/**
 * Keeps a bot token under Discord's global limit (`limit` requests in any `windowMs`) however late
 * requests reach Discord. Discord counts a request when it arrives; we cannot see that moment, but
 * it lies between our send and our receipt of the answer. So a slot is taken at send and freed only
 * `windowMs` after the answer came back: whatever the latency, and whether Discord's window is
 * fixed or sliding, no `limit + 1` requests can arrive within one window. A cold first window (new
 * TCP/TLS connections) arriving late no longer overlaps the next, as a send-time window did
 * (@discordjs/rest's own limiter, which counts from the send).
 *
 * The cost is one round trip per slot cycle: at 50 ms latency, 50 / 1.05 s = 47.6 requests a second.
 */
export class ArrivalWindow {
  #inFlight = 0;
  /** When each recently answered request came back (ms), oldest first; appended in time order. */
  readonly #answeredAt: number[] = [];
  readonly #waiters: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly limit: number, readonly windowMs = 1_000, private readonly now: () => number = () => performance.now()) {
    if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
  }

  /** Waits for a slot; call the returned function once the answer (or the failure) is in. */
  async acquire(): Promise<() => void> {
    if (this.#waiters.length === 0 && this.used < this.limit) this.#inFlight++;
    else await new Promise<void>((resolve) => { this.#waiters.push(resolve); this.#pump(); }); // #pump takes the slot for us
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#answeredAt.push(this.now());
      this.#pump();
    };
  }

  /** Requests counted now: in flight, or answered less than a window ago. */
  get used(): number {
    const since = this.now() - this.windowMs;
    while (this.#answeredAt.length > 0 && this.#answeredAt[0]! <= since) this.#answeredAt.shift();
    return this.#inFlight + this.#answeredAt.length;
  }

  #pump(): void {
    // Slots taken by woken waiters count at once, so one pump wakes no more than are free.
    let free = this.limit - this.used;
    while (free > 0 && this.#waiters.length > 0) {
      free--;
      this.#inFlight++;
      this.#waiters.shift()!();
    }
    if (this.#timer || this.#waiters.length === 0 || this.#answeredAt.length === 0) return;
    // Wake when the oldest answer leaves the window (a release wakes us sooner if one comes).
    const wait = Math.max(1, this.#answeredAt[0]! + this.windowMs - this.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, wait);
  }
}
