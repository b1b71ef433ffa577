import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter, once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import type { DigestContent } from '../../src/digests/render.js';
import { type DigestSender, DigestService } from '../../src/digests/service.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import { CLAIM_MS } from '../../src/digests/delivery.js';
import { DeliveryError, type DigestSettings, type PollStandings } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { healAll, inject } from '../helpers/sqlite-faults.js';

const pack = loadStoryPack('data');
const dir = mkdtempSync(join(tmpdir(), 'tamasha-digest-'));
const opened: Store[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});
let fileNo = 0;


/** Emits `hung` (guild id) when a send it was told to hang begins, and `sent` after each recorded send. */
class RecordingSender extends EventEmitter implements DigestSender {
  sent: Array<{ guildId: string; day: number; nonce: string; at: number }> = [];
  failFor = new Map<string, string>();
  hangFor = new Set<string>();
  constructor(private readonly clock: FakeClock) {
    super();
  }
  async findPosted(): Promise<boolean> {
    return false;
  }
  async send(settings: DigestSettings, content: DigestContent, nonce: string): Promise<void> {
    if (this.hangFor.has(settings.guildId)) {
      this.emit('hung', settings.guildId);
      await new Promise(() => undefined);
    }
    const failure = this.failFor.get(settings.guildId);
    if (failure) throw new DeliveryError(failure);
    this.sent.push({ guildId: settings.guildId, day: Number(/Day (\d+)/.exec(content.card.title)?.[1]), nonce, at: this.clock.now() });
    this.emit('sent');
  }

  /** Resolves once `count` sends have been recorded (a known event, instead of waiting a while). */
  async sentAtLeast(count: number): Promise<void> {
    while (this.sent.length < count) await once(this, 'sent');
  }
}

function setup(clock: FakeClock, store?: Store, standings: PollStandings | null = null) {
  const s = store ?? openStore(`sqlite://${join(dir, `d${fileNo++}.sqlite`)}`, createLogger('silent'));
  if (!store) opened.push(s);
  const sender = new RecordingSender(clock);
  const service = new DigestService({ repo: new StoreDigestRepository(s), clock, logger: createLogger('silent'), pack, sender, headline: { latest: async () => standings } });
  return { store: s, sender, service };
}

const at = (iso: string) => Date.parse(iso);
const BERLIN = { channelId: 'c1', time: '09:00', zone: 'Europe/Berlin', thread: false };

