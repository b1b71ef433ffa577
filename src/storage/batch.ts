interface Pending {
  key: string;
  raw: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A statement that must run alone, after every write queued before it and before any queued after. */
interface Exclusive {
  exec: () => Promise<void>;
}

/** Commits `rows` ([key, raw value], in call order) as one statement; resolves once they are durable. */
export type CommitRows = (rows: Array<[string, string]>) => Promise<void>;

export interface BatcherOptions {
  /** At most this many rows per statement (SQLite allows 32,766 bound parameters; two per row). */
  rowsPerStatement?: number;
  /**
   * Statements in flight at once. 1 (SQLite: one writer) runs them one after another. A server
   * database (PostgreSQL) commits several at once on separate connections: a batch then starts
   * while the previous one waits for its commit, instead of queueing behind it.
   */
  inFlight?: number;
}

/**
 * Group commit for one table (SQLite or PostgreSQL, whose `commit` writes the rows): every write
 * issued in the same turn of the event loop goes out as one multi-row upsert, and each caller's
 * promise settles when its row is durable. With 1,000 votes in flight this is one commit instead of
 * 1,000, which is what keeps the p99 low. Writes to one key land in the order they were made: a key
 * whose earlier write is still in flight waits for it (and so do that key's later writes), and a
 * conditional write runs alone, after everything queued before it.
 */
export class WriteBatcher {
  private queue: Array<Pending | Exclusive> = [];
  private scheduled = false;
  private running = 0;
  private exclusiveRunning = false;
  /** Keys of the statements in flight, with how many statements hold each. */
  private readonly busy = new Map<string, number>();
  private idlers: Array<() => void> = [];
  private readonly rowsPerStatement: number;
  private readonly inFlight: number;

  constructor(
    private readonly commit: CommitRows,
    options: BatcherOptions = {},
  ) {
    this.rowsPerStatement = options.rowsPerStatement ?? 500;
    this.inFlight = options.inFlight ?? 1;
  }

  write(key: string, raw: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, raw, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Runs `statement` in the queue's order: a conditional write (claim, compare-and-set) must see the
   * batched writes made before it and must not be overtaken by them.
   */
  exclusive<T>(statement: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ exec: () => statement().then(resolve, reject) });
      this.schedule();
    });
  }

  /** Resolves once every write issued so far is settled (before closing the database). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Waits for the end of the turn, so the writes made in it go out together. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Starts every statement that may start now. */
  private pump(): void {
    while (this.queue.length > 0 && !this.exclusiveRunning && this.running < this.inFlight) {
      const head = this.queue[0];
      if (head && 'exec' in head) {
        if (this.running > 0) break; // it runs alone, once what was queued before it has landed
        this.queue.shift();
        this.exclusiveRunning = true;
        this.start(head.exec(), () => (this.exclusiveRunning = false));
        continue;
      }
      const batch = this.take();
      if (batch.length === 0) break; // every queued key waits for a statement in flight
      for (const p of batch) this.busy.set(p.key, (this.busy.get(p.key) ?? 0) + 1);
      const done = this.commit(batch.map((p) => [p.key, p.raw])).then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      );
      this.start(done, () => {
        for (const p of batch) {
          const left = (this.busy.get(p.key) ?? 1) - 1;
          if (left === 0) this.busy.delete(p.key);
          else this.busy.set(p.key, left);
        }
      });
    }
    if (this.queue.length === 0 && this.running === 0 && !this.scheduled) this.idlers.splice(0).forEach((resolve) => resolve());
  }

  /**
   * Takes, in queue order up to the first conditional write, the writes whose key has no write in
   * flight and no earlier write left waiting in the queue.
   */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const blocked = new Set<string>();
    const rest: Array<Pending | Exclusive> = [];
    let i = 0;
    for (; i < this.queue.length && batch.length < this.rowsPerStatement; i++) {
      const item = this.queue[i]!;
      if ('exec' in item) break;
      if (this.busy.has(item.key) || blocked.has(item.key)) {
        blocked.add(item.key);
        rest.push(item);
      } else batch.push(item);
    }
    this.queue = [...rest, ...this.queue.slice(i)];
    return batch;
  }

  private start(statement: Promise<void>, after: () => void): void {
    this.running += 1;
    void statement.finally(() => {
      this.running -= 1;
      after();
      this.pump();
    });
  }
}
