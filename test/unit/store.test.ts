import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/storage/store.js';

const dir = mkdtempSync(join(tmpdir(), 'tamasha-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', `sqlite://${join(dir, 'nested', 'test.sqlite')}`],
  ['memory', 'memory:'],
])('the %s store', (_kind, url) => {
  it('keeps values per collection and lists them by key prefix', async () => {
    const store = openStore(url, createLogger('silent'));
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
