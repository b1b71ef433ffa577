/**
 * Spaces starts evenly at `perSecond` in real time, first come first served. Digests are paced
 * below Discord's global 50 requests a second, evenly rather than in bursts, so a fan-out to
 * thousands of servers never meets a 429 and leaves room for the bot's other requests.
 */
export class Pacer {
  private readonly gap: number;
  private nextSlot = 0;
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(perSecond: number) {
    this.gap = 1000 / perSecond;
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /** Lets every waiter go at once (on shutdown: they check for it and send nothing). */
  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.waiting.length > 0) {
      const now = Date.now();
      if (now < this.nextSlot) {
        // One timer for the whole queue, however long it is.
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, this.nextSlot - now);
        return;
      }
      this.nextSlot = Math.max(now, this.nextSlot) + this.gap;
      this.waiting.shift()!();
    }
  }
}
