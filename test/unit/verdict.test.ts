import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/constants.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/storage/store.js';
import { StoreVerdictRepository } from '../../src/verdict/repository.js';
import { VerdictService } from '../../src/verdict/service.js';
import type { Snapshot, SnapshotClock } from '../../src/verdict/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { postgresEnabled, usePostgres } from '../helpers/postgres.js';

const G = '100000000000000001';
const headline = { question: 'Folk hero or villain?', answers: ['Folk hero', 'Villain', 'Both', 'Too early to tell'].map((label) => ({ label, emoji: '🦸' })) };
const dir = mkdtempSync(join(tmpdir(), 'tamasha-verdict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqlite = (name: string) => `sqlite://${join(dir, `${name}.sqlite`)}`;
// 2026-01-15 12:00 UTC
const START = Date.UTC(2026, 0, 15, 12);

/** One bot process over the store at `url`: its repository, its service, the snapshots it stored. */
function boot(url: string, clock: FakeClock, options: { snapshotClock?: SnapshotClock; historyDays?: number } = {}) {
  const store = openStore(url, createLogger('silent'));
  const repo = new StoreVerdictRepository(store);
  const taken: Snapshot[] = [];
  const service = new VerdictService({
    repo,
    clock,
    logger: createLogger('silent'),
    headline,
    historyDays: options.historyDays ?? 90,
    onSnapshot: (_, s) => taken.push(s),
    ...(options.snapshotClock ? { snapshotClock: async () => options.snapshotClock! } : {}),
  });
  return { store, repo, service, taken, shutdown: async () => (service.stop(), await service.idle(), await store.close()) };
}

/** Lets the service's timers and the store's writes run after the fake clock moved. */
async function settle(service: VerdictService): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await service.idle();
    await new Promise((r) => setImmediate(r));
  }
}

/** An hour at a time, letting the service work in between, as real time would. */
async function days(service: VerdictService, clock: FakeClock, n: number): Promise<void> {
  for (let i = 0; i < n * 24; i++) {
    clock.advance(HOUR);
    await settle(service);
  }
}

/** An hour at a time for two processes that own the same server, each ticking and settling in between. */
async function daysTogether(a: VerdictService, b: VerdictService, clock: FakeClock, n: number): Promise<void> {
  for (let i = 0; i < n * 24; i++) {
    clock.advance(HOUR);
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([settle(a), settle(b)]);
  }
}

