import { describe, expect, it, vi } from 'vitest';
import { decodeCustomId } from '../../src/discord/custom-id.js';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { castVote, type PollAck } from '../../src/polls/flow.js';
import { answersOf } from '../../src/polls/ballot.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll, Tally } from '../../src/polls/types.js';
import type { PollInput } from '../../src/polls/validate.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G1 = '100000000000000001';
const G2 = '100000000000000002';
const ROLE = '500000000000000005';
const where = (guildId = G1, creatorId = 'creator') => ({ guildId, channelId: '200000000000000002', creatorId });
const input = (over: Partial<PollInput> = {}): PollInput => ({ question: 'Tea or coffee?', answers: 'Tea, Coffee, Neither', duration: '90m', ...over });

/** A repository whose vote writes wait for `release()`, to hold them in flight as long as a test needs. */
class SlowRepository extends StorePollRepository {
  writing = 0;
  release: () => void = () => undefined;
  readonly #gate = new Promise<void>((resolve) => (this.release = resolve));
  override async setVote(pollId: string, userId: string, answer: number, at: number): Promise<void> {
    this.writing++;
    await this.#gate;
    await super.setVote(pollId, userId, answer, at);
  }
}

function setup(editIntervalMs = 2000, slow = false) {
  const clock = new FakeClock();
  const store = openStore('memory:', createLogger('silent'));
  const repo = slow ? new SlowRepository(store) : new StorePollRepository(store);
  const changes: Array<{ poll: Poll; tally: Tally }> = [];
  const closes: Array<{ poll: Poll; tally: Tally }> = [];
  const service = new PollService({
    repo,
    clock,
    logger: createLogger('silent'),
    editIntervalMs,
    onChange: (poll, tally) => void changes.push({ poll, tally }),
    onClose: (poll, tally) => void closes.push({ poll, tally }),
  });
  /** Stored votes as a tally: what a restart would rebuild. */
  const storedTally = async (poll: Poll): Promise<Tally> => {
    const votes = await repo.votesOf(poll.id);
    const counts = poll.answers.map(() => 0);
    for (const ballot of votes.values()) for (const a of answersOf(ballot)) counts[a] = (counts[a] ?? 0) + 1;
    return { counts, voters: votes.size };
  };
  return { clock, store, repo, service, changes, closes, storedTally };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

describe('PollService voting', () => {
  it('keeps one vote per member', async () => {
    const { service, storedTally } = setup();
    const poll = await service.create(input(), where());
    expect(await service.vote(G1, poll.id, 'u1', 0, [])).toMatchObject({ kind: 'recorded', previous: null });
    expect(await service.vote(G1, poll.id, 'u1', 0, [])).toMatchObject({ kind: 'unchanged', previous: 0 });
    await service.vote(G1, poll.id, 'u2', 0, []);
    expect(await service.tally(poll)).toEqual({ counts: [2, 0, 0], voters: 2 });
    expect(await storedTally(poll)).toEqual({ counts: [2, 0, 0], voters: 2 });
    expect(await service.myVote(poll.id, 'u1')).toBe(0);
    expect(await service.myVote(poll.id, 'nobody')).toBeNull();
  });

  it('changes and retracts a vote', async () => {
    const { service, repo, storedTally } = setup();
    const poll = await service.create(input(), where());
    await service.vote(G1, poll.id, 'u1', 0, []);
    expect(await service.vote(G1, poll.id, 'u1', 2, [])).toMatchObject({ kind: 'changed', previous: 0 });
    expect(await service.tally(poll)).toEqual({ counts: [0, 0, 1], voters: 1 });
    expect(await repo.getVote(poll.id, 'u1')).toBe(2);
    expect(await service.retract(G1, poll.id, 'u1')).toMatchObject({ kind: 'retracted', previous: 2 });
    expect(await service.retract(G1, poll.id, 'u1')).toMatchObject({ kind: 'none', previous: null });
    expect(await service.tally(poll)).toEqual({ counts: [0, 0, 0], voters: 0 });
    expect(await storedTally(poll)).toEqual({ counts: [0, 0, 0], voters: 0 });
    expect(await repo.getVote(poll.id, 'u1')).toBeNull();
    expect(await service.vote(G1, poll.id, 'u1', 1, [])).toMatchObject({ kind: 'recorded' });
  });

  it('refuses changes when votes are final', async () => {
    const { service, repo } = setup();
    const poll = await service.create(input({ allowChange: false }), where());
    await service.vote(G1, poll.id, 'u1', 0, []);
    expect(await rejection(service.vote(G1, poll.id, 'u1', 1, []))).toBe(`You already voted for "Tea", and this poll doesn't allow changing votes.`);
    expect(await rejection(service.retract(G1, poll.id, 'u1'))).toContain("doesn't allow changing votes");
    expect(await service.vote(G1, poll.id, 'u1', 0, [])).toMatchObject({ kind: 'unchanged' });
    expect(await repo.getVote(poll.id, 'u1')).toBe(0);
  });

  it('lets only members with the voter role vote', async () => {
    const { service } = setup();
    const poll = await service.create(input({ voterRoleId: ROLE }), where());
    expect(await rejection(service.vote(G1, poll.id, 'u1', 0, ['other']))).toBe(`Only members with the <@&${ROLE}> role can vote in this poll.`);
    expect(await service.vote(G1, poll.id, 'u1', 0, ['other', ROLE])).toMatchObject({ kind: 'recorded' });
    expect(await service.tally(poll)).toEqual({ counts: [1, 0, 0], voters: 1 });
  });

  it("refuses closed polls, another server's polls and unknown answers, changing nothing", async () => {
    const { service, clock, storedTally } = setup();
    const poll = await service.create(input(), where());
    await service.vote(G1, poll.id, 'u1', 0, []);
    expect(await rejection(service.vote(G2, poll.id, 'u2', 0, []))).toBe("This poll doesn't belong to this server.");
    expect(await rejection(service.retract(G2, poll.id, 'u1'))).toBe("This poll doesn't belong to this server.");
    expect(await rejection(service.close(G2, poll.id, 'member'))).toBe("This poll doesn't belong to this server.");
    expect(await rejection(service.vote(G1, 'ffffffff', 'u2', 0, []))).toBe('This poll no longer exists.');
    expect(await rejection(service.vote(G1, poll.id, 'u2', 3, []))).toBe("That answer isn't part of this poll.");
    expect(await rejection(service.vote(G1, poll.id, 'u2', -1, []))).toBe("That answer isn't part of this poll.");
    await service.close(G1, poll.id, 'member', 'creator');
    expect(await rejection(service.vote(G1, poll.id, 'u2', 1, []))).toBe('This poll is closed.');
    expect(await rejection(service.vote(G1, poll.id, 'u1', 1, []))).toBe('This poll is closed.');
    expect(await rejection(service.retract(G1, poll.id, 'u1'))).toBe('This poll is closed.');
    clock.advance(1000);
    expect(await service.tally(poll)).toEqual({ counts: [1, 0, 0], voters: 1 });
    expect(await storedTally(poll)).toEqual({ counts: [1, 0, 0], voters: 1 });
  });

  it('refuses votes at the deadline even before its timer has run', async () => {
    const { service, clock } = setup();
    const poll = await service.create(input(), where());
    await service.stop(); // no timers: only the time check is left
    clock.advance(90 * 60_000);
    expect(await rejection(service.vote(G1, poll.id, 'u1', 0, []))).toBe('This poll is closed.');
  });

  it('counts 1,000 simultaneous votes from distinct members exactly', async () => {
    const { service, storedTally } = setup();
    const poll = await service.create(input(), where());
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => service.vote(G1, poll.id, `u${i}`, i % 3, [])));
    expect(results.every((r) => r.kind === 'recorded')).toBe(true);
    expect(await service.tally(poll)).toEqual({ counts: [334, 333, 333], voters: 1000 });
    expect(await storedTally(poll)).toEqual(await service.tally(poll));
  });

  it('applies 200 rapid clicks by one member in order: the last click is the stored vote', async () => {
    const { service, repo, storedTally } = setup();
    const poll = await service.create(input(), where());
    const clicks = Array.from({ length: 200 }, (_, i) => (i * 7) % 3);
    const results = await Promise.all(clicks.map((a) => service.vote(G1, poll.id, 'fickle', a, [])));
    expect(results[0]?.kind).toBe('recorded');
    // Each click saw the one before it.
    results.slice(1).forEach((r, i) => expect(r.previous).toBe(clicks[i]));
    expect(await repo.getVote(poll.id, 'fickle')).toBe(clicks[199]);
    const expected = [0, 0, 0];
    expected[clicks[199] ?? 0] = 1;
    expect(await service.tally(poll)).toEqual({ counts: expected, voters: 1 });
    expect(await storedTally(poll)).toEqual({ counts: expected, voters: 1 });
  });

  it('stays exact with many members clicking, changing and retracting at once', async () => {
    const { service, storedTally } = setup();
    const poll = await service.create(input(), where());
    const ops: Array<Promise<unknown>> = [];
    for (let round = 0; round < 5; round++) {
      for (let u = 0; u < 300; u++) {
        ops.push((round + u) % 4 === 3 ? service.retract(G1, poll.id, `u${u}`) : service.vote(G1, poll.id, `u${u}`, (round * u) % 3, []));
      }
    }
    await Promise.all(ops);
    expect(await storedTally(poll)).toEqual(await service.tally(poll));
  });
});

