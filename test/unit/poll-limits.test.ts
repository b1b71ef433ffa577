import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { PollRegistry } from '../../src/polls/registry.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll } from '../../src/polls/types.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G1 = '100000000000000001';
const G2 = '100000000000000002';

function closedPoll(i: number): Poll {
  return {
    id: `c${i.toString(16).padStart(7, '0')}`, guildId: G1, channelId: '2', creatorId: '3', messageId: null, question: `Closed ${i}?`,
    answers: [{ label: 'Yes', emoji: null }, { label: 'No', emoji: null }] as Poll['answers'], headline: false, createdAt: i, closesAt: i + 1,
    hideResults: false, allowChange: true, voterRoleId: null, status: 'closed', closedAt: i + 1, closedBy: 'deadline', resultsPosted: true,
  };
}

describe('closed polls in memory', () => {
  it('are kept up to a bound, the oldest forgotten first, and still found in the store', async () => {
    const repo = new StorePollRepository(openStore('memory:', createLogger('silent')));
    const registry = new PollRegistry(repo, () => undefined);
    const polls = Array.from({ length: 1500 }, (_, i) => closedPoll(i));
    for (const poll of polls) await repo.save(poll);
    for (const poll of polls) await registry.resolve(G1, poll.id);
    const kept = polls.filter((p) => registry.closedRecord(p.id) !== undefined);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(registry.closedRecord(polls[1499]!.id)).toBeDefined(); // the newest stay
    expect(registry.closedRecord(polls[0]!.id)).toBeUndefined();
    expect(await registry.resolve(G1, polls[0]!.id)).toEqual(polls[0]); // forgotten is not gone
  });
});

describe('starting polls', () => {
  const setup = () => {
    const clock = new FakeClock();
    const service = new PollService({ repo: new StorePollRepository(openStore('memory:', createLogger('silent'))), clock, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
    const start = (guildId = G1, creatorId = 'ann') => service.create({ question: 'Tea?', answers: 'Yes, No' }, { guildId, channelId: '2', creatorId });
    return { clock, service, start };
  };

  it('a member can start 3 polls a minute; the 4th is refused, saying when to try again', async () => {
    const { clock, start } = setup();
    await start();
    clock.advance(10_000);
    await start();
    await start();
    const refused: unknown = await start().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    // The first of the three started 10 s before: a slot frees 50 s from now.
    const again = Math.floor((clock.now() + 50_000) / 1000);
    expect((refused as Error).message).toMatch(new RegExp(`3 polls in the last minute.*<t:${again}:R>`));
    clock.advance(50_000);
    await expect(start()).resolves.toMatchObject({ creatorId: 'ann' });
  });

  it('counts per member and per server', async () => {
    const { start } = setup();
    for (let i = 0; i < 3; i++) await start();
    await expect(start()).rejects.toThrow(/last minute/);
    await expect(start(G1, 'bob')).resolves.toBeDefined();
    await expect(start(G2, 'ann')).resolves.toBeDefined();
  });

  it('a refused start does not count as a start', async () => {
    const { clock, start } = setup();
    for (let i = 0; i < 3; i++) await start();
    for (let i = 0; i < 5; i++) await expect(start()).rejects.toThrow(/last minute/);
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) await start();
  });
});
