import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DigestContent } from '../../src/digests/render.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import { type DigestSender, DigestService } from '../../src/digests/service.js';
import type { DigestSettings, StoredDigestSettings } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';

const pack = loadStoryPack('data');
const dir = mkdtempSync(join(tmpdir(), 'tamasha-digest-schedules-'));
const opened: Store[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});
let fileNo = 0;
const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

function sqliteStore(): Store {
  const store = openStore(`sqlite://${join(dir, `s${fileNo++}.sqlite`)}`, createLogger('silent'));
  opened.push(store);
  return store;
}

/** Every post per channel, as Discord would hold them; `warn` makes a send resolve with a warning. */
class Channels implements DigestSender {
  posts: Array<{ channelId: string; day: number; at: number }> = [];
  warn: string | undefined;
  constructor(private readonly clock: FakeClock) {}
  async findPosted(): Promise<boolean> {
    return false;
  }
  async send(settings: DigestSettings, content: DigestContent): Promise<string | void> {
    this.posts.push({ channelId: settings.channelId, day: Number(/Day (\d+)/.exec(content.card.title)?.[1]), at: this.clock.now() });
    return this.warn;
  }
  in(channelId: string): string[] {
    return this.posts.filter((p) => p.channelId === channelId).map((p) => `${new Date(p.at).toISOString().slice(0, 16)} day ${p.day}`);
  }
}

const service = (store: Store, clock: FakeClock, sender: DigestSender) =>
  new DigestService({ repo: new StoreDigestRepository(store), clock, logger: createLogger('silent'), pack, sender, headline: { latest: async () => null } });

async function runHours(clock: FakeClock, services: DigestService[], hours: number): Promise<void> {
  for (let h = 0; h < hours; h++) {
    clock.advance(HOUR);
    await Promise.all(services.map((s) => s.idle()));
  }
}

/** A record exactly as the version with one schedule per server wrote it, under `guild:<g>`. */
const legacyRecord: StoredDigestSettings = {
  guildId: 'g1', channelId: 'old', time: '09:00', zone: 'Europe/Berlin', thread: true, enabled: true, activeSince: 0,
  daysSent: 4, lastSentDay: '2026-06-09', lastSentAt: at('2026-06-09T07:00:00Z'), sending: null, lastError: null, pollSnapshot: null,
};