describe('PollService closing', () => {
  it('closes exactly once, after the votes already being written', async () => {
    const { service, repo, closes, storedTally } = setup(2000, true);
    const poll = await service.create(input(), where());
    const cast = (from: number) =>
      Array.from({ length: 250 }, (_, i) =>
        service.vote(G1, poll.id, `u${from + i}`, i % 2, []).then(
          () => true,
          () => false,
        ),
      );
    const early = cast(0);
    while ((repo as SlowRepository).writing < 250) await new Promise((resolve) => setImmediate(resolve));
    const closing = Promise.all([service.close(G1, poll.id, 'member', 'creator'), service.close(G1, poll.id, 'deadline')]);
    const late = cast(250);
    // Only now do the 250 held writes finish: the close must wait for them, and count them.
    (repo as SlowRepository).release();
    const [first, second] = await closing;
    expect(first).toEqual(second);
    expect(first).toMatchObject({ status: 'closed', closedBy: 'member' });
    expect(closes).toHaveLength(1);
    // Votes already being written when the close began are stored and counted; later ones are refused.
    expect(await Promise.all(early)).toEqual(Array(250).fill(true));
    expect(await Promise.all(late)).toEqual(Array(250).fill(false));
    expect(closes[0]?.tally).toEqual({ counts: [125, 125, 0], voters: 250 });
    expect(await storedTally(poll)).toEqual(closes[0]?.tally);
    const again = await service.close(G1, poll.id, 'member');
    expect(again).toMatchObject({ status: 'closed', closedBy: 'member', resultsPosted: true });
    expect(closes).toHaveLength(1);
  });

  it('closes at the deadline through the clock', async () => {
    const { service, clock, closes, repo } = setup();
    const poll = await service.create(input({ duration: '90m' }), where());
    await service.vote(G1, poll.id, 'u1', 1, []);
    clock.advance(90 * 60_000 - 1);
    expect(closes).toHaveLength(0);
    clock.advance(1);
    await vi.waitFor(() => expect(closes).toHaveLength(1));
    expect(closes[0]?.tally).toEqual({ counts: [0, 1, 0], voters: 1 });
    expect(await repo.get(G1, poll.id)).toMatchObject({ status: 'closed', closedBy: 'deadline', closedAt: poll.closesAt, resultsPosted: true });
  });

  it('lets only the creator or a message manager end a poll', async () => {
    const { service, closes } = setup();
    const poll = await service.create(input(), where(G1, 'creator'));
    expect(await rejection(service.end(G1, poll.id, 'someone', false))).toContain('Only the member who created this poll');
    expect((await service.end(G1, poll.id, 'moderator', true)).alreadyClosed).toBe(false);
    expect((await service.end(G1, poll.id, 'creator', false)).alreadyClosed).toBe(true);
    expect(closes).toHaveLength(1);
  });

  it('allows 25 open polls per server', async () => {
    const { service } = setup();
    // Many members, since one member may start only a few polls a minute.
    const polls = await Promise.all(Array.from({ length: 25 }, (_, i) => service.create(input({ question: `Q${i}` }), where(G1, `m${i}`))));
    expect(new Set(polls.map((p) => p.id)).size).toBe(25);
    expect(polls.every((p) => /^[0-9a-f]{8}$/.test(p.id))).toBe(true);
    expect(await rejection(service.create(input(), where(G1, 'm25')))).toBe('This server already has 25 open polls; end one with /poll end first.');
    await service.create(input(), where(G2)); // other servers are not affected
    await service.close(G1, polls[0]?.id ?? '', 'member');
    await service.create(input(), where(G1, 'm25'));
    expect(await service.openPolls(G1)).toHaveLength(25);
  });
});

