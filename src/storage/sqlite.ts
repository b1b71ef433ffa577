import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Logger } from '../logger.js';
import type { Database, Table } from './adapter.js';
import { WriteBatcher } from './batch.js';
import { RowEncoder } from './encode.js';
import { switchToWal } from './check.js';
import { startAdapter } from './connect.js';

// How often the WAL is copied back into the database, and the WAL size (in pages) at which a writer
// checkpoints itself. A PASSIVE checkpoint cannot finish while writes keep coming, so the WAL only
// starts over when a writer checkpoints; by then the background ones have copied nearly all of it.
const CHECKPOINT_EVERY_MS = 1_000;
const WRITER_CHECKPOINT_PAGES = 20_000;

/**
 * Copies the WAL back into the database from a connection of its own. SQLite's automatic
 * checkpoint runs inside a writer's commit: at 100,000 votes that stalled a vote for 30-40 ms every
 * thousand pages. A PASSIVE checkpoint here never blocks the writers. Every 5 s was not enough: at a
 * steady 2,000 votes/s the WAL reached the writer's 20,000 pages between two, and the writer's own
 * checkpoint (everything since the last) stalled the votes behind it ~90 ms every ~10 s (p99 43-60
 * ms over 10 s at 100,000 voters); every second it finds little left to copy (p99 4.2-4.3 ms, max 28 ms).
 */
function startCheckpoints(adapter: KeyvSqlite, logger: Logger): { stop(): Promise<void> } {
  const timer = setInterval(() => {
    adapter.query('PRAGMA wal_checkpoint(PASSIVE)').catch((error: unknown) => logger.warn({ err: error }, 'WAL checkpoint failed'));
  }, CHECKPOINT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await adapter.disconnect();
    },
  };
}

/** One concern's SQLite table: its keyv, its write batcher and the promise of its pragmas. */
class SqliteTable implements Table {
  private readonly adapter: KeyvSqlite;
  readonly keyv: Keyv<unknown>;
  readonly batcher: WriteBatcher;
  private readonly encoder: RowEncoder;
  /** Settles when the start-up is over, failed or not (a failure is logged). */
  readonly ready: Promise<void>;
  /** The start-up itself: rejects when it failed. */
  readonly started: Promise<unknown>;