describe('stances', () => {
  it('keeps one stance per member: state, change, retract, counts only', async () => {
    const bot = boot(sqlite('stances'), new FakeClock(START));
    expect(await bot.service.state(G, 'u1', 1)).toEqual({ kind: 'recorded', previous: null });
    expect(await bot.service.state(G, 'u1', 1)).toEqual({ kind: 'unchanged', previous: 1 });
    expect(await bot.service.state(G, 'u2', 1)).toMatchObject({ kind: 'recorded' });
    expect(await bot.service.state(G, 'u1', 3)).toEqual({ kind: 'changed', previous: 1 });
    expect(await bot.service.standing(G)).toEqual({ labels: headline.answers.map((a) => a.label), counts: [0, 1, 0, 1], members: 2 });
    expect(await bot.service.retract(G, 'u1')).toEqual({ kind: 'retracted', previous: 3 });
    expect(await bot.service.retract(G, 'u1')).toEqual({ kind: 'none', previous: null });
    expect((await bot.service.standing(G)).counts).toEqual([0, 1, 0, 0]);
    await bot.shutdown();
    const again = boot(sqlite('stances'), new FakeClock(START));
    expect((await again.service.standing(G)).counts).toEqual([0, 1, 0, 0]);
    await again.shutdown();
  });

  it('counts headline poll votes as stances; a retracted vote retracts only the stance it gave', async () => {
    const bot = boot(sqlite('poll-votes'), new FakeClock(START));
    await bot.service.fromHeadlineVote(G, 'u1', 'Villain', null);
    expect(await bot.service.stanceOf(G, 'u1')).toBe(1);
    await bot.service.state(G, 'u1', 2);
    await bot.service.fromHeadlineVote(G, 'u1', null, 'Villain');
    expect(await bot.service.stanceOf(G, 'u1')).toBe(2);
    await bot.service.fromHeadlineVote(G, 'u1', null, 'Both');
    expect(await bot.service.stanceOf(G, 'u1')).toBeNull();
    await bot.service.fromHeadlineVote(G, 'u1', 'Not an answer', null);
    expect(await bot.service.stanceOf(G, 'u1')).toBeNull();
    await bot.shutdown();
  });

  const urls: Array<[string, () => string]> = [['SQLite', () => sqlite(`many-${Math.random().toString(36).slice(2)}`)]];
  for (const [name, url] of urls) {
    it(`stays exact when 1,000 members change stance at once (${name})`, async () => {
      const target = url();
      const bot = boot(target, new FakeClock(START));
      const members = Array.from({ length: 1000 }, (_, i) => `m${i}`);
      await Promise.all(members.map((m) => bot.service.state(G, m, 0)));
      // All at once: every member changes (some twice in a row, some retract).
      const final = members.map((_, i) => (i % 10 === 9 ? null : i % 4));
      await Promise.all(members.flatMap((m, i): Array<Promise<unknown>> => (final[i] === null ? [bot.service.retract(G, m)] : [bot.service.state(G, m, (final[i]! + 1) % 4), bot.service.state(G, m, final[i]!)])));
      const expected = [0, 1, 2, 3].map((a) => final.filter((f) => f === a).length);
      expect((await bot.service.standing(G)).counts).toEqual(expected);
      await bot.shutdown();
      const restarted = boot(target, new FakeClock(START));
      expect((await restarted.service.standing(G)).counts).toEqual(expected);
      await restarted.shutdown();
    }, 60_000);
  }
  describe.skipIf(!postgresEnabled)('on PostgreSQL', () => {
    const pg = usePostgres();
    it('stays exact when 1,000 members change stance at once (PostgreSQL)', async () => {
      const target = pg.url();
      const bot = boot(target, new FakeClock(START));
      const members = Array.from({ length: 1000 }, (_, i) => `m${i}`);
      await Promise.all(members.map((m, i) => bot.service.state(G, m, i % 4)));
      await Promise.all(members.map((m, i) => (i % 5 === 0 ? bot.service.retract(G, m) : bot.service.state(G, m, (i + 1) % 4))));
      const expected = [0, 1, 2, 3].map((a) => members.filter((_, i) => i % 5 !== 0 && (i + 1) % 4 === a).length);
      expect((await bot.service.standing(G)).counts).toEqual(expected);
      await bot.shutdown();
      const restarted = boot(target, new FakeClock(START));
      expect((await restarted.service.standing(G)).counts).toEqual(expected);
      await restarted.service.start([G]);
      await settle(restarted.service);
      await restarted.shutdown();
    }, 60_000);

    it('takes each day’s snapshot exactly once with two processes on one database (PostgreSQL)', async () => {
      const target = pg.url();
      const clock = new FakeClock(START);
      const a = boot(target, clock);
      const b = boot(target, clock);
      await a.service.state(G, 'u1', 2);
      await b.service.state(G, 'u2', 1);
      await Promise.all([a.service.start([G]), b.service.start([G])]);
      await daysTogether(a.service, b.service, clock, 2);
      expect([...a.taken, ...b.taken].map((s) => s.day).sort()).toEqual(['2026-01-16', '2026-01-17']);
      expect((await a.repo.snapshotsOf(G)).map((s) => s.status === 'taken' && s.counts)).toEqual([[0, 1, 1, 0], [0, 1, 1, 0]]);
      await Promise.all([a.shutdown(), b.shutdown()]);
    }, 60_000);
  });
});

