import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';

/** The store named by DATABASE_URL cannot be used; the message is one sentence for the operator. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`the database ${path} ${reason}`, options);
  }
}

const code = (error: unknown): string => (typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '');

function explain(error: unknown): string {
  const c = code(error);
  if (c === 'SQLITE_READONLY' || c === 'EROFS' || c === 'SQLITE_PERM') return 'is read-only, and tamasha must write to it';
  if (c === 'SQLITE_BUSY' || c === 'SQLITE_LOCKED') return 'is locked by another program (another copy of tamasha, or a tool holding it open), and stayed locked';
  if (c === 'SQLITE_NOTADB' || c === 'SQLITE_CORRUPT') return 'is not a SQLite database, or is damaged';
  if (/^(SQLITE_CANTOPEN|SQLITE_IOERR|E[A-Z]+)$/.test(c)) return `cannot be opened or created (${c}): the path must name a file in a folder tamasha may write to`;
  return `cannot be used (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * Proves at start-up that the store can be opened and written, from one connection, before any
 * other opens: a missing folder, a read-only or locked file fails here with a plain reason
 * instead of surfacing later as errors on every command. The same connection switches the file
 * to WAL (which needs the file to itself), so the store's own connections never race for it.
 */
export async function checkStore(url: string, busyTimeoutMs = 5000): Promise<void> {
  if (url === 'memory:') return;
  const file = url.replace(/^sqlite:\/\//, '');
  let db: sqlite3.Database | undefined;
  const run = (sql: string, ...params: unknown[]) =>
    new Promise<void>((resolve, reject) => db?.run(sql, params, (error: Error | null) => (error ? reject(error) : resolve())));
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
    });
    db.configure('busyTimeout', busyTimeoutMs);
    await run('PRAGMA journal_mode=WAL');
    // A real write: SQLite opens a file it may not write read-only without saying so.
    await run('CREATE TABLE IF NOT EXISTS tamasha_meta(key TEXT PRIMARY KEY, value TEXT)');
    await run("INSERT INTO tamasha_meta(key, value) VALUES ('last_start', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", new Date().toISOString());
  } catch (error) {
    throw new StoreUnavailableError(file, explain(error), { cause: error });
  } finally {
    const open = db;
    if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
  }
}
