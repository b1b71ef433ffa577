import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach } from 'vitest';

/**
 * Makes the real SQLite driver fail chosen statements the way SQLite itself fails them, for
 * tests of what the bot does when its store breaks mid-run. It wraps `Database.prototype.all`,
 * which every @keyv/sqlite connection calls for every statement, so it must be imported before
 * the store under test connects. Faults apply to statements whose SQL matches; everything else
 * runs untouched against the real database.
 */
export interface Fault {
  /** Which statements fail, e.g. /^INSERT INTO votes/. */
  match: RegExp;
  /** The SQLite error to answer with (default SQLITE_BUSY). */
  code?: 'SQLITE_BUSY' | 'SQLITE_READONLY' | 'SQLITE_IOERR' | 'SQLITE_FULL';
  /** Let this many matching statements through before failing any. */
  skip?: number;
  /** Fail only this many matching statements (after `skip`), then pass the rest through. */
  times?: number;
  /** Instead of failing, hold matching statements until this promise settles, then run them. */
  holdUntil?: Promise<unknown>;
  /** Called when a statement starts being held (to tell a test the write is in flight). */
  onHold?: (sql: string) => void;
  /** How many matching statements this fault has seen so far (passed or failed). */
  hits?: number;
  /** The connections those statements came from (a retry on the same connection adds none). */
  connections?: Set<unknown>;
}

const MESSAGES = {
  SQLITE_BUSY: [5, 'database is locked'],
  SQLITE_READONLY: [8, 'attempt to write a readonly database'],
  SQLITE_IOERR: [10, 'disk I/O error'],
  SQLITE_FULL: [13, 'database or disk is full'],
} as const;

const active = new Set<Fault>();
/** Every connection that has run a statement since this module loaded (for readOnlyEverywhere). */
const connectionsSeen = new Set<sqlite3.Database>();
let unwrapped: All | undefined;

type Callback = (error: Error | null, rows?: unknown[]) => void;
type All = (this: sqlite3.Database, sql: string, ...rest: unknown[]) => sqlite3.Database;
const proto = sqlite3.Database.prototype as unknown as { all: All; __faultable?: boolean };
if (!proto.__faultable) {
  const original = proto.all;
  unwrapped = original;
  proto.all = function all(this: sqlite3.Database, sql: string, ...rest: unknown[]) {
    connectionsSeen.add(this);
    const fault = [...active].find((f) => f.match.test(sql));
    if (!fault) return original.call(this, sql, ...rest);
    const seen = (fault.hits = (fault.hits ?? 0) + 1);
    (fault.connections ??= new Set()).add(this);
    const skip = fault.skip ?? 0;
    if (seen <= skip || (fault.times !== undefined && seen > skip + fault.times)) return original.call(this, sql, ...rest);
    const callback = rest.at(-1) as Callback;
    if (fault.holdUntil) {
      fault.onHold?.(sql);
      void fault.holdUntil.finally(() => original.call(this, sql, ...rest));
      return this;
    }
    const [errno, text] = MESSAGES[fault.code ?? 'SQLITE_BUSY'];
    const error = Object.assign(new Error(`${fault.code ?? 'SQLITE_BUSY'}: ${text}`), { errno, code: fault.code ?? 'SQLITE_BUSY' });
    setImmediate(() => callback(error));
    return this;
  };
  proto.__faultable = true;
}

/** Starts a fault; returns it (its `hits` count grows) and a function that ends it. */
export function inject(fault: Fault): { fault: Fault; heal: () => void } {
  fault.hits = 0;
  active.add(fault);
  return { fault, heal: () => active.delete(fault) };
}

/**
 * Makes the database read-only for real, the way SQLite itself refuses: `PRAGMA query_only=1` on
 * every connection that has run a statement (open the store and use it first), so each write then
 * fails with SQLITE_READONLY. Resolves to a function that makes them writable again.
 */
export async function readOnlyEverywhere(): Promise<() => Promise<void>> {
  const connections = [...connectionsSeen].filter((db) => (db as unknown as { open: boolean }).open);
  const pragma = (value: 0 | 1) =>
    Promise.all(connections.map((db) => new Promise<void>((ok, fail) => unwrapped!.call(db, `PRAGMA query_only=${value}`, (error: Error | null) => (error ? fail(error) : ok())))));
  await pragma(1);
  return async () => void (await pragma(0));
}

export function healAll(): void {
  active.clear();
}

/**
 * Fresh SQLite files for a test file: `file()` names a new one, `track()` closes a store after each
 * test (after healing every injected fault), and the folder goes when the file's tests end.
 */
export function scratchSqlite(prefix: string): { file: () => string; track: <S extends { close(): Promise<void> }>(store: S) => S } {
  const dir = mkdtempSync(join(tmpdir(), `tamasha-${prefix}-`));
  let n = 0;
  const stores: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    healAll();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    file: () => join(dir, `${prefix}-${n++}.sqlite`),
    track: (store) => (stores.push(store), store),
  };
}
