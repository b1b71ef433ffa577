import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { StoreUnavailableError } from './errors.js';


// A refusal that comes at once is retried for up to this long; one that already waited out the
// busy timeout means the file is really locked, and is not.
const WAL_SWITCH_RETRY_MS = 2_000;
const WAL_SWITCH_PAUSE_MS = 20;

/**
 * Switches the database file to WAL, from one connection. The switch needs the file to itself,
 * and when another connection is mid-transaction SQLite may refuse at once rather than wait (to
 * avoid a deadlock): when several connections tried it together on a fresh database, the losers
 * logged SQLITE_BUSY. Another connection reading at that moment (another shard starting) is a
 * passing state, so a busy switch is tried again. The mode is stored in the file: connections
 * opened before or after use WAL from then on.
 */
export async function switchToWal(query: (sql: string) => Promise<unknown>, onBusy: (attempt: number) => void = () => undefined): Promise<void> {
  const giveUpAt = Date.now() + WAL_SWITCH_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await query('PRAGMA journal_mode=WAL');
      return;
    } catch (error) {
      if (code(error) !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw error;
      onBusy(attempt);
      await new Promise((resolve) => setTimeout(resolve, WAL_SWITCH_PAUSE_MS));
    }
  }
}

function code(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

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
export async function checkSqlite(url: string, busyTimeoutMs = 5000): Promise<void> {
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
    await switchToWal((sql) => run(sql));
    // A real write: SQLite opens a file it may not write read-only without saying so.
    await run('CREATE TABLE IF NOT EXISTS tamasha_meta(key TEXT PRIMARY KEY, value TEXT)');
    await run("INSERT INTO tamasha_meta(key, value) VALUES ('last_start', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", new Date().toISOString());
  } catch (error) {
    throw new StoreUnavailableError(url, file, explain(error), { cause: error });
  } finally {
    const open = db;
    if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
  }
}
