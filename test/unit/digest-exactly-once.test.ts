import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DigestContent } from '../../src/digests/render.js';
import { type DigestSender, DigestService } from '../../src/digests/service.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import type { DigestSettings } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import { type Collection, openStore, type Store, StorageError } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';

const pack = loadStoryPack('data');
const dir = mkdtempSync(join(tmpdir(), 'tamasha-digest-once-'));
const opened: Store[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});
const at = (iso: string) => Date.parse(iso);
const BERLIN = { channelId: 'c1', time: '09:00', zone: 'Europe/Berlin', thread: false };
const WRITES = new Set(['set', 'claim', 'compareAndSet']);

/** A store whose writes can be made to fail (a full disk, a lost database connection). */
function faultyStore(url: string): { store: Store; failing: { when: (value: unknown) => boolean; count: number } } {
  const real = openStore(url, createLogger('silent'));
  opened.push(real);
  const failing = { when: (_value: unknown): boolean => false, count: 0 };
  const store: Store = {
    collection<T>(name: string): Collection<T> {
      const inner = real.collection<T>(name);
      return new Proxy(inner, {
        get(target, prop, receiver) {
          if (typeof prop === 'string' && WRITES.has(prop)) {
            const write = (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).bind(target);
            // The value written is the last argument of set, claim and compareAndSet alike.
            return async (...args: unknown[]) => (failing.when(args.at(-1)) ? ((failing.count += 1), Promise.reject(new StorageError(`could not write ${name}: disk I/O error`))) : write(...args));
          }
          const value: unknown = Reflect.get(target, prop, receiver);
          // Bound to the proxy, so a method built on the writes (update: read, then compareAndSet) meets the faults too.
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(receiver) : value;
        },
      });
    },
    close: () => real.close(),
  };
  return { store, failing };
}

/**
 * One channel as Discord keeps it: posts carry the sender's marker, and a repeated nonce is
 * dropped only within Discord's few minutes (by the test clock), as enforce_nonce does.
 */
class Channel {
  posts: Array<{ nonce: string; at: number; title: string }> = [];
  /** Every send call, deduped or not: each one is a message Discord was asked to post. */
  calls = 0;
  constructor(private readonly clock: FakeClock) {}
  sender(hooks: { afterPost?: () => Promise<void> | void } = {}): DigestSender {
    return {
      send: async (_settings: DigestSettings, content: DigestContent, nonce: string) => {
        this.calls += 1;
        const now = this.clock.now();
        if (this.posts.some((p) => p.nonce === nonce && now - p.at < 5 * 60_000)) return;
        this.posts.push({ nonce, at: now, title: content.card.title });
        await hooks.afterPost?.();
      },
      findPosted: async (_settings: DigestSettings, nonce: string) => this.posts.some((p) => p.nonce === nonce),
    };
  }
}

function service(store: Store, clock: FakeClock, sender: DigestSender): DigestService {
  return new DigestService({ repo: new StoreDigestRepository(store), clock, logger: createLogger('silent'), pack, sender, headline: { latest: async () => null } });
}

