import type { Clock } from './clock.js';

/** The timer re-checks at least this often, so a long sleep can't drift past a due time. */
const MAX_SLEEP = 60_000;

/**
 * The timer of a service that runs jobs at planned times, one job per key (a digest schedule, a
 * server's verdict snapshot): `plan` holds each key's next run, worked out once per change, so a
 * tick compares numbers only; one timer is armed for the soonest run not under way (or MAX_SLEEP).
 * A tick picks the due keys and hands them to `launch`, which returns, per key, the promise of its
 * run; a key is not picked again while its run is under way.
 */
export class Scheduler<Run> {
  readonly plan = new Map<string, Run>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private cancelTimer: (() => void) | null = null;
  private stopped: boolean;

  constructor(
    private readonly clock: Clock,
    /** When a planned run is due. */
    private readonly atOf: (run: Run) => number,
    /** Starts the due runs (picked at `now`); resolves to each key's run, settled when that run is over. */
    private readonly launch: (due: Array<[string, Run]>, now: number) => Map<string, Promise<void>>,
    /** Whether it arms before the first resume() (a service whose settings may change before it starts). */
    running = false,
  ) {
    this.stopped = !running;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Ticks again from now on (the caller's start runs the first tick). */
  resume(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Re-arms the timer for the soonest planned run not under way (after a change of plan). */
  arm(): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    const now = this.clock.now();
    let soonest = now + MAX_SLEEP;
    for (const [key, run] of this.plan) if (!this.inFlight.has(key)) soonest = Math.min(soonest, this.atOf(run));
    this.cancelTimer = this.clock.setTimer(Math.max(soonest - now, 0), () => void this.tick());
  }

  /**
   * Starts every run that is due. The due keys are picked, and the timer re-armed, before any
   * waiting, so a tick that fires while others run is not lost. Resolves when its runs are over.
   */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    const due = [...this.plan].filter(([key, run]) => this.atOf(run) <= now && !this.inFlight.has(key));
    const runs = due.length === 0 ? new Map<string, Promise<void>>() : this.launch(due, now);
    const tracked = [...runs].map(([key, run]) => {
      const settled = run.finally(() => {
        if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
      });
      this.inFlight.set(key, settled);
      return settled;
    });
    this.arm();
    if (tracked.length === 0) return;
    await Promise.all(tracked);
    this.arm();
  }

  /** Resolves when every run under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }
}