describe('daily snapshots', () => {
  it('takes one a day at 00:00 UTC, starting with the first window after the verdict began', async () => {
    const clock = new FakeClock(START);
    const bot = boot(sqlite('daily'), clock);
    await bot.service.start([G]);
    await bot.service.state(G, 'u1', 1);
    await settle(bot.service);
    expect(bot.taken).toEqual([]);
    await days(bot.service, clock, 7);
    expect(bot.taken.map((s) => s.day)).toEqual(['2026-01-16', '2026-01-17', '2026-01-18', '2026-01-19', '2026-01-20', '2026-01-21', '2026-01-22']);
    expect(bot.taken.every((s) => s.status === "taken" && s.lateMs === 0)).toBe(true);
    expect(await bot.service.movementLine(G)).toBe('No change in the verdict since yesterday.');
    await bot.service.state(G, 'u2', 0);
    await days(bot.service, clock, 1);
    expect(await bot.service.movementLine(G)).toBe('Folk hero 0% → 50% since yesterday');
    const trend = await bot.service.trend(G, 7);
    expect(trend.days.map((d) => d.counts)).toEqual([...Array.from({ length: 6 }, () => [0, 1, 0, 0]), [1, 1, 0, 0]]);
    await bot.shutdown();
  });

  it('takes it at the digest time in the digest zone when the server has a digest', async () => {
    const clock = new FakeClock(START);
    // A digest at 09:00 in UTC+2 (a fixed offset, as the composition root would give from the zone).
    const offset = 2 * HOUR;
    const snapshotClock: SnapshotClock = { dayOf: (t) => new Date(t + offset).toISOString().slice(0, 10), at: (day) => Date.parse(`${day}T09:00:00Z`) - offset };
    const bot = boot(sqlite('digest-time'), clock, { snapshotClock });
    await bot.service.start([G]);
    await bot.service.state(G, 'u1', 0);
    clock.set(Date.UTC(2026, 0, 16, 6, 59));
    await settle(bot.service);
    expect(bot.taken).toEqual([]);
    clock.set(Date.UTC(2026, 0, 16, 7, 0));
    await settle(bot.service);
    expect(bot.taken).toEqual([expect.objectContaining({ day: '2026-01-16', lateMs: 0, counts: [1, 0, 0, 0] })]);
    await bot.shutdown();
  });

  it('is taken exactly once per day by two processes that own the server, across a restart', async () => {
    const clock = new FakeClock(START);
    const a = boot(sqlite('twice'), clock);
    const b = boot(sqlite('twice'), clock);
    await a.service.state(G, 'u1', 2);
    await Promise.all([a.service.start([G]), b.service.start([G])]);
    await daysTogether(a.service, b.service, clock, 3);
    await a.shutdown();
    const c = boot(sqlite('twice'), clock);
    await c.service.start([G]);
    await settle(c.service);
    const all = [...a.taken, ...b.taken, ...c.taken];
    expect(all.map((s) => s.day).sort()).toEqual(['2026-01-16', '2026-01-17', '2026-01-18']);
    expect((await c.repo.snapshotsOf(G)).map((s) => s.status)).toEqual(['taken', 'taken', 'taken']);
    await Promise.all([b.shutdown(), c.shutdown()]);
  });

  it('can be taken on demand when due (the digest asks first), still once', async () => {
    const clock = new FakeClock(START);
    const bot = boot(sqlite('on-demand'), clock);
    await bot.service.state(G, 'u1', 1);
    await bot.service.snapshotIfDue(G);
    expect(bot.taken).toEqual([]);
    clock.set(Date.UTC(2026, 0, 16, 0, 0));
    await bot.service.snapshotIfDue(G);
    await bot.service.snapshotIfDue(G);
    expect(bot.taken.map((s) => s.day)).toEqual(['2026-01-16']);
    await bot.shutdown();
  });

  it("on demand, one server's snapshot never waits behind the other servers' (a digest fan-out is not made serial)", async () => {
    const clock = new FakeClock(START);
    const bot = boot(sqlite('on-demand-parallel'), clock);
    const SLOW = '100000000000000009';
    await bot.service.state(G, 'u1', 1);
    await bot.service.state(SLOW, 'u1', 1);
    await bot.service.start([G, SLOW]);
    // The slow server's stances take as long as `release` says (a huge server, a slow store).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const stancesOf = bot.repo.stancesOf.bind(bot.repo);
    bot.repo.stancesOf = async (guildId: string) => (guildId === SLOW ? gate.then(() => stancesOf(guildId)) : stancesOf(guildId));
    clock.set(Date.UTC(2026, 0, 16, 0, 0)); // both due: the timer's run starts (the slow server may come first)
    // Released only after this server's snapshot is taken: were it queued behind the slow server,
    // it would never be, and the test would time out instead of passing.
    await bot.service.snapshotIfDue(G);
    expect(bot.taken.map((s) => s.day)).toEqual(['2026-01-16']); // this server's; the slow one is still held
    release();
    await settle(bot.service);
    expect(bot.taken.map((s) => s.day).sort()).toEqual(['2026-01-16', '2026-01-16']);
    await bot.shutdown();
  });

  it('records days the bot was down as missing, never inventing their counts', async () => {
    const clock = new FakeClock(START);
    const bot = boot(sqlite('missing'), clock);
    await bot.service.start([G]);
    await bot.service.state(G, 'u1', 3);
    await days(bot.service, clock, 1);
    await bot.shutdown();
    clock.advance(3 * DAY);
    const back = boot(sqlite('missing'), clock);
    await back.service.start([G]);
    await settle(back.service);
    const stored = await back.repo.snapshotsOf(G);
    expect(stored.map((s) => [s.day, s.status])).toEqual([
      ['2026-01-16', 'taken'],
      ['2026-01-17', 'missing'],
      ['2026-01-18', 'missing'],
      ['2026-01-19', 'taken'],
    ]);
    expect(stored[1]).not.toHaveProperty('counts');
    expect((await back.service.trend(G, 30)).days.map((d) => d.counts)).toEqual([[0, 0, 0, 1], null, null, [0, 0, 0, 1]]);
    await back.shutdown();
  });
});

