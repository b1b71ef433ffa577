import type { Logger } from '../logger.js';
import { type Database, reasonOf, type Table } from './adapter.js';
import { driverFor, DRIVERS, type DriverOptions } from './drivers.js';

export { DEFAULT_STORE_URL, isStoreError } from './drivers.js';
import { StorageError } from './errors.js';

export { StorageError, StoreUnavailableError } from './errors.js';

/** How often update() reads again when another process wrote first, before it gives up. */
const UPDATE_ATTEMPTS = 10;

/**
 * One concern's keys (polls, votes, digests…), whatever database is behind it. Writes that fail
 * throw StorageError, so a caller never acknowledges something that was not stored.
 */
export class Collection<T> {
  constructor(
    private readonly table: Table,
    readonly name: string,
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
   * absent), atomically across processes. Pass `expected` as read with get(): the stored JSON is
   * compared. False means someone else changed it first: read again and decide again.
   */
  async compareAndSet(key: string, expected: T | undefined, next: T): Promise<boolean> {
    return this.table.compareAndSet(key, expected, next).catch((error: unknown) => this.failed(key, error));
  }

  /**
   * Read-compare-and-set, the truth when another process may change the value too: `change` gets the
   * stored value and returns the next one, or null to leave it. Tried again while someone else writes
   * first; resolves to the value as stored afterwards.
   */
  async update(key: string, change: (current: T | undefined) => T | null): Promise<T | undefined> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.get(key);
      const next = change(current);
      if (!next) return current;
      if (await this.compareAndSet(key, current, next)) return next;
    }
    throw new StorageError(`${this.name}:${key} kept changing under this write`);
  }

  /** Rejects when the store cannot be read: a failed read is an error, never "not found". */
  get(key: string): Promise<T | undefined> {
    return this.table.get(key) as Promise<T | undefined>;
  }

  set(key: string, value: T): Promise<void> {
    return this.table.set(key, value).catch((error: unknown) => this.failed(key, error));
  }

  async delete(key: string): Promise<void> {
    await this.table.delete(key);
  }

  /** Every entry whose key starts with `prefix`. For start-up and rare listings, never a hot path. */
  async entries(prefix = ''): Promise<Array<[string, T]>> {
    return (await this.table.entries(prefix)) as Array<[string, T]>;
  }

  private failed(key: string, error: unknown): never {
    throw error instanceof StorageError ? error : new StorageError(`could not write ${this.name}:${key}: ${reasonOf(error)}`);
  }
}

export interface Store {
  collection<T>(name: string): Collection<T>;
  close(): Promise<void>;
}

/** The store openStore returns: it can also say when its start-up statements are done. */
export interface OpenedStore extends Store {
  /**
   * Resolves once every collection opened so far has started (on SQLite: the switch to WAL, its
   * table, its pragmas); rejects with a start-up failure. Each collection's statements wait for their
   * own start-up anyway; this is for a caller that needs no start-up write still running, e.g. a test
   * that then holds the write lock itself.
   */
  ready(): Promise<void>;
}

export type StoreOptions = DriverOptions;

/** Whether DATABASE_URL names a database the store supports; else a sentence saying what it should look like. */
export function storeUrlProblem(url: string): string | null {
  return driverFor(url) ? null : `DATABASE_URL must look like ${DRIVERS.map((d) => d.example).join(' or ')}, got "${url}".`;
}

/**
 * Proves at start-up, before anything else opens it, that the store named by DATABASE_URL can be
 * opened and written: a missing folder, a read-only or locked file fails here with a plain reason
 * (StoreUnavailableError) instead of surfacing later as errors on every command.
 */
export async function checkStore(url: string, options: StoreOptions = {}): Promise<void> {
  await driverFor(url)?.check?.(url, options);
}

/**
 * Opens the store named by DATABASE_URL: `sqlite://path` (one table per concern, WAL mode) or
 * `memory:` (lost on exit; for tests). Which database that is, drivers.ts decides; nothing outside
 * src/storage/ knows.
 */
export function openStore(url: string, logger: Logger, options: StoreOptions = {}): OpenedStore {
  const driver = driverFor(url);
  if (!driver) throw new StorageError(storeUrlProblem(url) ?? url);
  const database: Database = driver.open(url, logger, options);
  const tables = new Map<string, Table>();
  return {
    collection<T>(name: string): Collection<T> {
      let table = tables.get(name);
      if (!table) {
        table = database.table(name);
        tables.set(name, table);
      }
      return new Collection<T>(table, name);
    },
    ready: () => database.ready(),
    async close() {
      await database.close();
      tables.clear();
    },
  };
}
