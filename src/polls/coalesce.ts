import type { Clock } from '../clock.js';

interface Slot {
  lastRun: number;
  cancelTimer: (() => void) | null;
  running: Promise<void> | null;
  dirty: boolean;
}

/**
 * Per-key throttle: the first signal runs at once (leading edge), later ones within `intervalMs`
 * are merged into one trailing run at the end of the interval. Runs never overlap: a slow run
 * (a Discord edit under rate limits) defers the next, so edits land in order and the last state
 * always follows the last signal. `run` reads the current state itself, so nothing is queued.
 */
export class Coalescer {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly run: (key: string) => Promise<void>,
  ) {}

  signal(key: string): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastRun: -Infinity, cancelTimer: null, running: null, dirty: false };
      this.slots.set(key, slot);
    }
    slot.dirty = true;
    this.schedule(key, slot);
  }

  /**
   * Drops pending work for a key (its poll closed: onClose supersedes the last edit) and settles
   * when a run under way has finished, so the caller's next edit cannot be overtaken by it.
   */
  async cancel(key: string): Promise<void> {
    const slot = this.slots.get(key);
    slot?.cancelTimer?.();
    this.slots.delete(key);
    await slot?.running;
  }

  /** Settles once no run is under way, including those a finished run started at once (not those a timer will start). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.slots.values()].flatMap((slot) => (slot.running ? [slot.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((key) => this.cancel(key)));
  }

  private schedule(key: string, slot: Slot): void {
    if (!slot.dirty || slot.running || slot.cancelTimer) return;
    const wait = slot.lastRun + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      void this.fire(key, slot);
      return;
    }
    slot.cancelTimer = this.clock.setTimer(wait, () => {
      slot.cancelTimer = null;
      void this.fire(key, slot);
    });
  }

  private async fire(key: string, slot: Slot): Promise<void> {
    if (this.slots.get(key) !== slot) return;
    slot.dirty = false;
    slot.lastRun = this.clock.now();
    // `run` reports its own failures; the next signal simply tries again with fresher state.
    slot.running = this.run(key).catch(() => undefined);
    try {
      await slot.running;
    } finally {
      slot.running = null;
      // The slot stays (it remembers lastRun) until cancel(): one small object per open poll.
      if (this.slots.get(key) === slot) this.schedule(key, slot);
    }
  }
}
