import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/constants.js';
import { createLogger } from '../../src/logger.js';
import { normalizeText, scoreOf } from '../../src/arguments/rank.js';
import { StoreArgumentRepository } from '../../src/arguments/repository.js';
import { ArgumentInputError, ArgumentService } from '../../src/arguments/service.js';
import { type Argument, MAX_PER_HOUR, PAGE_SIZE } from '../../src/arguments/types.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { postgresEnabled, usePostgres } from '../helpers/postgres.js';

const G = '100000000000000001';
const OTHER = '100000000000000002';
const sides = [
  { id: 'stance.0', label: 'Folk hero' },
  { id: 'stance.1', label: 'Villain' },
  { id: 'stakeholder.press', label: 'The press' },
];
const dir = mkdtempSync(join(tmpdir(), 'tamasha-arguments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqlite = (name: string) => `sqlite://${join(dir, `${name}.sqlite`)}`;
const START = Date.UTC(2026, 0, 15, 12);

function boot(url: string, clock = new FakeClock(START)) {
  const store = openStore(url, createLogger('silent'));
  const service = new ArgumentService({ repo: new StoreArgumentRepository(store), clock, sides, sectionIds: ['intro', 'leak'] });
  return { store, service, clock, shutdown: async () => (await service.idle(), await store.close()) };
}

async function added(service: ArgumentService, authorId: string, text: string, side = 'stance.0', guildId = G): Promise<Argument> {
  const result = await service.add({ guildId, authorId, side, text, sectionId: null });
  if (result.kind !== 'added') throw new Error(`not added: ${result.kind}`);
  return result.argument;
}

describe('arguments', () => {
  it('checks the draft: known side and section, 1 to 300 characters', async () => {
    const { service, shutdown } = boot('memory:');
    const draft = { guildId: G, authorId: 'u1', side: 'stance.0', text: 'Fine', sectionId: null };
    await expect(service.add({ ...draft, side: 'stance.9' })).rejects.toEqual(new ArgumentInputError('side'));
    await expect(service.add({ ...draft, sectionId: 'nope' })).rejects.toEqual(new ArgumentInputError('section'));
    await expect(service.add({ ...draft, text: ' ?! ' })).rejects.toEqual(new ArgumentInputError('empty'));
    await expect(service.add({ ...draft, text: 'x'.repeat(301) })).rejects.toEqual(new ArgumentInputError('long'));
    expect((await service.add({ ...draft, text: 'x'.repeat(300), sectionId: 'leak' })).kind).toBe('added');
    await shutdown();
  });

  it('refuses a duplicate (same normalized text) in the same server, naming the existing one; another server may have it', async () => {
    const { service, shutdown } = boot('memory:');
    const first = await added(service, 'u1', 'Leaks  serve the PUBLIC!');
    expect(normalizeText('Leaks  serve the PUBLIC!')).toBe(normalizeText('leaks serve the public'));
    expect(await service.add({ guildId: G, authorId: 'u2', side: 'stance.1', text: 'leaks serve the public', sectionId: null })).toEqual({ kind: 'duplicate', existing: first });
    expect((await service.add({ guildId: OTHER, authorId: 'u2', side: 'stance.1', text: 'leaks serve the public', sectionId: null })).kind).toBe('added');
    await shutdown();
  });

  it(`lets a member post ${MAX_PER_HOUR} arguments an hour, even when they send them at once`, async () => {
    const { service, clock, shutdown } = boot('memory:');
    const results = await Promise.all(Array.from({ length: MAX_PER_HOUR + 2 }, (_, i) => service.add({ guildId: G, authorId: 'u1', side: 'stance.0', text: `reason ${i}`, sectionId: null })));
    expect(results.map((r) => r.kind)).toEqual([...Array<string>(MAX_PER_HOUR).fill('added'), 'rate-limited', 'rate-limited']);
    expect(results.at(-1)).toEqual({ kind: 'rate-limited', retryAt: START + HOUR });
    expect((await service.add({ guildId: G, authorId: 'u2', side: 'stance.0', text: 'another member', sectionId: null })).kind).toBe('added');
    clock.advance(HOUR);
    expect((await service.add({ guildId: G, authorId: 'u1', side: 'stance.0', text: 'an hour later', sectionId: null })).kind).toBe('added');
    await shutdown();
  });

  it('toggles one upvote per member; ranks by upvotes decayed with age, so a newer argument can rise', async () => {
    const { service, clock, shutdown } = boot('memory:');
    const old = await added(service, 'a', 'old argument');
    for (let i = 0; i < 10; i++) await service.toggleUpvote(G, old.id, `v${i}`);
    expect(await service.toggleUpvote(G, old.id, 'v0')).toEqual({ kind: 'withdrawn', upvotes: 9 });
    expect(await service.toggleUpvote(G, old.id, 'v0')).toEqual({ kind: 'upvoted', upvotes: 10 });
    clock.advance(7 * 24 * HOUR);
    const fresh = await added(service, 'b', 'fresh argument');
    for (let i = 0; i < 3; i++) await service.toggleUpvote(G, fresh.id, `w${i}`);
    // 10 upvotes a week (2.33 half-lives) old weigh 10 × 2^-2.33 ≈ 1.98: 3 fresh ones beat them.
    expect(scoreOf(10, old.createdAt, clock.now())).toBeCloseTo(1.984, 2);
    const top = await service.top(G, null, 0);
    expect(top.items.map((r) => [r.argument.text, r.upvotes])).toEqual([
      ['fresh argument', 3],
      ['old argument', 10],
    ]);
    expect((await service.top(G, 'stance.1', 0)).items).toEqual([]);
    await shutdown();
  });

  it('pages the top list', async () => {
    const { service, clock, shutdown } = boot('memory:');
    for (let i = 0; i < PAGE_SIZE + 2; i++) {
      await added(service, `a${i}`, `argument ${i}`, 'stance.1');
      clock.advance(1000);
    }
    const second = await service.top(G, 'stance.1', 1);
    expect(second).toMatchObject({ page: 1, pages: 2, total: PAGE_SIZE + 2 });
    expect(second.items.map((r) => r.argument.text)).toEqual(['argument 1', 'argument 0']);
    expect((await service.top(G, 'stance.1', 99)).page).toBe(1);
    await shutdown();
  });

  it('sends reported arguments to review; hiding takes them out of lists and upvotes, restoring brings them back', async () => {
    const { service, clock, shutdown } = boot(sqlite('review'));
    const a = await added(service, 'a', 'reported one');
    await added(service, 'b', 'quiet one');
    expect(await service.report(G, a.id, 'r1')).toBe('reported');
    expect(await service.report(G, a.id, 'r1')).toBe('already');
    expect((await service.reviewList(G, 0)).items.map((r) => [r.argument.text, r.reports])).toEqual([['reported one', 1]]);
    clock.advance(1000);
    expect(await service.setHidden(G, a.id, true)).toMatchObject({ hidden: true, reviewedAt: clock.now() });
    expect((await service.top(G, null, 0)).items.map((r) => r.argument.text)).toEqual(['quiet one']);
    expect((await service.topPerSide(G)).map((r) => r.argument.text)).toEqual(['quiet one']);
    expect(await service.toggleUpvote(G, a.id, 'u')).toEqual({ kind: 'gone' });
    expect(await service.report(G, a.id, 'r2')).toBe('gone');
    expect((await service.reviewList(G, 0)).items.map((r) => [r.argument.text, r.argument.hidden])).toEqual([['reported one', true]]);
    await service.setHidden(G, a.id, false);
    // Restored: reviewed, so off the review list until reported again.
    expect((await service.reviewList(G, 0)).items).toEqual([]);
    expect((await service.top(G, null, 0)).total).toBe(2);
    await shutdown();
    const again = boot(sqlite('review'), clock);
    expect((await again.service.get(G, a.id))?.argument).toMatchObject({ hidden: false, text: 'reported one' });
    expect((await again.service.get(G, a.id))?.reports).toBe(1);
    await again.shutdown();
  });

  const concurrentUpvotes = async (url: string) => {
    const bot = boot(url);
    const argument = await added(bot.service, 'author', 'many voters');
    const members = Array.from({ length: 500 }, (_, i) => `m${i}`);
    const results = await Promise.all(members.map((m) => bot.service.toggleUpvote(G, argument.id, m)));
    expect(results.every((r) => r.kind === 'upvoted')).toBe(true);
    expect(Math.max(...results.map((r) => (r.kind === 'gone' ? 0 : r.upvotes)))).toBe(500);
    // A tenth click twice (back on), every fifth member once more (withdrawn): all at once, in every order.
    await Promise.all(members.flatMap((m, i) => (i % 10 === 0 ? [bot.service.toggleUpvote(G, argument.id, m), bot.service.toggleUpvote(G, argument.id, m)] : i % 5 === 0 ? [bot.service.toggleUpvote(G, argument.id, m)] : [])));
    const expected = members.filter((_, i) => i % 10 === 0 || i % 5 !== 0).length;
    expect((await bot.service.get(G, argument.id))?.upvotes).toBe(expected);
    await bot.shutdown();
    const restarted = boot(url);
    expect((await restarted.service.get(G, argument.id))?.upvotes).toBe(expected);
    await restarted.shutdown();
  };

  it('stays exact when 500 members upvote at once, and after a restart (SQLite)', () => concurrentUpvotes(sqlite('concurrent')), 60_000);

  describe.skipIf(!postgresEnabled)('on PostgreSQL', () => {
    const pg = usePostgres();
    it('stays exact when 500 members upvote at once, and after a restart (PostgreSQL)', () => concurrentUpvotes(pg.url()), 60_000);

    it('refuses the same text added by two processes at once: exactly one wins (PostgreSQL)', async () => {
      const url = pg.url();
      const a = boot(url);
      const b = boot(url);
      const results = await Promise.all([a.service.add({ guildId: G, authorId: 'u1', side: 'stance.0', text: 'Same text', sectionId: null }), b.service.add({ guildId: G, authorId: 'u2', side: 'stance.1', text: 'same TEXT', sectionId: null })]);
      expect(results.map((r) => r.kind).sort()).toEqual(['added', 'duplicate']);
      await a.shutdown();
      await b.shutdown();
    }, 60_000);
  });
});
