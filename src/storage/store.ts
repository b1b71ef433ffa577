import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Logger } from '../logger.js';
import { WriteBatcher } from './batch.js';
import { switchToWal } from './check.js';
import { startAdapter } from './connect.js';

export class StorageError extends Error {
  override name = 'StorageError';
}

/**
 * One concern's keys (polls, votes, digests…). Writes that fail throw instead of returning false,
 * so a caller never acknowledges something that was not stored.
 */
export class Collection<T> {
  constructor(
    private readonly keyv: Keyv<T>,
    readonly name: string,
    private readonly batcher?: WriteBatcher,
    private readonly conditional?: ConditionalWrites,
  ) {}

  /**
   * Writes `value` only if `key` has no value yet, as one atomic step in the store: of several
   * processes claiming the same key, exactly one gets true. Throws StorageError when the store fails.
   */
  async claim(key: string, value: T): Promise<boolean> {
    return this.compareAndSet(key, undefined, value);
  }

  /**
   * Replaces the stored value with `next` only if it still equals `expected` (undefined: the key is
   * absent), atomically across processes. Pass `expected` as read with get(): on SQLite the stored
   * JSON is compared. False means someone else changed it first: read again and decide again.
   */
  async compareAndSet(key: string, expected: T | undefined, next: T): Promise<boolean> {
    if (!this.conditional) throw new StorageError(`the store behind ${this.name} has no conditional writes`);
    try {
      return await this.conditional.writeIf(key, expected, next);
    } catch (error) {
      throw new StorageError(`could not write ${this.name}:${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Rejects when the store cannot be read: a failed read is an error, never "not found". */
  async get(key: string): Promise<T | undefined> {
    return this.keyv.get(key);
  }

  async set(key: string, value: T): Promise<void> {
    if (this.batcher && this.keyv.serialize) {
      // The same encoding keyv uses, so get() and entries() read batched rows like any other.
      const raw = await this.keyv.serialize({ value, expires: undefined });
      await this.batcher.write(`${this.name}:${key}`, raw).catch((error: unknown) => {
        throw new StorageError(`could not write ${this.name}:${key}: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    const stored = await this.keyv.set(key, value).catch((error: unknown) => {
      throw new StorageError(`could not write ${this.name}:${key}: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!stored) throw new StorageError(`could not write ${this.name}:${key}`);
  }

  async delete(key: string): Promise<void> {
    await this.keyv.delete(key);
  }

  /**
   * Every entry whose key starts with `prefix`. On SQLite one indexed range query; elsewhere a walk
   * of the collection's keys. For start-up and rare listings, never a hot path.
   */
  async entries(prefix = ''): Promise<Array<[string, T]>> {
    const full = `${this.name}:${prefix}`;
    const store: unknown = this.keyv.store;
    if (store instanceof KeyvSqlite) {
      // A half-open range on the primary key uses its index, unlike LIKE with a bound parameter.
      const rows = (await store.query(`SELECT key, value FROM ${store.opts.table} WHERE key >= ? AND key < ?`, full, `${full}\uffff`)) as Array<{ key: string; value: string }>;
      const found: Array<[string, T]> = [];
      const deserialize = this.keyv.deserialize ?? ((raw: string) => JSON.parse(raw) as unknown);
      for (const row of rows) {
        const data = (await deserialize(row.value)) as { value?: T } | undefined;
        if (data?.value !== undefined) found.push([row.key.slice(this.name.length + 1), data.value]);
      }
      return found;
    }
    if (!this.keyv.iterator) throw new StorageError(`the store behind ${this.name} cannot list keys`);
    const found: Array<[string, T]> = [];
    for await (const [key, value] of this.keyv.iterator(this.name) as AsyncGenerator<[string, T]>) {
      const bare = key.startsWith(`${this.name}:`) ? key.slice(this.name.length + 1) : key;
      if (bare.startsWith(prefix)) found.push([bare, value]);
    }
    return found;
  }
}

/**
 * A store's one atomic step: write `next` at `key` only if its value is still `expected` (undefined:
 * absent). SQLite does it as one statement (below); PostgreSQL can run the same two statements
 * (INSERT … ON CONFLICT DO NOTHING RETURNING, UPDATE … WHERE value = $3 RETURNING).
 */
export interface ConditionalWrites {
  writeIf(key: string, expected: unknown, next: unknown): Promise<boolean>;
}

/**
 * On SQLite, through the table's batcher, so a conditional write is never overtaken by (and never
 * overtakes) a batched write of the same key made by this process.
 */
function sqliteConditional(adapter: KeyvSqlite, batcher: WriteBatcher, keyv: Keyv<unknown>, name: string): ConditionalWrites {
  const table = adapter.opts.table;
  const encode = async (value: unknown): Promise<string> => {
    const raw = keyv.serialize ? await keyv.serialize({ value, expires: undefined }) : JSON.stringify({ value });
    if (typeof raw !== 'string') throw new StorageError('the serializer did not produce text');
    return raw;
  };
  return {
    async writeIf(key, expected, next) {
      const full = `${name}:${key}`;
      const raw = await encode(next);
      const rows = expected === undefined
        ? await batcher.exclusive(() => adapter.query(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key`, full, raw))
        : await batcher.exclusive(async () => adapter.query(`UPDATE ${table} SET value = ? WHERE key = ? AND value = ? RETURNING key`, raw, full, await encode(expected)));
      return Array.isArray(rows) && rows.length === 1;
    },
  };
}

/** For `memory:`: one process holds the only copy, so a check and a write under one lock suffice. */
function memoryConditional(keyv: Keyv<unknown>): ConditionalWrites {
  let chain: Promise<unknown> = Promise.resolve();
  // Compared as they would be stored: JSON drops undefined fields.
  const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  return {
    writeIf(key, expected, next) {
      const step = chain.then(async () => {
        const current = await keyv.get(key);
        if (!isDeepStrictEqual(plain(current), plain(expected))) return false;
        if (!(await keyv.set(key, next))) throw new StorageError(`could not write ${key}`);
        return true;
      });
      chain = step.catch(() => undefined);
      return step;
    },
  };
}

export interface Store {
  collection<T>(name: string): Collection<T>;
  close(): Promise<void>;
}

/** The store openStore returns: it can also say when its start-up statements are done. */
export interface OpenedStore extends Store {
  /**
   * Resolves once every collection opened so far has started (the switch to WAL, its table, its
   * pragmas); rejects with a start-up failure. Each collection's statements wait for their own
   * start-up anyway; this is for a caller that needs no start-up write of another collection
   * still running, e.g. a test that then holds the write lock itself.
   */
  ready(): Promise<void>;
}

/**
 * Opens the store named by DATABASE_URL: `sqlite://path` (one table per concern, WAL mode) or
 * `memory:` (lost on exit; for tests). Each concern gets its own adapter because keyv adapters
 * keep one namespace each.
 */
// How often the WAL is copied back into the database, and the WAL size (in pages) at which a writer
// would do it itself if the background checkpoints ever stopped.
const CHECKPOINT_EVERY_MS = 5_000;
const WRITER_CHECKPOINT_PAGES = 20_000;

/**
 * Copies the WAL back into the database from a connection of its own. SQLite's automatic
 * checkpoint runs inside a writer's commit: at 100,000 votes that stalled a vote for 30-40 ms every
 * thousand pages. A PASSIVE checkpoint here never blocks the writers.
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

/** One concern's keyv; on SQLite also its write batcher and the promise of its pragmas. */
interface Opened {
  keyv: Keyv<unknown>;
  batcher?: WriteBatcher;
  conditional: ConditionalWrites;
  /** Settles when the start-up is over, failed or not (a failure is logged). */
  ready?: Promise<void>;
  /** The start-up itself: rejects when it failed. */
  started?: Promise<unknown>;
}

export interface StoreOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export function openStore(url: string, logger: Logger, options: StoreOptions = {}): OpenedStore {
  const busyTimeout = options.busyTimeoutMs ?? 5000;
  let checkpoints: { stop(): Promise<void> } | undefined;
  let wal: Promise<void> | undefined;
  const opened = new Map<string, Opened>();
  const make = (name: string): Opened => {
    if (url === 'memory:') {
      const keyv = new Keyv<unknown>({ namespace: name, throwOnErrors: true });
      return { keyv, conditional: memoryConditional(keyv) };
    }
    const file = url.replace(/^sqlite:\/\//, '');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    if (!wal) {
      const onBusy = (attempt: number) => logger.debug({ attempt }, 'database busy while starting the checkpoint connection; trying again');
      const { adapter: first } = startAdapter({ uri: url, table: 'checkpoints', busyTimeout }, { onBusy });
      // An adapter emits 'error' when its connection fails; unheard, that would crash the process.
      first.on('error', (error: unknown) => logger.error({ err: error }, 'checkpoint connection failed'));
      // Awaited by every collection's start-up, and by close(): a failed open is never left unhandled.
      wal = switchToWal((sql) => first.query(sql), (attempt) => logger.debug({ attempt }, 'database busy while switching to WAL; trying again'));
      checkpoints = startCheckpoints(first, logger);
    }
    // WAL lets readers and a writer share the file and is ~6x faster than the rollback journal;
    // NORMAL sync survives a crash of the process (only power loss can drop the last writes).
    // These two pragmas belong to the connection, so each one runs them, whatever the file's mode.
    // The collection's statements wait for the switch and for these: none races the start-up.
    const { adapter, started } = startAdapter(
      { uri: url, table: name, busyTimeout, iterationLimit: 1000 },
      {
        after: wal,
        setup: ['PRAGMA synchronous=NORMAL', `PRAGMA wal_autocheckpoint=${WRITER_CHECKPOINT_PAGES}`],
        onBusy: (attempt) => logger.debug({ attempt, table: name }, 'database busy while creating a table; trying again'),
      },
    );
    const startup = Promise.all([wal, started]);
    const ready = startup.then(
      () => undefined,
      (error: unknown) => logger.error({ err: error, table: name }, 'could not start SQLite (WAL mode, table or pragmas)'),
    );
    // keyv swallows a failed read (answering "not found") unless told to throw.
    const keyv = new Keyv<unknown>({ store: adapter, namespace: name, throwOnErrors: true });
    const batcher = new WriteBatcher(adapter);
    return { keyv, batcher, conditional: sqliteConditional(adapter, batcher, keyv, name), ready, started: startup };
  };
  return {
    collection<T>(name: string): Collection<T> {
      let entry = opened.get(name);
      if (!entry) {
        entry = make(name);
        entry.keyv.on('error', (error: unknown) => logger.error({ err: error, collection: name }, 'storage error'));
        opened.set(name, entry);
      }
      return new Collection<T>(entry.keyv as Keyv<T>, name, entry.batcher, entry.conditional);
    },
    async ready() {
      await Promise.all([...opened.values()].map((entry) => entry.started));
    },
    async close() {
      await Promise.all([...opened.values()].map(async (entry) => {
        await entry.ready;
        await entry.batcher?.idle();
      }));
      await Promise.all([...opened.values()].map((entry) => entry.keyv.disconnect()));
      await checkpoints?.stop();
      checkpoints = undefined;
      wal = undefined;
      opened.clear();
    },
  };
}
