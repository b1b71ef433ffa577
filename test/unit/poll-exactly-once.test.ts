import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll, Tally } from '../../src/polls/types.js';
import { type Collection, openStore, type Store, StorageError } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G1 = '100000000000000001';
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-polls-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const origin = { guildId: G1, channelId: '200000000000000002', creatorId: 'creator' };
const WRITES = new Set(['set', 'claim', 'compareAndSet']);

/** A store whose writes of poll records fail while `failing.when` says so. */
function faultyStore(url: string, failing: { when: (value: unknown) => boolean }): Store {
  const real = openStore(url, createLogger('silent'));
  return {
    collection<T>(name: string): Collection<T> {
      return new Proxy(real.collection<T>(name), {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          const method = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
          if (typeof prop !== 'string' || !WRITES.has(prop)) return method;
          return async (...args: unknown[]) => (failing.when(args.at(-1)) ? Promise.reject(new StorageError(`could not write ${name}: disk I/O error`)) : method(...args));
        },
      });
    },
    close: () => real.close(),
  };
}

/** One bot process: its own connection to the SQLite file, its service, and the results it posted. */
function boot(file: string, clock: FakeClock, options: { failPosts?: number; failing?: { when: (value: unknown) => boolean } } = {}) {
  const store = faultyStore(`sqlite://${join(dir, file)}`, options.failing ?? { when: () => false });
  const repo = new StorePollRepository(store);
  const posts: Array<{ poll: Poll; tally: Tally }> = [];
  /** The poll as each re-render of its message would show it. */
  const renders: Poll[] = [];
  let failures = options.failPosts ?? 0;
  const service = new PollService({
    repo,
    clock,
    logger: createLogger('silent'),
    onChange: (poll) => void renders.push(poll),
    onClose: (poll, tally) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('Discord answered 503');
      }
      posts.push({ poll, tally });
    },
  });
  const shutdown = async () => {
    await service.stop();
    await store.close();
  };
  return { repo, service, posts, renders, shutdown, attempts: () => (options.failPosts ?? 0) - failures + posts.length };
}

