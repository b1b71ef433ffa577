import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll, Tally } from '../../src/polls/types.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G1 = '100000000000000001';
const G2 = '100000000000000002';
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-polls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One bot process over a SQLite file: its own clock, service and recorded callbacks. */
function boot(file: string, clock: FakeClock, failClose = false) {
  const store: Store = openStore(`sqlite://${join(dir, file)}`, createLogger('silent'));
  const repo = new StorePollRepository(store);
  const closes: Array<{ poll: Poll; tally: Tally }> = [];
  const service = new PollService({
    repo,
    clock,
    logger: createLogger('silent'),
    onChange: () => undefined,
    onClose: (poll, tally) => {
      closes.push({ poll, tally });
      if (failClose) throw new Error('Discord is down');
    },
  });
  const shutdown = async () => {
    await service.stop();
    await store.close();
  };
  return { store, repo, service, closes, shutdown };
}

const origin = { guildId: G1, channelId: '200000000000000002', creatorId: 'creator' };

describe('polls survive a restart on SQLite', () => {
  it('rebuilds the same tally and re-arms deadlines', async () => {
    const clock = new FakeClock();
    const first = boot('restart.sqlite', clock);
    const long = await first.service.create({ question: 'Long?', answers: 'a,b,c', duration: '1h' }, origin);
    const short = await first.service.create({ question: 'Short?', answers: 'x,y', duration: '10m' }, origin);
    await Promise.all(Array.from({ length: 300 }, (_, i) => first.service.vote(G1, long.id, `u${i}`, i % 3, [])));
    await Promise.all(Array.from({ length: 40 }, (_, i) => first.service.vote(G1, short.id, `u${i}`, i % 2, [])));
    await first.service.vote(G1, long.id, 'u0', 2, []);
    await first.service.retract(G1, long.id, 'u1');
    const before = await first.service.tally(long);
    expect(before).toEqual({ counts: [99, 99, 101], voters: 299 });
    await first.shutdown();

    clock.advance(5 * MIN);
    const second = boot('restart.sqlite', clock);
    await second.service.load([G1, G2]);
    expect(await second.service.tally((await second.repo.get(G1, long.id)) ?? long)).toEqual(before);
    expect(await second.service.myVote(long.id, 'u0')).toBe(2);
    expect(await second.service.myVote(long.id, 'u1')).toBeNull();
    expect((await second.service.vote(G1, long.id, 'u0', 2, [])).kind).toBe('unchanged');
    await second.service.vote(G1, long.id, 'new', 0, []);

    clock.advance(5 * MIN); // the short poll's deadline, armed again by load()
    await vi.waitFor(() => expect(second.closes.map((c) => c.poll.id)).toEqual([short.id]));
    expect(second.closes[0]?.tally).toEqual({ counts: [20, 20], voters: 40 });
    clock.advance(50 * MIN);
    await vi.waitFor(() => expect(second.closes.map((c) => c.poll.id)).toEqual([short.id, long.id]));
    expect(second.closes[1]?.tally).toEqual({ counts: [100, 99, 101], voters: 300 });
    await second.shutdown();
  });

  it('keeps 1,000 simultaneous votes and 200 rapid clicks exactly, and loads a poll on first use', async () => {
    const clock = new FakeClock();
    const first = boot('burst.sqlite', clock);
    const poll = await first.service.create({ question: 'Burst?', answers: 'a,b,c,d', duration: '1d' }, origin);
    const clicks = Array.from({ length: 200 }, (_, i) => (i * 3) % 4);
    await Promise.all([
      ...Array.from({ length: 1000 }, (_, i) => first.service.vote(G1, poll.id, `u${i}`, i % 4, [])),
      ...clicks.map((a) => first.service.vote(G1, poll.id, 'fickle', a, [])),
    ]);
    const live = await first.service.tally(poll);
    expect(live.voters).toBe(1001);
    expect(await first.repo.getVote(poll.id, 'fickle')).toBe(clicks[199]);
    await first.shutdown();

    // No load(): as for a guild that became available after start-up, the first click loads the poll.
    const second = boot('burst.sqlite', clock);
    expect((await second.service.vote(G1, poll.id, 'u0', 0, [])).kind).toBe('unchanged');
    expect(await second.service.tally(poll)).toEqual(live);
    await second.shutdown();
  });

  it('closes a poll whose deadline passed while down exactly once', async () => {
    const clock = new FakeClock();
    const first = boot('overdue.sqlite', clock);
    const poll = await first.service.create({ question: 'Overdue?', answers: 'a,b', duration: '10m' }, origin);
    await Promise.all(Array.from({ length: 25 }, (_, i) => first.service.vote(G1, poll.id, `u${i}`, i % 2, [])));
    await first.shutdown();

    clock.advance(60 * MIN);
    const second = boot('overdue.sqlite', clock);
    await Promise.all([second.service.load([G1]), second.service.load([G1])]);
    await second.service.load([G1]);
    await second.service.idle(); // every close those loads started is over
    expect(second.closes).toHaveLength(1);
    expect(second.closes[0]?.tally).toEqual({ counts: [13, 12], voters: 25 });
    expect(await second.repo.get(G1, poll.id)).toMatchObject({ status: 'closed', closedBy: 'deadline', closedAt: poll.closesAt, resultsPosted: true });
    await second.shutdown();

    const third = boot('overdue.sqlite', clock);
    await third.service.load([G1]);
    expect(third.closes).toHaveLength(0);
    expect(await third.service.close(G1, poll.id, 'member')).toMatchObject({ status: 'closed', closedBy: 'deadline' });
    expect(third.closes).toHaveLength(0);
    await third.shutdown();
  });

  it('delivers results again at start-up when delivery failed, without closing twice', async () => {
    const clock = new FakeClock();
    const first = boot('redeliver.sqlite', clock, true);
    const poll = await first.service.create({ question: 'Flaky?', answers: 'a,b', duration: '10m' }, origin);
    await first.service.vote(G1, poll.id, 'u1', 1, []);
    const closed = await first.service.close(G1, poll.id, 'member', 'creator');
    expect(closed).toMatchObject({ status: 'closed', resultsPosted: false });
    expect(first.closes).toHaveLength(1);
    await first.shutdown();

    const second = boot('redeliver.sqlite', clock);
    await Promise.all([second.service.load([G1]), second.service.load([G1])]);
    expect(second.closes).toHaveLength(1);
    expect(second.closes[0]?.poll).toMatchObject({ status: 'closed', closedBy: 'member', closedAt: closed.closedAt });
    expect(second.closes[0]?.tally).toEqual({ counts: [0, 1], voters: 1 });
    expect((await second.repo.get(G1, poll.id))?.resultsPosted).toBe(true);
    await second.service.load([G1]);
    expect(second.closes).toHaveLength(1);
    await second.shutdown();
  });
});
