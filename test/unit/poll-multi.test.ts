import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { ballotFor, storedBallot } from '../../src/polls/ballot.js';
import { castVote } from '../../src/polls/flow.js';
import { renderPoll, renderResults } from '../../src/polls/render.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll, Tally } from '../../src/polls/types.js';
import { COLLECTIONS, pollKey, votePrefix } from '../../src/storage/keys.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G1 = '100000000000000001';
const origin = { guildId: G1, channelId: '200000000000000002', creatorId: 'creator' };
const dir = mkdtempSync(join(tmpdir(), 'tamasha-multi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function boot(file: string, clock = new FakeClock()) {
  const store = openStore(`sqlite://${join(dir, file)}`, createLogger('silent'));
  const repo = new StorePollRepository(store);
  const closes: Array<{ poll: Poll; tally: Tally }> = [];
  const service = new PollService({ repo, clock, logger: createLogger('silent'), onChange: () => undefined, onClose: (poll, tally) => void closes.push({ poll, tally }) });
  const shutdown = async () => {
    await service.stop();
    await store.close();
  };
  return { clock, store, repo, service, closes, shutdown };
}

const message = async (promise: Promise<unknown>): Promise<string> => {
  const error: unknown = await promise.then(() => new Error('expected a rejection'), (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
};

const fiveAnswers = { question: 'Which teas?', answers: 'Chai\nGreen\nBlack\nOolong\nWhite', duration: '2h', maxChoices: 3 };

describe('ballots', () => {
  const multi = { answers: [1, 2, 3, 4].map((i) => ({ label: `a${i}`, emoji: null })), maxChoices: 2 };
  const single = { answers: multi.answers };

  it('stores a single-choice vote as the bare answer index (the format from before) and picks as a sorted set', () => {
    expect(ballotFor(single, [2])).toBe(2);
    expect(ballotFor(multi, [3, 0])).toEqual([0, 3]);
    expect(ballotFor(multi, [1])).toEqual([1]);
  });

  it.each([
    [[], 'Pick at least one answer.'],
    [[0, 0], 'Each answer can be picked only once.'],
    [[0, 1, 2], 'This poll lets each member pick up to 2 answers; you picked 3.'],
    [[4], "That answer isn't part of this poll."],
    [[1.5], "That answer isn't part of this poll."],
  ])('refuses %j', (picked, said) => {
    expect(() => ballotFor(multi, picked)).toThrow(said);
  });

  it('reads stored values leniently but never counts one that is not a ballot of the poll', () => {
    expect(storedBallot(single, 3)).toBe(3);
    expect(storedBallot(multi, 3)).toEqual([3]);
    expect(storedBallot(multi, [2, 0])).toEqual([0, 2]);
    for (const bad of [-1, 4, [0, 1, 2], [], [0, 0], ['0'], '1', null]) expect(storedBallot(multi, bad)).toBeNull();
    expect(storedBallot(single, [0, 1])).toBeNull();
  });
});

describe('multiple-choice polls', () => {
  it('counts every answer picked, one ballot per member, and replaces a ballot as a whole', async () => {
    const { service, repo, shutdown } = boot('counts.sqlite');
    const poll = await service.create(fiveAnswers, origin);
    expect(poll.maxChoices).toBe(3);
    expect(await service.vote(G1, poll.id, 'u1', [0, 2], [])).toMatchObject({ kind: 'recorded', ballot: [0, 2], previous: null });
    await service.vote(G1, poll.id, 'u2', [2], []);
    await service.vote(G1, poll.id, 'u3', [4, 2, 0], []);
    expect(await service.tally(poll)).toEqual({ counts: [2, 0, 3, 0, 1], voters: 3 });
    expect(await service.vote(G1, poll.id, 'u1', [2, 0], [])).toMatchObject({ kind: 'unchanged' });
    expect(await service.vote(G1, poll.id, 'u1', [1], [])).toMatchObject({ kind: 'changed', ballot: [1], previous: [0, 2] });
    expect(await service.tally(poll)).toEqual({ counts: [1, 1, 2, 0, 1], voters: 3 });
    expect(await repo.getVote(poll.id, 'u1')).toEqual([1]);
    expect(await message(service.vote(G1, poll.id, 'u2', [0, 1, 2, 3], []))).toBe('This poll lets each member pick up to 3 answers; you picked 4.');
    expect(await repo.getVote(poll.id, 'u2')).toEqual([2]); // a refused ballot changes nothing
    await service.retract(G1, poll.id, 'u3');
    expect(await service.tally(poll)).toEqual({ counts: [0, 1, 1, 0, 0], voters: 2 });
    await shutdown();
  });

  it('applies a member\'s rapid changes in order: the last ballot is the one stored and counted', async () => {
    const { service, repo, shutdown } = boot('rapid.sqlite');
    const poll = await service.create(fiveAnswers, origin);
    const ballots = Array.from({ length: 60 }, (_, i) => [i % 5, (i + 1) % 5, (i + 3) % 5]);
    await Promise.all([...ballots.map((b) => service.vote(G1, poll.id, 'fickle', b, [])), ...Array.from({ length: 40 }, (_, i) => service.vote(G1, poll.id, `u${i}`, [i % 5, (i + 2) % 5], []))]);
    const last = [...ballots.at(-1)!].sort();
    expect(await repo.getVote(poll.id, 'fickle')).toEqual(last);
    const tally = await service.tally(poll);
    expect(tally.voters).toBe(41);
    expect(tally.counts.reduce((a, b) => a + b, 0)).toBe(40 * 2 + 3);
    await shutdown();
  });

  it('refuses a change when votes are final', async () => {
    const { service, shutdown } = boot('final.sqlite');
    const poll = await service.create({ ...fiveAnswers, allowChange: false }, origin);
    await service.vote(G1, poll.id, 'u1', [0, 1], []);
    expect(await message(service.vote(G1, poll.id, 'u1', [0], []))).toBe('You already voted for "Chai", "Green", and this poll doesn\'t allow changing votes.');
    await shutdown();
  });

  it('rebuilds the same tally after a restart and posts the results once, with voters and choices', async () => {
    const clock = new FakeClock();
    const first = boot('restart.sqlite', clock);
    const poll = await first.service.create(fiveAnswers, origin);
    await Promise.all(Array.from({ length: 30 }, (_, i) => first.service.vote(G1, poll.id, `u${i}`, i % 2 ? [0, 1] : [1, 2, 3], [])));
    const before = await first.service.tally(poll);
    await first.shutdown();
    const second = boot('restart.sqlite', clock);
    await second.service.load([G1]);
    expect(await second.service.tally(poll)).toEqual(before);
    expect(before).toEqual({ counts: [15, 30, 15, 15, 0], voters: 30 });
    expect(await second.service.myVote(poll.id, 'u1')).toEqual([0, 1]);
    await second.service.close(G1, poll.id, 'member', 'creator');
    expect(second.closes).toHaveLength(1);
    expect(renderResults(second.closes[0]!.poll, second.closes[0]!.tally)).toMatch(/Green 100% \(30\) · Chai 50% \(15\).* — 30 voters, 75 choices \(up to 3 each; percentages are of voters\)/);
    await second.shutdown();
  });

  it('loads a poll and votes stored before multiple choice existed, and keeps counting them', async () => {
    const clock = new FakeClock();
    const first = boot('legacy.sqlite', clock);
    const legacy = {
      id: 'abcdef01', guildId: G1, channelId: origin.channelId, messageId: null, creatorId: 'creator', question: 'Old?',
      answers: [{ label: 'Yes', emoji: null }, { label: 'No', emoji: null }], headline: false, createdAt: clock.now(), closesAt: clock.now() + 3_600_000,
      hideResults: false, allowChange: true, voterRoleId: null, status: 'open', closedAt: null, closedBy: null, resultsPosted: false, note: null,
    };
    await first.store.collection(COLLECTIONS.pollOwners).set(legacy.id, G1);
    await first.store.collection(COLLECTIONS.openPolls).set(pollKey(G1, legacy.id), legacy.createdAt);
    await first.store.collection(COLLECTIONS.polls).set(pollKey(G1, legacy.id), legacy);
    const votes = first.store.collection<number>(COLLECTIONS.votes);
    await Promise.all([votes.set(`${votePrefix(legacy.id)}u1`, 0), votes.set(`${votePrefix(legacy.id)}u2`, 1), votes.set(`${votePrefix(legacy.id)}u3`, -1), votes.set(`${votePrefix(legacy.id)}u4`, 1)]);
    await first.shutdown();

    const second = boot('legacy.sqlite', clock);
    await second.service.load([G1]);
    const poll = await second.service.get(G1, legacy.id);
    expect(await second.service.tally(poll)).toEqual({ counts: [1, 2], voters: 3 });
    expect(await second.service.vote(G1, legacy.id, 'u2', 0, [])).toMatchObject({ kind: 'changed', previous: 1, ballot: 0 });
    expect(await message(second.service.vote(G1, legacy.id, 'u1', [0, 1], []))).toBe('This poll takes one answer per member.');
    expect(await second.repo.getVote(legacy.id, 'u2')).toBe(0); // still stored as a bare index
    expect(renderPoll(poll, await second.service.tally(poll), clock.now()).footer).toContain('One vote per member');
    await second.shutdown();
  });
});

describe('a pick in the menu, end to end without Discord', () => {
  it('acknowledges the picks once stored, and explains a refused pick', async () => {
    const { service, repo, shutdown } = boot('flow.sqlite');
    const poll = await service.create(fiveAnswers, origin);
    const replies: string[] = [];
    const ack = (r: { content: string }) => void replies.push(r.content);
    const click = (values: string[]) => castVote(service, { action: 'choose', args: [poll.id], values, guildId: G1, userId: 'u1', memberRoleIds: [] }, ack);
    expect(await click(['2', '0'])).toEqual({ ok: true, kind: 'recorded' });
    expect(replies.at(-1)).toBe('Your vote for **Chai**, **Black** is in. Pick again in the menu to change your choices, or **Retract my vote** to take them back, until the poll closes.');
    await click(['1']);
    expect(replies.at(-1)).toMatch(/^You changed your vote from \*\*Chai\*\*, \*\*Black\*\* to \*\*Green\*\*\./);
    expect((await click(['0', '1', '2', '3'])).ok).toBe(false);
    expect(replies.at(-1)).toBe('This poll lets each member pick up to 3 answers; you picked 4.');
    expect((await click(['x'])).ok).toBe(false);
    expect(replies.at(-1)).toBe('That button is no longer active.');
    expect(await repo.getVote(poll.id, 'u1')).toEqual([1]);
    await shutdown();
  });

  it('shows percentages of voters, the number of choices, and how many a member may pick', async () => {
    const { service, shutdown, clock } = boot('render.sqlite');
    const poll = await service.create(fiveAnswers, origin);
    await service.vote(G1, poll.id, 'u1', [0, 1], []);
    await service.vote(G1, poll.id, 'u2', [0], []);
    const card = renderPoll(poll, await service.tally(poll), clock.now());
    expect(card.description).toContain('Pick up to 3 answers. Percentages are of voters.');
    expect(card.description).toMatch(/\*\*Chai\*\*\n██████████ 100% · 2 votes\n\*\*Green\*\*\n█████░░░░░ 50% · 1 vote/);
    expect(card.description).toContain('**2 voters · 3 choices**');
    expect(card.footer).toContain('Up to 3 answers per member · you can change or retract it');
    await shutdown();
  });
});