describe('several digest schedules per server', () => {
  it('sends each channel its own digest once a day, at its own time', async () => {
    const clock = new FakeClock(at('2026-06-10T05:00:00Z'));
    const channels = new Channels(clock);
    const digests = service(sqliteStore(), clock, channels);
    await digests.start(['g1']);
    await digests.configure('g1', { channelId: 'news', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await digests.configure('g1', { channelId: 'forum', time: '18:00', zone: 'America/New_York', thread: false });
    await runHours(clock, [digests], 48);
    expect(channels.in('news')).toEqual(['2026-06-10T07:00 day 1', '2026-06-11T07:00 day 2']);
    expect(channels.in('forum')).toEqual(['2026-06-10T22:00 day 1', '2026-06-11T22:00 day 2']);
    expect((await digests.list('g1')).map((s) => s.channelId).sort()).toEqual(['forum', 'news']);
    digests.stop();
  });

  it('sends each schedule once when two processes briefly own the server (a rolling restart)', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const store = sqliteStore();
    const channels = new Channels(clock);
    const [a, b] = [service(store, clock, channels), service(store, clock, channels)];
    await a.start(['g1']);
    await a.configure('g1', { channelId: 'news', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await a.configure('g1', { channelId: 'lounge', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await b.start(['g1']);
    await runHours(clock, [a, b], 26);
    expect(channels.in('news')).toEqual(['2026-06-10T07:00 day 1', '2026-06-11T07:00 day 2']);
    expect(channels.in('lounge')).toEqual(['2026-06-10T07:00 day 1', '2026-06-11T07:00 day 2']);
    a.stop();
    b.stop();
  });
});

describe('a server set up with one schedule per server (stored under guild:<g>)', () => {
  it('loads it as its channel\'s schedule, keeps it under its old key, and sends on from its day count', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const store = sqliteStore();
    await store.collection<StoredDigestSettings>('digests').set('guild:g1', legacyRecord);
    const channels = new Channels(clock);
    const digests = service(store, clock, channels);
    await digests.start(['g1']);
    expect(await digests.get('g1', 'old')).toMatchObject({ daysSent: 4, thread: true, skipDay: null, notifyRoleId: null, lastWarning: null });
    await digests.configure('g1', { channelId: 'new', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await runHours(clock, [digests], 2);
    expect(channels.in('old')).toEqual(['2026-06-10T07:00 day 5']);
    expect(channels.in('new')).toEqual(['2026-06-10T07:00 day 1']);
    const raw = store.collection<StoredDigestSettings>('digests');
    expect(await raw.get('guild:g1')).toMatchObject({ channelId: 'old', daysSent: 5, lastSentDay: '2026-06-10', sending: null });
    expect(await raw.get('guild:g1:channel:new')).toMatchObject({ channelId: 'new', daysSent: 1 });
    expect(await raw.get('guild:g1:channel:old')).toBeUndefined();
    digests.stop();
  });

  it('is claimed on the same key by a process of the previous version, so the day is sent once', async () => {
    const clock = new FakeClock(at('2026-06-10T07:00:00Z'));
    const store = sqliteStore();
    const raw = store.collection<StoredDigestSettings>('digests');
    // The previous version claimed today's digest a moment ago and is sending it.
    await raw.set('guild:g1', { ...legacyRecord, sending: { day: '2026-06-10', nonce: 'dgold', by: 'previous', until: clock.now() + 60_000 } });
    const channels = new Channels(clock);
    const digests = service(store, clock, channels);
    await digests.start(['g1']);
    await digests.idle();
    expect(channels.posts).toEqual([]);
    // It finishes and records the day in the old shape.
    await raw.set('guild:g1', { ...legacyRecord, daysSent: 5, lastSentDay: '2026-06-10', lastSentAt: clock.now() });
    await runHours(clock, [digests], 3);
    expect(channels.posts).toEqual([]);
    digests.stop();
  });
});

describe('/digest skip', () => {
  it('skips the next due day only; skipping again skips nothing more', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const channels = new Channels(clock);
    const digests = service(sqliteStore(), clock, channels);
    await digests.start(['g1']);
    await digests.configure('g1', { channelId: 'news', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await digests.configure('g1', { channelId: 'lounge', time: '09:00', zone: 'Europe/Berlin', thread: false });
    expect(await digests.skip('g1', 'news')).toMatchObject({ day: '2026-06-10', already: false });
    expect(await digests.skip('g1', 'news')).toMatchObject({ day: '2026-06-10', already: true });
    expect(digests.nextRunAt((await digests.get('g1', 'news'))!)).toBe(at('2026-06-11T07:00:00Z'));
    await runHours(clock, [digests], 50);
    expect(channels.in('news')).toEqual(['2026-06-11T07:00 day 1', '2026-06-12T07:00 day 2']);
    expect(channels.in('lounge')).toEqual(['2026-06-10T07:00 day 1', '2026-06-11T07:00 day 2', '2026-06-12T07:00 day 3']);
    digests.stop();
  });

  it('after today\'s digest went out, skips tomorrow\'s', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const channels = new Channels(clock);
    const digests = service(sqliteStore(), clock, channels);
    await digests.start(['g1']);
    await digests.configure('g1', { channelId: 'news', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await runHours(clock, [digests], 2);
    expect(await digests.skip('g1', 'news')).toMatchObject({ day: '2026-06-11', already: false });
    await runHours(clock, [digests], 48);
    expect(channels.in('news')).toEqual(['2026-06-10T07:00 day 1', '2026-06-12T07:00 day 2']);
    digests.stop();
  });
});

describe('a digest posted with a problem in a follow-up step (publishing)', () => {
  it('is recorded as sent, with the warning for /digest status, and not posted again', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const channels = new Channels(clock);
    channels.warn = 'posted, but not published';
    const digests = service(sqliteStore(), clock, channels);
    await digests.start(['g1']);
    await digests.configure('g1', { channelId: 'news', time: '09:00', zone: 'Europe/Berlin', thread: false });
    await runHours(clock, [digests], 5);
    expect(channels.in('news')).toEqual(['2026-06-10T07:00 day 1']);
    expect(await digests.get('g1', 'news')).toMatchObject({ daysSent: 1, lastError: null, lastWarning: { reason: 'posted, but not published' } });
    channels.warn = undefined;
    await runHours(clock, [digests], 24);
    expect((await digests.get('g1', 'news'))?.lastWarning).toBeNull();
    digests.stop();
  });
});
