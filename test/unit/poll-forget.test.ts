import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import { COLLECTIONS } from '../../src/storage/keys.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { inject, scratchSqlite } from '../helpers/sqlite-faults.js';

/**
 * /verdict forget on a closed poll moves the member's ballot under an id that names no one, then
 * deletes the member's keys: two steps, so a crash between them leaves both. Issue 8's rule: no
 * stored vote is lost or doubled, whatever the crash and however often forget is tried again.
 */
const scratch = scratchSqlite('forget');

const GUILD = '100000000000000001';
const CAROL = '200000000000000002';
const DAVE = '200000000000000003';

function boot(file: string) {
  const store = scratch.track(openStore(`sqlite://${file}`, createLogger('silent')));
  const repo = new StorePollRepository(store);
  const service = new PollService({ repo, clock: new FakeClock(), logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
  return { store, repo, service };
}

/** Every key of the votes table that names the member (her vote or its cast time). */
async function keysNaming(store: Store, userId: string): Promise<string[]> {
  return (await store.collection<unknown>(COLLECTIONS.votes).entries('')).map(([key]) => key).filter((key) => key.includes(userId));
}

/** A closed poll carol and dave voted in (carol: Yes, dave: No). */
async function closedPoll(file: string) {
  const { service } = boot(file);
  const poll = await service.create({ question: 'Was it a leak?', answers: 'Yes, No', duration: '1h' }, { guildId: GUILD, channelId: '1', creatorId: DAVE });
  await service.vote(GUILD, poll.id, CAROL, 0, []);
  await service.vote(GUILD, poll.id, DAVE, 1, []);
  await service.end(GUILD, poll.id, DAVE, true);
  await service.stop();
  return poll;
}

/**
 * A closed poll, then /verdict forget on a process whose store fails the statements `match` names
 * (as a crash at that point would leave it), then another process on the same file.
 */
async function forgetFailedAt(match: RegExp) {
  const file = scratch.file();
  const poll = await closedPoll(file);
  const crashed = boot(file);
  const { heal } = inject({ match });
  await expect(crashed.service.forgetMember(GUILD, CAROL)).rejects.toThrow();
  heal();
  await crashed.service.stop();
  return { poll, after: boot(file) };
}

describe('/verdict forget in a closed poll', () => {
  it('counts the ballot once when the process died between the anonymous copy and the delete, and once after forget is tried again', async () => {
    // The crash: the anonymous copy is written, the member's keys are not deleted. Then a recount on
    // another process: results, /poll results, export, the digest all read these.
    const { poll, after } = await forgetFailedAt(/^DELETE FROM votes/);
    expect(await keysNaming(after.store, CAROL)).not.toEqual([]); // the delete did not happen
    expect((await after.repo.votesOf(poll.id)).size).toBe(2);
    expect((await after.service.tally(await after.service.get(GUILD, poll.id))).counts).toEqual([1, 1]);
    expect((await after.repo.castVotes(poll.id)).map((v) => v.answers).sort()).toEqual([[0], [1]]);

    // Forget tried again (twice): still one ballot of hers, and nothing names her.
    await after.service.forgetMember(GUILD, CAROL);
    await after.service.forgetMember(GUILD, CAROL);
    expect(await keysNaming(after.store, CAROL)).toEqual([]);
    const votes = await after.repo.votesOf(poll.id);
    expect(votes.size).toBe(2);
    expect([...votes.values()].sort()).toEqual([0, 1]);
    expect((await after.service.tally(await after.service.get(GUILD, poll.id))).counts).toEqual([1, 1]);
  });

  it('a forget that failed before the anonymous copy keeps the member’s ballot, counted once', async () => {
    const { poll, after } = await forgetFailedAt(/^INSERT INTO votes/);
    expect([...(await after.repo.votesOf(poll.id)).entries()].sort()).toEqual([
      [CAROL, 0],
      [DAVE, 1],
    ]);
    await after.service.forgetMember(GUILD, CAROL);
    expect(await keysNaming(after.store, CAROL)).toEqual([]);
    expect([...(await after.repo.votesOf(poll.id)).values()].sort()).toEqual([0, 1]);
  });

  it('two processes that forget the same member at once agree on one anonymous id', async () => {
    const file = scratch.file();
    const poll = await closedPoll(file);
    const [a, b] = [boot(file), boot(file)];
    await Promise.all([a.service.forgetMember(GUILD, CAROL), b.service.forgetMember(GUILD, CAROL)]);
    expect(await keysNaming(a.store, CAROL)).toEqual([]);
    expect([...(await boot(file).repo.votesOf(poll.id)).values()].sort()).toEqual([0, 1]);
  });
});