  constructor(url: string, private readonly name: string, busyTimeout: number, wal: Promise<void>, logger: Logger) {
    // WAL lets readers and a writer share the file and is ~6x faster than the rollback journal;
    // NORMAL sync survives a crash of the process (only power loss can drop the last writes).
    // These two pragmas belong to the connection, so each one runs them, whatever the file's mode.
    // The table's statements wait for the switch and for these: none races the start-up.
    const { adapter, started } = startAdapter(
      { uri: url, table: name, busyTimeout, iterationLimit: 1000 },
      {
        after: wal,
        setup: ['PRAGMA synchronous=NORMAL', `PRAGMA wal_autocheckpoint=${WRITER_CHECKPOINT_PAGES}`],
        onBusy: (attempt) => logger.debug({ attempt, table: name }, 'database busy while creating a table; trying again'),
      },
    );
    this.adapter = adapter;
    this.started = Promise.all([wal, started]);
    this.ready = this.started.then(
      () => undefined,
      (error: unknown) => logger.error({ err: error, table: name }, 'could not start SQLite (WAL mode, table or pragmas)'),
    );
    // keyv swallows a failed read (answering "not found") unless told to throw.
    this.keyv = new Keyv<unknown>({ store: this.adapter, namespace: name, throwOnErrors: true });
    this.keyv.on('error', (error: unknown) => logger.error({ err: error, collection: name }, 'storage error'));
    this.encoder = new RowEncoder(this.keyv);
    this.batcher = new WriteBatcher(async (rows) => {
      const values = rows.map(() => '(?, ?)').join(', ');
      const sql = `INSERT INTO ${this.adapter.opts.table} (key, value) VALUES ${values} ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
      await this.adapter.query(sql, ...rows.flat());
    });
  }

  get(key: string): Promise<unknown> {
    return this.keyv.get(key);
  }

  set(key: string, value: unknown): Promise<void> {
    // Group commit, in keyv's own encoding (see RowEncoder).
    return this.encoder.write(value, (raw) => this.batcher.write(`${this.name}:${key}`, raw));
  }

  /** Not through the batcher: a delete is not ordered with this process's batched writes of the key. */
  async delete(key: string): Promise<void> {
    await this.keyv.delete(key);
  }

  async entries(prefix: string): Promise<Array<[string, unknown]>> {
    const full = `${this.name}:${prefix}`;
    // A half-open range on the primary key uses its index, unlike LIKE with a bound parameter.
    const rows = (await this.adapter.query(`SELECT key, value FROM ${this.adapter.opts.table} WHERE key >= ? AND key < ?`, full, `${full}\uffff`)) as Array<{ key: string; value: string }>;
    const found: Array<[string, unknown]> = [];
    const deserialize = this.keyv.deserialize ?? ((raw: string) => JSON.parse(raw) as unknown);
    for (const row of rows) {
      const data = (await deserialize(row.value)) as { value?: unknown } | undefined;
      if (data?.value !== undefined) found.push([row.key.slice(this.name.length + 1), data.value]);
    }
    return found;
  }

  /**
   * One statement (INSERT … ON CONFLICT DO NOTHING, or UPDATE … WHERE value = ?), run through the
   * batcher so it is never overtaken by (and never overtakes) a batched write of the same key.
   */
  async compareAndSet(key: string, expected: unknown, next: unknown): Promise<boolean> {
    const full = `${this.name}:${key}`;
    // Encoded in the call when the serializer allows, so the statement joins the queue in call order with set().
    const rows = await this.encoder.write(next, (raw) =>
      expected === undefined
        ? this.batcher.exclusive(() => this.adapter.query(`INSERT INTO ${this.adapter.opts.table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key`, full, raw))
        : this.batcher.exclusive(async () => this.adapter.query(`UPDATE ${this.adapter.opts.table} SET value = ? WHERE key = ? AND value = ? RETURNING key`, raw, full, await this.encoder.encode(expected))),
    );
    return Array.isArray(rows) && rows.length === 1;
  }
}

export interface SqliteOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** `sqlite://path`: one table per concern in one file, WAL mode, group commit, background checkpoints. */
export function openSqlite(url: string, logger: Logger, options: SqliteOptions = {}): Database {
  const busyTimeout = options.busyTimeoutMs ?? 5000;
  let checkpoints: { stop(): Promise<void> } | undefined;
  let wal: Promise<void> | undefined;
  const tables: SqliteTable[] = [];
  return {
    table(name) {
      const file = url.replace(/^sqlite:\/\//, '');
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      if (!wal) {
        const onBusy = (attempt: number) => logger.debug({ attempt }, 'database busy while starting the checkpoint connection; trying again');
        const { adapter: first } = startAdapter({ uri: url, table: 'checkpoints', busyTimeout }, { onBusy });
        // An adapter emits 'error' when its connection fails; unheard, that would crash the process.
        first.on('error', (error: unknown) => logger.error({ err: error }, 'checkpoint connection failed'));
        // Awaited by every table's pragmas, and by close(): a failed open is never left unhandled.
        wal = switchToWal((sql) => first.query(sql), (attempt) => logger.debug({ attempt }, 'database busy while switching to WAL; trying again'));
        checkpoints = startCheckpoints(first, logger);
      }
      const table = new SqliteTable(url, name, busyTimeout, wal, logger);
      tables.push(table);
      return table;
    },
    async ready() {
      await Promise.all(tables.map((table) => table.started));
    },
    async close() {
      await Promise.all(tables.map(async (table) => {
        await table.ready;
        await table.batcher.idle();
      }));
      await Promise.all(tables.map((table) => table.keyv.disconnect()));
      await checkpoints?.stop();
      checkpoints = undefined;
      wal = undefined;
      tables.length = 0;
    },
  };
}
