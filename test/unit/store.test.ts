import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/storage/store.js';
import { postgresEnabled, usePostgres } from '../helpers/postgres.js';
import { inject } from '../helpers/sqlite-faults.js';

const dir = mkdtempSync(join(tmpdir(), 'tamasha-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** sqlite and memory always; postgres with TEST_DATABASE_URL (reported skipped without). */
const each = (cases: Array<[string, string]>, title: string, body: (url: () => string) => void) => {
  for (const [kind, url] of [...cases, ['postgres', ''] as [string, string]]) {
    describe.skipIf(kind === 'postgres' && !postgresEnabled)(title.replace('%s', kind), () => {
      const server = kind === 'postgres' ? usePostgres() : undefined;
      body(server ? () => server.url() : () => url);
    });
  }
};

each([
  ['sqlite', `sqlite://${join(dir, 'nested', 'test.sqlite')}`],
  ['memory', 'memory:'],
], 'the %s store', (url) => {
  it('keeps values per collection and lists them by key prefix', async () => {
    const store = openStore(url(), createLogger('silent'));
    const votes = store.collection<number>('votes');
    const polls = store.collection<{ q: string }>('polls');
    await votes.set('poll:a:user:1', 0);
    await votes.set('poll:a:user:2', 1);
    await votes.set('poll:ab:user:3', 2);
    await polls.set('poll:a', { q: 'same key, other collection' });
    expect((await votes.entries('poll:a:')).sort()).toEqual([
      ['poll:a:user:1', 0],
      ['poll:a:user:2', 1],
    ]);
    expect(await polls.get('poll:a')).toEqual({ q: 'same key, other collection' });
    await votes.delete('poll:a:user:1');
    expect(await votes.entries('poll:a:')).toEqual([['poll:a:user:2', 1]]);
    await store.close();
  });
});

describe('the sqlite store', () => {
  it('keeps what was written across a reopen', async () => {
    const url = `sqlite://${join(dir, 'reopen.sqlite')}`;
    const first = openStore(url, createLogger('silent'));
    await first.collection<string>('settings').set('guild:1', 'kept');
    await first.close();
    const second = openStore(url, createLogger('silent'));
    expect(await second.collection<string>('settings').get('guild:1')).toBe('kept');
    await second.close();
  });

  it('stores 1,000 concurrent writes, and the last of several writes to one key wins', async () => {
    const url = `sqlite://${join(dir, 'burst.sqlite')}`;
    const store = openStore(url, createLogger('silent'));
    const votes = store.collection<number>('votes');
    await Promise.all([
      ...Array.from({ length: 1000 }, (_, i) => votes.set(`poll:p:user:${i}`, i % 4)),
      ...Array.from({ length: 50 }, (_, i) => votes.set('poll:p:user:same', i)),
    ]);
    await store.close();
    const reopened = openStore(url, createLogger('silent'));
    const entries = await reopened.collection<number>('votes').entries('poll:p:');
    expect(entries).toHaveLength(1001);
    expect(await reopened.collection<number>('votes').get('poll:p:user:same')).toBe(49);
    expect(await reopened.collection<number>('votes').get('poll:p:user:7')).toBe(3);
    await reopened.close();
  });
});

each([
  ['sqlite', `sqlite://${join(dir, 'claims.sqlite')}`],
  ['memory', 'memory:'],
], 'conditional writes on the %s store', (url) => {
  it('claim: of many racing claims exactly one wins, and a batched write made before it is not overtaken', async () => {
    const store = openStore(url(), createLogger('silent'));
    const locks = store.collection<string>('locks');
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => locks.claim('day:1', `p${i}`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await locks.get('day:1')).toBe(`p${wins.indexOf(true)}`);
    // The set is still queued in the batcher when the claim is issued: the claim must see it.
    const write = locks.set('day:2', 'first');
    expect(await locks.claim('day:2', 'second')).toBe(false);
    await write;
    expect(await locks.get('day:2')).toBe('first');
    await store.close();
  });

  it('compareAndSet replaces only the value it was given, once among racers', async () => {
    const store = openStore(url(), createLogger('silent'));
    const records = store.collection<{ n: number; by: string | null }>('records');
    await records.set('r', { n: 0, by: null });
    const current = await records.get('r');
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => records.compareAndSet('r', current, { n: 1, by: `p${i}` })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await records.compareAndSet('r', { n: 0, by: null }, { n: 9, by: 'late' })).toBe(false);
    expect(await records.compareAndSet('absent', undefined, { n: 1, by: 'new' })).toBe(true);
    expect((await records.get('r'))?.n).toBe(1);
    await store.close();
  });
});

// The batched stores encode in the call: a claim or compare-and-set and a set made in one turn land in call order, either way round.
each([['sqlite', `sqlite://${join(dir, 'order.sqlite')}`]], 'the %s store, writes of one turn', (url) => {
  it('keep call order between set and compareAndSet, whichever comes first', async () => {
    const store = openStore(url(), createLogger('silent'));
    const records = store.collection<string>('ordered');
    const claimed = records.claim('a', 'claim');
    const written = records.set('a', 'set after the claim');
    expect(await claimed).toBe(true);
    await written;
    expect(await records.get('a')).toBe('set after the claim');
    const set = records.set('b', 'set');
    const swapped = records.compareAndSet('b', 'set', 'swapped');
    const after = records.set('b', 'set after the swap');
    await set;
    expect(await swapped).toBe(true);
    await after;
    expect(await records.get('b')).toBe('set after the swap');
    await store.close();
  });
});

describe('conditional writes across two connections to one SQLite file', () => {
  it('let exactly one process win a claim', async () => {
    const url = `sqlite://${join(dir, 'two.sqlite')}`;
    const [a, b] = [openStore(url, createLogger('silent')), openStore(url, createLogger('silent'))];
    const results = await Promise.all([a.collection<string>('locks').claim('k', 'a'), b.collection<string>('locks').claim('k', 'b')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('the sqlite store at first start', () => {
  const capture = () => {
    const lines: Array<{ level: number; msg: string }> = [];
    return { lines, logger: createLogger('debug', { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) }) };
  };
  const journalMode = async (file: string) => {
    const db = new sqlite3.Database(file);
    const row = await new Promise<unknown>((ok) => db.get('PRAGMA journal_mode', (_e, r) => ok(r)));
    await new Promise<void>((ok) => db.close(() => ok()));
    return row;
  };

  it('switches a fresh database to WAL from one connection, not one per collection at once', async () => {
    const file = join(dir, 'fresh.sqlite');
    const { fault, heal } = inject({ match: /PRAGMA journal_mode=WAL/, skip: Number.POSITIVE_INFINITY }); // counts only
    const { lines, logger } = capture();
    const store = openStore(`sqlite://${file}`, logger);
    const names = ['polls', 'votes', 'pollOwners', 'digests'];
    await Promise.all(names.map((name, i) => store.collection<number>(name).set('k', i)));
    await store.close();
    heal();
    // One connection switches (it retries there if another connection briefly holds the file busy).
    expect(fault.connections?.size).toBe(1);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(await journalMode(file)).toEqual({ journal_mode: 'wal' });
  });

  it('tries a busy switch again (another shard is starting on the same file) instead of logging an error', async () => {
    const file = join(dir, 'busy-switch.sqlite');
    const { heal } = inject({ match: /PRAGMA journal_mode=WAL/, code: 'SQLITE_BUSY', times: 2 });
    const { lines, logger } = capture();
    const store = openStore(`sqlite://${file}`, logger);
    await Promise.all(['polls', 'votes'].map((name, i) => store.collection<number>(name).set('k', i)));
    await store.close();
    heal();
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(await journalMode(file)).toEqual({ journal_mode: 'wal' });
  });

  it('logs no error over many fresh starts with reads and writes racing the switch', async () => {
    for (let round = 0; round < 10; round++) {
      const { lines, logger } = capture();
      const store = openStore(`sqlite://${join(dir, `race-${round}`, 'db.sqlite')}`, logger);
      const collections = ['polls', 'votes', 'pollOwners', 'digests'].map((name) => store.collection<number>(name));
      await Promise.all(collections.map(async (c, i) => (await c.entries('x'), await c.get('k'), await c.set('k', i))));
      await store.close();
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    }
  });
});