describe('poll results, exactly once', () => {
  it('closes once and posts the results of every stored vote when two processes own the server (a rolling restart)', async () => {
    const clock = new FakeClock();
    const old = boot('rolling.sqlite', clock);
    const poll = await old.service.create({ question: 'Rolling?', answers: 'a,b', duration: '10m' }, origin);
    const fresh = boot('rolling.sqlite', clock);
    await fresh.service.load([G1]);
    // Interactions of the server reach either process while both run.
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? old : fresh).service.vote(G1, poll.id, `u${i}`, i < 7 ? 0 : 1, [])));
    clock.advance(10 * MIN);
    await vi.waitFor(() => expect(old.posts.length + fresh.posts.length).toBeGreaterThan(0));
    clock.advance(10 * MIN);
    await Promise.all([old.service.stop(), fresh.service.stop()]);
    const posts = [...old.posts, ...fresh.posts];
    expect(posts).toHaveLength(1);
    expect(posts[0]?.tally).toEqual({ counts: [7, 3], voters: 10 });
    expect(await fresh.repo.get(G1, poll.id)).toMatchObject({ status: 'closed', resultsPosted: true });
    await Promise.all([old.shutdown(), fresh.shutdown()]);
  });

  it('a process whose copy of the poll is stale (another process ended it) refuses a vote instead of acknowledging one the results leave out', async () => {
    const clock = new FakeClock();
    const a = boot('stale.sqlite', clock);
    const poll = await a.service.create({ question: 'Stale?', answers: 'a,b', duration: '1h' }, origin);
    const b = boot('stale.sqlite', clock);
    await b.service.load([G1]);
    await b.service.vote(G1, poll.id, 'u1', 0, []);
    clock.advance(5_000);
    const rendered = b.renders.length;
    await a.service.end(G1, poll.id, 'creator', false);
    await vi.waitFor(() => expect(a.posts).toHaveLength(1));
    await expect(b.service.vote(G1, poll.id, 'u2', 1, [])).rejects.toThrow(/closed/i);
    await expect(b.service.vote(G1, poll.id, 'u3', 1, [])).rejects.toThrow(/closed/i);
    expect(a.posts[0]?.tally).toEqual({ counts: [1, 0], voters: 1 });
    clock.advance(5_000);
    expect(b.renders.length).toBe(rendered); // no re-render of the closed poll with its buttons live
    await Promise.all([a.service.stop(), b.service.stop()]);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('retries results that failed to post while running, and meanwhile answers a click clearly', async () => {
    const clock = new FakeClock();
    const bot = boot('retry.sqlite', clock, { failPosts: 2 });
    const poll = await bot.service.create({ question: 'Flaky?', answers: 'a,b', duration: '10m' }, origin);
    await bot.service.vote(G1, poll.id, 'u1', 1, []);
    clock.advance(10 * MIN);
    // vi.waitFor's default 1 s: a loaded CI machine once took longer to close and attempt the post.
    await vi.waitFor(() => expect(bot.attempts()).toBe(1), { timeout: 20_000 });
    await expect(bot.service.vote(G1, poll.id, 'u2', 0, [])).rejects.toThrow(/closed.*results will be posted/i);
    // A minute at a time, so each retry the bot schedules comes due. The deadline only bounds a hung
    // test: on a loaded machine each attempt's store work took long enough to pass 5 s.
    await vi.waitFor(() => {
      clock.advance(MIN);
      expect(bot.posts).toHaveLength(1);
    }, { timeout: 50_000, interval: 20 });
    expect(bot.attempts()).toBe(3);
    expect(bot.posts.map((p) => p.tally)).toEqual([{ counts: [0, 1], voters: 1 }]);
    await vi.waitFor(async () => expect((await bot.repo.get(G1, poll.id))?.resultsPosted).toBe(true));
    await bot.shutdown();
  }, 60_000);

  it('checking the stored record after votes costs a read or two per burst, not one per vote', async () => {
    const clock = new FakeClock();
    const bot = boot('burst-reads.sqlite', clock);
    const poll = await bot.service.create({ question: 'Burst?', answers: 'a,b', duration: '1h' }, origin);
    const reads = vi.spyOn(bot.repo, 'get');
    await Promise.all(Array.from({ length: 200 }, (_, i) => bot.service.vote(G1, poll.id, `u${i}`, i % 2, [])));
    expect(reads.mock.calls.length).toBeGreaterThan(0);
    expect(reads.mock.calls.length).toBeLessThanOrEqual(10);
    await bot.service.vote(G1, poll.id, 'late', 0, []);
    expect(reads.mock.calls.length).toBeLessThanOrEqual(11); // a vote on its own reads once, after its write
    await bot.service.stop();
    await bot.shutdown();
  });

  it('once the bot has given up posting the results (the poll closed over a week ago), a click says they could not be posted, not "shortly"', async () => {
    const clock = new FakeClock();
    const bot = boot('gave-up.sqlite', clock, { failPosts: 1e9 });
    const poll = await bot.service.create({ question: 'Doomed?', answers: 'a,b', duration: '10m' }, origin);
    clock.advance(10 * MIN);
    await vi.waitFor(() => expect(bot.attempts()).toBe(1));
    await expect(bot.service.vote(G1, poll.id, 'u1', 0, [])).rejects.toThrow(/results will be posted/i);
    clock.advance(8 * 24 * 60 * MIN); // the retry comes due after the week the bot keeps trying: it gives up
    await vi.waitFor(() => expect(bot.attempts()).toBe(2));
    await expect(bot.service.vote(G1, poll.id, 'u1', 0, [])).rejects.toThrow(/results could not be posted.*\/poll results/i);
    await bot.shutdown();
  });

  it('never re-posts when recording the post fails: retries the record with back-off', async () => {
    const clock = new FakeClock();
    const failing = { when: (value: unknown) => (value as Poll | undefined)?.resultsPosted === true };
    const bot = boot('record.sqlite', clock, { failing });
    const poll = await bot.service.create({ question: 'Record?', answers: 'a,b', duration: '10m' }, origin);
    clock.advance(10 * MIN);
    await vi.waitFor(() => expect(bot.posts).toHaveLength(1));
    for (let i = 0; i < 60; i++) {
      clock.advance(MIN);
      await bot.service.idle(); // the retry this minute started, if any, is over
    }
    expect(bot.posts).toHaveLength(1);
    failing.when = () => false;
    clock.advance(60 * MIN);
    await vi.waitFor(async () => expect((await bot.repo.get(G1, poll.id))?.resultsPosted).toBe(true));
    expect(bot.posts).toHaveLength(1);
    await bot.shutdown();
  });
});
