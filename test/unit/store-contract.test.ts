import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store, storeUrlProblem } from '../../src/storage/store.js';
import { postgresEnabled, usePostgres } from '../helpers/postgres.js';

/**
 * What every database behind the store must do (src/storage/adapter.ts). A new adapter adds its
 * URL here and must pass the same checks.
 */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const URLS = { sqlite: () => `sqlite://${join(dir, `${Math.random().toString(36).slice(2)}.sqlite`)}`, memory: () => 'memory:', postgres: () => '' };

// PostgreSQL runs when TEST_DATABASE_URL is set (test/helpers/postgres.ts), and is reported skipped otherwise.
for (const [name, sqliteOrMemory] of Object.entries(URLS)) describe.skipIf(name === 'postgres' && !postgresEnabled)(`the ${name} store`, () => {
  const pg = name === 'postgres' ? usePostgres() : undefined;
  const url = pg ? () => pg.url() : sqliteOrMemory;
  const withStore = async (use: (store: Store) => Promise<void>) => {
    const store = openStore(url(), createLogger('silent'));
    try {
      await use(store);
    } finally {
      await store.close();
    }
  };

  it('reads what it wrote, answers undefined for an absent key, and forgets a deleted one', () =>
    withStore(async (store) => {
      const things = store.collection<{ n: number; tags: string[] }>('things');
      expect(await things.get('a')).toBeUndefined();
      await things.set('a', { n: 1, tags: ['x'] });
      expect(await things.get('a')).toEqual({ n: 1, tags: ['x'] });
      await things.delete('a');
      expect(await things.get('a')).toBeUndefined();
    }));

  it('lists by key prefix within one collection only, keys without the collection name', () =>
    withStore(async (store) => {
      const votes = store.collection<number>('votes');
      await Promise.all([votes.set('poll:1:user:a', 0), votes.set('poll:1:user:b', 1), votes.set('poll:10:user:c', 1)]);
      await store.collection<number>('other').set('poll:1:user:z', 9);
      expect((await votes.entries('poll:1:')).sort()).toEqual([['poll:1:user:a', 0], ['poll:1:user:b', 1]]);
      expect(await votes.entries()).toHaveLength(3);
    }));

  it('claims an absent key once, and compare-and-sets only against the stored value', () =>
    withStore(async (store) => {
      const records = store.collection<{ by: string; until?: number }>('records');
      const claims = await Promise.all(['a', 'b', 'c'].map((by) => records.claim('k', { by })));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const current = await records.get('k');
      expect(await records.compareAndSet('k', { by: 'nobody' }, { by: 'x' })).toBe(false);
      expect(await records.compareAndSet('k', current, { by: 'x', until: 5 })).toBe(true);
      expect(await records.compareAndSet('k', current, { by: 'y' })).toBe(false);
      expect(await records.get('k')).toEqual({ by: 'x', until: 5 });
    }));
});

describe('DATABASE_URL', () => {
  it('is accepted for each supported database and refused with the forms it may take', () => {
    expect(storeUrlProblem('sqlite://data/tamasha.sqlite')).toBeNull();
    expect(storeUrlProblem('memory:')).toBeNull();
    expect(storeUrlProblem('mysql://db')).toMatch(/sqlite:\/\/path\/to\/file\.sqlite or postgres:\/\/.* or memory:/);
  });
});