describe('a digest is posted at most once per local day', () => {
  it('never re-sends when recording a successful send fails; backs off and shows it in status', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { store, failing } = faultyStore(`sqlite://${join(dir, 'bookkeeping.sqlite')}`);
    const channel = new Channel(clock);
    // The one write that records today's digest as sent fails, every time until the store is back.
    failing.when = (value) => (value as DigestSettings | undefined)?.lastSentDay === '2026-06-10';
    const digests = service(store, clock, channel.sender());
    await digests.start(['g1']);
    await digests.configure('g1', BERLIN);
    clock.set(at('2026-06-10T07:00:00Z'));
    await digests.idle();
    for (let i = 0; i < 60; i++) {
      clock.advance(60_000); // an hour, a minute at a time: every retry the bot schedules gets its chance
      await digests.idle();
    }
    expect(channel.calls).toBe(1);
    expect(failing.count).toBeLessThan(10); // backed off: not a write a minute, let alone a tight loop
    const status = await digests.get('g1', 'c1');
    expect(status?.recordPending?.reason).toMatch(/disk I\/O error/);

    failing.when = () => false; // the store is back: the record catches up, still without a second post
    clock.advance(60 * 60_000);
    await digests.idle();
    expect(channel.calls).toBe(1);
    const stored = await store.collection<DigestSettings>('digests').get('guild:g1:channel:c1');
    expect(stored).toMatchObject({ lastSentDay: '2026-06-10', daysSent: 1, sending: null });
    expect((await digests.get('g1', 'c1'))?.recordPending ?? null).toBeNull();
    digests.stop();
  });

  it('recognises its own post after a crash between the post and its record, however long the downtime', async () => {
    const clock = new FakeClock(at('2026-06-10T06:59:00Z'));
    const url = `sqlite://${join(dir, 'crash.sqlite')}`;
    const { store } = faultyStore(url);
    const channel = new Channel(clock);
    let posted!: () => void;
    const accepted = new Promise<void>((resolve) => (posted = resolve));
    // Dies after Discord accepted: the send never returns, so idle() would wait forever; wait for the post.
    const first = service(store, clock, channel.sender({ afterPost: () => (posted(), new Promise(() => undefined)) }));
    await first.start(['g1']);
    await first.configure('g1', BERLIN);
    clock.advance(60_000);
    await accepted;
    first.stop();
    expect(channel.posts).toHaveLength(1);

    clock.advance(3 * 60 * 60_000); // down for three hours: far past Discord's nonce window
    const second = service(faultyStore(url).store, clock, channel.sender());
    await second.start(['g1']);
    await second.idle();
    expect(channel.posts).toHaveLength(1);
    expect(await second.get('g1', 'c1')).toMatchObject({ lastSentDay: '2026-06-10', daysSent: 1, sending: null });
    second.stop();
  });

  it('sends once when two processes briefly own the same server (a rolling restart)', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const url = `sqlite://${join(dir, 'rolling.sqlite')}`;
    const channel = new Channel(clock);
    const old = service(faultyStore(url).store, clock, channel.sender());
    await old.start(['g1']);
    await old.configure('g1', BERLIN);
    const fresh = service(faultyStore(url).store, clock, channel.sender());
    await fresh.start(['g1']);
    for (let i = 0; i < 30; i++) {
      clock.advance(5 * 60_000);
      await Promise.all([old.idle(), fresh.idle()]);
    }
    // Counting send calls, not posts: two processes' nonces differ, so Discord would keep both.
    expect(channel.calls).toBe(1);
    expect(channel.posts.map((p) => p.title.slice(0, 6))).toEqual(['Day 1 ']);
    old.stop();
    fresh.stop();
  });

  it("/digest set and /digest off on one process keep the delivery record another process wrote (its claim, the day it sent)", async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const url = `sqlite://${join(dir, 'settings-cas.sqlite')}`;
    const channel = new Channel(clock);
    const records = faultyStore(url).store.collection<DigestSettings>('digests');
    const sender = service(faultyStore(url).store, clock, channel.sender({
      // Mid-send, the other process (which loaded the record before) changes the time.
      afterPost: async () => {
        await other.configure('g1', { ...BERLIN, time: '10:00' });
        expect((await records.get('guild:g1:channel:c1'))?.sending).toMatchObject({ day: '2026-06-10' });
      },
    }));
    await sender.start(['g1']);
    await sender.configure('g1', BERLIN);
    const other = service(faultyStore(url).store, clock, channel.sender());
    await other.start(['g1']);
    other.stop(); // not ticking: only its commands run, on the copy it loaded at 06:00
    clock.set(at('2026-06-10T07:00:00Z'));
    await sender.idle();
    expect(channel.posts).toHaveLength(1);
    expect(await records.get('guild:g1:channel:c1')).toMatchObject({ time: '10:00', lastSentDay: '2026-06-10', daysSent: 1, sending: null });

    await other.configure('g1', { ...BERLIN, time: '11:00' });
    expect(await records.get('guild:g1:channel:c1')).toMatchObject({ time: '11:00', lastSentDay: '2026-06-10', daysSent: 1 });
    await other.disable('g1', 'c1');
    expect(await records.get('guild:g1:channel:c1')).toMatchObject({ enabled: false, time: '11:00', lastSentDay: '2026-06-10', daysSent: 1 });
    sender.stop();
  });
});
