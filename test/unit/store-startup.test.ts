import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openStore, type OpenedStore } from '../../src/storage/store.js';
import { inject, scratchSqlite } from '../helpers/sqlite-faults.js';

/**
 * The store's start-up statements losing a lock race. On a fresh file every connection of the
 * store creates its table at once, and under load one of them can wait past the busy timeout
 * (seen as a flaky store-faults test at load average 8). A busy start-up is a passing state: the
 * collection must still work afterwards, not stay broken for the life of the process.
 */
const scratch = scratchSqlite('startup');

function open(): { file: string; store: OpenedStore } {
  const file = scratch.file();
  const store = openStore(`sqlite://${file}`, createLogger('silent'), { busyTimeoutMs: 100 });
  scratch.track(store);
  return { file, store };
}

async function journalMode(file: string): Promise<string> {
  const db = new sqlite3.Database(file);
  const rows = await new Promise<Array<{ journal_mode: string }>>((ok, fail) => db.all('PRAGMA journal_mode', (e, r) => (e ? fail(e) : ok(r as Array<{ journal_mode: string }>))));
  await new Promise<void>((ok) => db.close(() => ok()));
  return rows[0]?.journal_mode ?? '';
}

describe('the SQLite store when its start-up statements find the file busy', () => {
  it("a collection whose table creation was refused as busy once still reads and writes", async () => {
    const { fault } = inject({ match: /^CREATE TABLE IF NOT EXISTS settings/, code: 'SQLITE_BUSY', times: 1 });
    const { store } = open();
    const settings = store.collection<string>('settings');
    await settings.set('guild:1', 'kept');
    expect(await settings.get('guild:1')).toBe('kept');
    expect(fault.hits).toBeGreaterThanOrEqual(2); // refused once, then created
  });

  it('the checkpoint connection refused as busy once: the file still goes to WAL before the first write', async () => {
    inject({ match: /^CREATE TABLE IF NOT EXISTS checkpoints/, code: 'SQLITE_BUSY', times: 1 });
    const { file, store } = open();
    await store.collection<string>('settings').set('guild:1', 'kept');
    expect(await journalMode(file)).toBe('wal');
  });

  it('ready() resolves once every opened collection has its table, and no start-up write holds the lock', async () => {
    const { file, store } = open();
    for (const name of ['polls', 'votes', 'settings']) store.collection(name);
    await store.ready();
    const db = new sqlite3.Database(file); // no busy timeout: a lock still held fails at once
    const tables = await new Promise<string[]>((ok, fail) =>
      db.all("SELECT name FROM sqlite_master WHERE type = 'table'", (e, rows: Array<{ name: string }>) => (e ? fail(e) : ok(rows.map((r) => r.name)))),
    );
    await new Promise<void>((ok, fail) => db.exec('BEGIN IMMEDIATE; ROLLBACK', (e) => (e ? fail(e) : ok())));
    await new Promise<void>((ok) => db.close(() => ok()));
    expect(tables).toEqual(expect.arrayContaining(['checkpoints', 'polls', 'votes', 'settings']));
    expect(await journalMode(file)).toBe('wal');
  });
});
