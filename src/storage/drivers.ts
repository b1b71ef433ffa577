import type { Logger } from '../logger.js';
import type { Database } from './adapter.js';
import { checkSqlite } from './check.js';
import { openMemory } from './memory.js';
import { openPostgres } from './postgres.js';
import { checkPostgres, isPostgresUrl } from './postgres-url.js';
import { openSqlite } from './sqlite.js';

export interface DriverOptions {
  /** How long a statement waits for another connection's lock before failing (SQLite: SQLITE_BUSY). */
  busyTimeoutMs?: number;
  /**
   * How this process names itself to the database server (PostgreSQL's application_name, shown in
   * pg_stat_activity and the server's logs), unless DATABASE_URL sets `application_name` itself.
   */
  applicationName?: string;
}

/** One kind of database the store can run on, chosen by DATABASE_URL's scheme. */
export interface Driver {
  /** How DATABASE_URL looks for it, for the operator's error message. */
  example: string;
  matches(url: string): boolean;
  /** Whether an error's code and message (`${code} ${message}`) come from this database. */
  raised?(text: string): boolean;
  /** Proves at start-up that the store can be opened and written; throws StoreUnavailableError. */
  check?(url: string, options: DriverOptions): Promise<void>;
  open(url: string, logger: Logger, options: DriverOptions): Database;
}

/** Every database the store supports; a new one is one entry here plus its adapter file. */
export const DRIVERS: readonly Driver[] = [
  {
    example: 'sqlite://path/to/file.sqlite',
    matches: (url) => /^sqlite:\/\/.+$/.test(url),
    check: (url, options) => checkSqlite(url, options.busyTimeoutMs),
    raised: (text) => /SQLITE/i.test(text),
    open: openSqlite,
  },
  {
    example: 'postgres://user@host:5432/database (optionally ?schema=name)',
    matches: isPostgresUrl,
    check: (url) => checkPostgres(url),
    // PostgreSQL's start-up failures name the database: 'database "tamasha" does not exist'.
    raised: (text) => /database/i.test(text),
    open: (url, logger, options) => openPostgres(url, logger, options.applicationName),
  },
  {
    example: 'memory: (a throwaway store)',
    matches: (url) => url === 'memory:',
    open: (_url, logger) => openMemory(logger),
  },
];

export const driverFor = (url: string): Driver | undefined => DRIVERS.find((driver) => driver.matches(url));

/** Where the store is when DATABASE_URL is not set: a SQLite file in the working directory. */
export const DEFAULT_STORE_URL = 'sqlite://tamasha.sqlite';

/**
 * Whether an error thrown while starting came from the database (whichever one DATABASE_URL names),
 * so the operator is told to check DATABASE_URL.
 */
export function isStoreError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const text = `${code} ${String(error)}`;
  return DRIVERS.some((driver) => driver.raised?.(text));
}