describe('PollService updates and listings', () => {
  it('coalesces a burst of 1,000 votes into a few onChange calls ending with the final tally', async () => {
    const { service, clock, changes } = setup(2000);
    const poll = await service.create(input(), where());
    await Promise.all(Array.from({ length: 1000 }, (_, i) => service.vote(G1, poll.id, `u${i}`, i % 3, [])));
    clock.advance(2000);
    await service.idle();
    await Promise.all(Array.from({ length: 10 }, (_, i) => service.vote(G1, poll.id, `late${i}`, 0, [])));
    clock.advance(2000);
    await service.idle();
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.length).toBeLessThanOrEqual(5);
    expect(changes.at(-1)?.tally).toEqual({ counts: [344, 333, 333], voters: 1010 });
    const settled = changes.length;
    clock.advance(10_000);
    await service.idle();
    expect(changes.length).toBe(settled); // nothing more without new votes
  });

  it('tries a failed message edit again after the interval, with the latest standings', async () => {
    const clock = new FakeClock();
    const store = openStore('memory:', createLogger('silent'));
    const seen: Tally[] = [];
    let failNext = true;
    const service = new PollService({
      repo: new StorePollRepository(store),
      clock,
      logger: createLogger('silent'),
      onChange: (_poll, tally) => {
        if (failNext) {
          failNext = false;
          throw new Error('Discord hiccup');
        }
        seen.push(tally);
      },
      onClose: () => undefined,
    });
    const poll = await service.create(input(), where());
    await service.vote(G1, poll.id, 'u1', 0, []);
    await service.idle();
    expect(seen).toEqual([]); // the leading edit failed
    clock.advance(2000);
    await service.idle();
    expect(seen).toEqual([{ counts: [1, 0, 0], voters: 1 }]);
    await service.stop();
  });

  it('shows votes cast before the message id was known once it arrives', async () => {
    const { service, clock, changes } = setup(2000);
    const poll = await service.create(input(), where());
    await service.vote(G1, poll.id, 'quick', 1, []);
    await service.idle();
    const before = changes.length;
    await service.attachMessage(poll, '900000000000000009');
    clock.advance(2000);
    await service.idle();
    expect(changes.length).toBe(before + 1);
    expect(changes.at(-1)).toMatchObject({ poll: { messageId: '900000000000000009' }, tally: { counts: [0, 1, 0], voters: 1 } });
  });

  it('records the message id and lists polls for autocomplete', async () => {
    const { service, repo } = setup();
    const poll = await service.create(input({ question: 'Best samosa in town?' }), where());
    await service.create(input({ question: `${'Long '.repeat(59)}?` }), where());
    expect(await service.attachMessage(poll, '900000000000000009')).toMatchObject({ messageId: '900000000000000009' });
    expect((await repo.get(G1, poll.id))?.messageId).toBe('900000000000000009');
    expect(await service.search(G1, 'samosa')).toEqual([{ id: poll.id, name: 'Best samosa in town?' }]);
    expect(await service.search(G1, poll.id.slice(0, 4))).toContainEqual({ id: poll.id, name: 'Best samosa in town?' });
    const all = await service.search(G1, '');
    expect(all).toHaveLength(2);
    expect(all.every((c) => c.name.length <= 100)).toBe(true);
    expect(await service.search(G2, '')).toEqual([]);
    await service.close(G1, poll.id, 'member');
    expect(await service.search(G1, 'samosa')).toEqual([]);
    expect(await service.search(G1, 'samosa', { includeClosed: true })).toEqual([{ id: poll.id, name: '[closed] Best samosa in town?' }]);
    expect((await repo.get(G1, poll.id))?.messageId).toBe('900000000000000009');
  });
});

