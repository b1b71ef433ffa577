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

// SQLite allows 32,766 bound parameters per statement; two per row keeps far below that.
const ROWS_PER_STATEMENT = 500;

/**
 * Group commit for one table (SQLite or PostgreSQL, whose `commit` writes the rows): every write issued in the same turn of the event loop goes
 * out as one multi-row upsert, and each caller's promise settles when its row is durable. With
 * 1,000 votes in flight this is one commit instead of 1,000, which is what keeps the p99 low.
 * Batches run one after another, so writes to one key land in the order they were made.
 */
export class WriteBatcher {
  private queue: Array<Pending | Exclusive> = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly commit: CommitRows,
    private readonly rowsPerStatement = ROWS_PER_STATEMENT,
  ) {}

  write(key: string, raw: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, raw, resolve, reject });
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  /**
   * Runs `statement` in the queue's order: a conditional write (claim, compare-and-set) must see the
   * batched writes made before it and must not be overtaken by them.
   */
  exclusive<T>(statement: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ exec: () => statement().then(resolve, reject) });
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  /** Resolves once every write issued so far is settled (before closing the database). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head && 'exec' in head) {
        this.queue.shift();
        await head.exec();
        continue;
      }
      let count = 0;
      while (count < Math.min(this.queue.length, this.rowsPerStatement) && !('exec' in this.queue[count]!)) count += 1;
      const batch = this.queue.splice(0, count) as Pending[];
      try {
        await this.commit(batch.map((p) => [p.key, p.raw]));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.running = null;
  }
}