describe('before and after reading', () => {
  it('shows a transition only once five members made it, and counts only', async () => {
    const bot = boot(sqlite('shifts'), new FakeClock(START));
    for (let i = 0; i < 4; i++) {
      expect(await bot.service.recordBefore(G, `s${i}`, 0)).toBe(true);
      expect(await bot.service.recordAfter(G, `s${i}`, 1)).toBe(true);
    }
    await bot.service.recordBefore(G, 'x', null);
    await bot.service.recordAfter(G, 'x', 2);
    expect((await bot.service.shifts(G)).shifts).toEqual([]);
    await bot.service.recordBefore(G, 's4', 0);
    expect(await bot.service.shouldAskAfter(G, 's4')).toBe(true);
    await bot.service.recordAfter(G, 's4', 1);
    expect(await bot.service.recordAfter(G, 's4', 2)).toBe(false);
    expect(await bot.service.recordBefore(G, 's4', 3)).toBe(false);
    expect((await bot.service.shifts(G)).shifts).toEqual([{ from: 0, to: 1, count: 5 }]);
    expect(await bot.service.stanceOf(G, 's4')).toBe(1);
    await bot.shutdown();
  });
  it('/story asks before once (two processes, one wins), and after at the last section or a day after the answer', async () => {
    const clock = new FakeClock(START);
    const a = boot(sqlite('prompts'), clock);
    const b = boot(sqlite('prompts'), clock);
    const asked = await Promise.all([a.service.promptFor(G, 'p1', false), b.service.promptFor(G, 'p1', false)]);
    expect(asked.sort()).toEqual(['before', null]);
    expect(await a.service.promptFor(G, 'p1', true)).toBeNull(); // asked, never answered: not again, not after
    await a.service.recordBefore(G, 'p1', 1);
    expect(await a.service.promptFor(G, 'p1', false)).toBeNull();
    clock.advance(DAY - 1);
    expect(await a.service.promptFor(G, 'p1', false)).toBeNull();
    clock.advance(1);
    expect(await b.service.promptFor(G, 'p1', false)).toBe('after');
    expect(await a.service.promptFor(G, 'p1', true)).toBeNull();
    // The last section asks after at once; a prompt that could not be sent may be asked again.
    expect(await a.service.promptFor(G, 'p2', false)).toBe('before');
    await a.service.recordBefore(G, 'p2', null);
    expect(await a.service.promptFor(G, 'p2', true)).toBe('after');
    await a.service.promptFailed(G, 'p2', 'after');
    expect(await a.service.promptFor(G, 'p2', true)).toBe('after');
    // A member with a stance is never asked; forget deletes what was asked too.
    await a.service.state(G, 'p3', 0);
    expect(await a.service.promptFor(G, 'p3', false)).toBeNull();
    await a.service.forget(G, 'p1');
    expect(await a.repo.getPrompted(G, 'p1')).toBeUndefined();
    await a.shutdown();
    await b.shutdown();
  });
});