describe('castVote', () => {
  it('acknowledges only after the vote is stored, and explains refusals', async () => {
    const { service, repo } = setup();
    const poll = await service.create(input(), where());
    const acks: string[] = [];
    const ack = async (reply: PollAck) => {
      // By the time the member is answered, the store already has the vote.
      acks.push(`${reply.content} [stored=${String(await repo.getVote(poll.id, 'u1'))}]`);
    };
    const click = (customId: string) => castVote(service, { ...decodeCustomId(customId)!, guildId: G1, userId: 'u1', memberRoleIds: [] }, ack);
    expect(await click(`poll:vote:${poll.id}:1`)).toEqual({ ok: true, kind: 'recorded' });
    await click(`poll:vote:${poll.id}:0`);
    await click(`poll:vote:${poll.id}:0`);
    await click(`poll:retract:${poll.id}`);
    expect(await click(`poll:vote:${poll.id}:7`)).toMatchObject({ ok: false });
    await click('poll:vote:nonsense');
    expect(acks).toEqual([
      'Your vote for **Coffee** is in. Click another answer to change it, or **Retract my vote** to take it back, until the poll closes. [stored=1]',
      'You changed your vote from **Coffee** to **Tea**. Click another answer to change it, or **Retract my vote** to take it back, until the poll closes. [stored=0]',
      'You already voted for **Tea**; nothing changed. Click another answer to change it, or **Retract my vote** to take it back, until the poll closes. [stored=0]',
      'Your vote for **Tea** was retracted. [stored=null]',
      "That answer isn't part of this poll. [stored=null]",
      'That button is no longer active. [stored=null]',
    ]);
  });
});