describe('DigestService', () => {
  it('sends once a day at the local time, across the spring-forward night', async () => {
    const clock = new FakeClock(at('2026-03-27T12:00:00Z'));
    const { service, sender } = setup(clock);
    await service.start(['g1']);
    await service.configure('g1', BERLIN);
    for (let h = 0; h < 24 * 4; h++) {
      clock.advance(3_600_000);
      await service.idle();
    }
    expect(sender.sent.map((s) => new Date(s.at).toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    expect(sender.sent.map((s) => s.day)).toEqual([1, 2, 3, 4]);
    service.stop();
  });

  it('starts the day after when set after today\'s time', async () => {
    const clock = new FakeClock(at('2026-06-10T12:00:00Z')); // 14:00 in Berlin
    const { service, sender } = setup(clock);
    await service.start(['g1']);
    await service.configure('g1', BERLIN);
    expect(service.nextRunAt((await service.get('g1', 'c1'))!)).toBe(at('2026-06-11T07:00:00Z'));
    clock.advance(60_000);
    await service.idle();
    expect(sender.sent).toHaveLength(0);
    service.stop();
  });

  it('catches up once on start after missing today\'s time, and never twice across a restart', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const first = setup(clock);
    await first.service.start(['g1']);
    await first.service.configure('g1', BERLIN);
    first.service.stop(); // down over 09:00
    clock.set(at('2026-06-10T12:00:00Z'));

    const second = setup(clock, first.store);
    await second.service.start(['g1']);
    await second.service.idle();
    expect(second.sender.sent).toHaveLength(1);
    second.service.stop();

    const third = setup(clock, first.store);
    await third.service.start(['g1']);
    clock.advance(60_000);
    await third.service.idle();
    expect(third.sender.sent).toHaveLength(0);
    clock.set(at('2026-06-11T07:00:00Z'));
    await third.service.idle();
    expect(third.sender.sent.map((s) => s.day)).toEqual([2]);
    third.service.stop();
  });

  it('retries an interrupted send, once its claim lapses, with the same nonce so Discord can drop the duplicate', async () => {
    const clock = new FakeClock(at('2026-06-10T06:59:00Z'));
    const first = setup(clock);
    await first.service.start(['g1']);
    await first.service.configure('g1', BERLIN);
    first.sender.hangFor.add('g1'); // the process dies mid-send
    const hung = once(first.sender, 'hung');
    clock.advance(60_000);
    await hung; // the send is stuck (idle() would never resolve): the day is claimed by now
    first.service.stop();
    const claim = (await first.store.collection<DigestSettings>('digests').get('guild:g1:channel:c1'))?.sending;
    expect(claim?.day).toBe('2026-06-10');
    // The claim could still be a live process's (a rolling restart): it is taken over only once it lapses.
    clock.advance(CLAIM_MS);

    const second = setup(clock, first.store);
    await second.service.start(['g1']);
    await second.service.idle();
    expect(second.sender.sent).toEqual([expect.objectContaining({ nonce: claim?.nonce })]);
  });

  it('records a failure, does not retry the same day, and tries again the next day', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { service, sender } = setup(clock);
    await service.start(['g1']);
    await service.configure('g1', BERLIN);
    sender.failFor.set('g1', 'the channel was deleted');
    clock.set(at('2026-06-10T07:00:00Z'));
    await service.idle();
    expect((await service.get('g1', 'c1'))?.lastError?.reason).toBe('the channel was deleted');
    clock.set(at('2026-06-11T06:59:00Z'));
    await service.idle();
    expect(sender.sent).toHaveLength(0);
    sender.failFor.clear();
    clock.set(at('2026-06-11T07:00:00Z'));
    await service.idle();
    expect(sender.sent).toHaveLength(1);
    expect((await service.get('g1', 'c1'))?.lastError).toBeNull();
    service.stop();
  });

  it('does not let one stuck server delay the others, and sends only for owned servers', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { service, sender, store } = setup(clock);
    await service.start(['g1', 'g2']);
    await service.configure('g1', BERLIN);
    await service.configure('g2', BERLIN);
    // A server owned by another shard, in the same store.
    const other = new DigestService({ repo: new StoreDigestRepository(store), clock, logger: createLogger('silent'), pack, sender, headline: { latest: async () => null } });
    await other.start(['g3']);
    await other.configure('g3', BERLIN);
    sender.hangFor.add('g1');
    const hung = once(sender, 'hung');
    clock.set(at('2026-06-10T07:00:00Z'));
    await other.idle();
    // g1 never finishes, so idle() would never resolve: wait for g1 to hang and for the other two to be sent.
    await hung;
    await sender.sentAtLeast(2);
    expect(sender.sent.map((s) => s.guildId).sort()).toEqual(['g2', 'g3']);
    service.stop();
    other.stop();
  });

  it('stops sending when turned off and keeps the settings for later', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { service, sender } = setup(clock);
    await service.start(['g1']);
    await service.configure('g1', BERLIN);
    await service.disable('g1', 'c1');
    clock.set(at('2026-06-12T07:00:00Z'));
    await service.idle();
    expect(sender.sent).toHaveLength(0);
    expect(await service.get('g1', 'c1')).toMatchObject({ enabled: false, time: '09:00', zone: 'Europe/Berlin' });
    service.stop();
  });

  it('shows the headline poll and its change since the previous digest', async () => {
    const standings: PollStandings = { pollId: 'p1', question: 'Folk hero or villain?', labels: ['Folk hero', 'Villain'], counts: [3, 1], voters: 4, hidden: false };
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { service } = setup(clock, undefined, standings);
    await service.start(['g1']);
    await service.configure('g1', BERLIN);
    clock.set(at('2026-06-10T07:00:00Z'));
    await service.idle();
    standings.counts = [5, 1];
    standings.voters = 6;
    const preview = await service.preview('g1', 'c1');
    expect(preview.card.title).toMatch(/^Day 2 of the story/);
    expect(preview.card.fields?.[1]?.value).toContain('**Folk hero**: 5 · 83% (+2 since the last digest)');
    service.stop();
  });

  it('configure while the store cannot be read rejects and leaves the stored schedule as it was (no reset day counter)', async () => {
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const { store, service } = setup(clock);
    await service.configure('g1', BERLIN);
    const repo = new StoreDigestRepository(store);
    const before = { ...(await repo.get('g1', 'c1'))!, daysSent: 5, lastSentDay: '2026-06-09' };
    await repo.save(before);
    service.stop();
    // Another process (or this one after a restart): nothing of the schedule in memory, only the store.
    const later = new DigestService({ repo: new StoreDigestRepository(store), clock, logger: createLogger('silent'), pack, sender: new RecordingSender(clock), headline: { latest: async () => null } });
    // One failed read, then the store answers again: a configure that took the failure for "not set
    // up" would go on to write a fresh record (day counter 0) over the stored one.
    const { fault } = inject({ match: /^SELECT .* FROM digests\b/, code: 'SQLITE_IOERR', times: 1 });
    try {
      await expect(later.configure('g1', { ...BERLIN, time: '18:30' })).rejects.toThrow(/SQLITE_IOERR/);
      expect(fault.hits).toBeGreaterThan(0);
    } finally {
      healAll();
    }
    expect(await new StoreDigestRepository(store).get('g1', 'c1')).toEqual(before);
    later.stop();
  });
});