describe('privacy', () => {
  it('forget deletes the member’s stance, history and reading in that server only', async () => {
    const bot = boot(sqlite('forget'), new FakeClock(START));
    await bot.service.recordBefore(G, 'u1', 0);
    await bot.service.recordAfter(G, 'u1', 1);
    await bot.service.state(G, 'u1', 2);
    await bot.service.state('200000000000000002', 'u1', 2);
    await bot.service.state(G, 'u2', 2);
    await bot.service.forget(G, 'u1');
    expect(await bot.service.stanceOf(G, 'u1')).toBeNull();
    expect((await bot.service.standing(G)).counts).toEqual([0, 0, 1, 0]);
    expect(await bot.repo.getReading(G, 'u1')).toBeUndefined();
    expect((await bot.repo.historyOf(G)).map(([key]) => key).filter((k) => k.includes(':u1:'))).toEqual([]);
    expect(await bot.service.stanceOf('200000000000000002', 'u1')).toBe(2);
    await bot.shutdown();
    const again = boot(sqlite('forget'), new FakeClock(START));
    expect(await again.repo.getStance(G, 'u1')).toBeNull();
    await again.shutdown();
  });

  it('reduces history older than the retention period to daily counts, keeping the shifts', async () => {
    const clock = new FakeClock(START);
    const bot = boot(sqlite('retention'), clock, { historyDays: 3 });
    await bot.service.start([G]);
    for (let i = 0; i < 5; i++) {
      await bot.service.recordBefore(G, `r${i}`, 3);
      await bot.service.recordAfter(G, `r${i}`, 1);
    }
    await bot.service.recordBefore(G, 'pending', 2);
    expect((await bot.repo.historyOf(G)).length).toBeGreaterThan(0);
    await days(bot.service, clock, 2);
    expect((await bot.repo.historyOf(G)).length).toBe(11);
    await days(bot.service, clock, 3);
    expect(await bot.repo.historyOf(G)).toEqual([]);
    expect(await bot.repo.readingsOf(G)).toEqual([]);
    expect([...(await bot.repo.daysOf(G))]).toEqual([['2026-01-15', { changes: { '->2': 1, '->3': 5, '3>1': 5 }, shifts: { '3>1': 5 } }]]);
    expect((await bot.service.shifts(G)).shifts).toEqual([{ from: 3, to: 1, count: 5 }]);
    expect((await bot.service.standing(G)).counts).toEqual([0, 5, 1, 0]);
    await bot.shutdown();
  });
});
