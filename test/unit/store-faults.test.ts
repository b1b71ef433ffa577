import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { castVote } from '../../src/polls/flow.js';
import { type PollRepository, StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { healAll, inject, readOnlyEverywhere, scratchSqlite } from '../helpers/sqlite-faults.js';

/** The real SQLite store failing under the vote path: what members are told, and what is kept. */
const scratch = scratchSqlite('faults');

const GUILD = '100000000000000001';
const NOT_RECORDED = /Your vote was not recorded.*try again.*error id `[0-9a-f]{8}`/i;

async function setup(busyTimeoutMs?: number) {
  const file = scratch.file();
  const store = openStore(`sqlite://${file}`, createLogger('silent'), busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  scratch.track(store);
  const repo = new StorePollRepository(store);
  // The repository opened its five collections; their start-up writes (CREATE TABLE) are done
  // before a test counts on a short busy timeout or holds the write lock itself.
  await store.ready();
  const service = new PollService({ repo, clock: new FakeClock(), logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
  const poll = await service.create({ question: 'Kept?', answers: 'Yes, No', duration: '1h' }, { guildId: GUILD, channelId: '1', creatorId: '2' });
  /** Casts one vote per member at once, the way a burst of clicks arrives; returns each member's ack. */
  const burst = async (members: number) => {
    const acks = new Map<string, string>();
    await Promise.all(
      Array.from({ length: members }, (_, i) =>
        castVote(service, { action: 'vote', args: [poll.id, String(i % 2)], guildId: GUILD, userId: `u${i}`, memberRoleIds: [] }, (reply) => {
          acks.set(`u${i}`, reply.content);
        }),
      ),
    );
    return acks;
  };
  return { file, store, repo, service, poll, burst };
}

/** Every member told "is in" has a stored vote, and every stored vote was acknowledged as such. */
async function expectAcksMatchStore(repo: PollRepository, pollId: string, acks: Map<string, string>): Promise<void> {
  const stored = await repo.votesOf(pollId);
  const told = [...acks].filter(([, text]) => /is in/.test(text)).map(([user]) => user);
  expect([...stored.keys()].sort()).toEqual(told.sort());
}

describe('the SQLite store when a read fails', () => {
  it('throws instead of answering "not found"', async () => {
    const { store } = await setup();
    const settings = store.collection<string>('settings');
    await settings.set('guild:1', 'kept');
    inject({ match: /^SELECT \* FROM settings/, code: 'SQLITE_BUSY' });
    await expect(settings.get('guild:1')).rejects.toThrow(/SQLITE_BUSY/);
    healAll();
    expect(await settings.get('guild:1')).toBe('kept');
  });
});

describe('a group commit that fails', () => {
  it('tells every waiting member their vote was not recorded, and stores none of them', async () => {
    const { repo, service, poll, burst } = await setup();
    const { fault } = inject({ match: /^INSERT INTO votes/, code: 'SQLITE_IOERR' });
    const acks = await burst(40);
    expect(fault.hits).toBe(1); // one statement carried all 40: they shared the commit and its failure
    expect([...acks.values()].every((text) => NOT_RECORDED.test(text))).toBe(true);
    healAll();
    expect((await repo.votesOf(poll.id)).size).toBe(0);
    expect((await service.tally(poll)).voters).toBe(0);
  });

  it('fails only the rows of the statement that failed when a burst needs several', async () => {
    const { repo, poll, burst } = await setup();
    // 600 votes, each written with its cast time beside it (/poll export): 1,200 rows, in order vote
    // by vote, go out as three statements (500 + 500 + 200); the second one fails: its 250 votes.
    inject({ match: /^INSERT INTO votes/, code: 'SQLITE_FULL', skip: 1, times: 1 });
    const acks = await burst(600);
    const notRecorded = [...acks.values()].filter((text) => NOT_RECORDED.test(text)).length;
    expect(notRecorded).toBe(250);
    await expectAcksMatchStore(repo, poll.id, acks);
  });
});

describe('a busy or read-only database during a run', () => {
  it('the real database turned read-only mid-run (query_only on the store\'s own connections): every waiting vote is told, none acknowledged or stored', async () => {
    const { repo, service, poll, burst } = await setup();
    await service.vote(GUILD, poll.id, 'early', 1, []); // before: stored, and every connection has been used
    const writable = await readOnlyEverywhere();
    const acks = await burst(20);
    await expect(service.vote(GUILD, poll.id, 'late', 0, [])).rejects.toThrow(/SQLITE_READONLY/); // SQLite's own refusal, not an injected one
    await writable();
    expect(acks.size).toBe(20);
    expect([...acks.values()].every((text) => NOT_RECORDED.test(text))).toBe(true);
    expect([...(await repo.votesOf(poll.id)).entries()]).toEqual([['early', 1]]);
    expect((await service.tally(poll)).voters).toBe(1);
    // Writable again: the same members' votes go in.
    const again = await burst(3);
    expect([...again.values()].every((text) => /is in/.test(text))).toBe(true);
    expect((await repo.votesOf(poll.id)).size).toBe(4);
  });

  it('SQLITE_BUSY past the busy timeout: the vote is refused and the member told, then a retry succeeds', async () => {
    const { file, repo, poll, burst } = await setup(100);
    // Nothing of the store's holds the write lock now (setup awaited its start-up and its writes),
    // so the lock is taken at once, without a busy timeout to hide a statement that kept it.
    const locker = new sqlite3.Database(file);
    await new Promise<void>((ok, fail) => locker.exec('BEGIN IMMEDIATE', (e) => (e ? fail(e) : ok())));
    const acks = await burst(3); // waits the 100 ms busy timeout, then fails: the lock is still held
    await new Promise<void>((ok) => locker.exec('ROLLBACK', () => locker.close(() => ok())));
    expect([...acks.values()].every((text) => NOT_RECORDED.test(text))).toBe(true);
    await expectAcksMatchStore(repo, poll.id, acks);
    const again = await burst(3);
    expect([...again.values()].every((text) => /is in/.test(text))).toBe(true);
    await expectAcksMatchStore(repo, poll.id, again);
  });

  it('a read-only database: every vote is refused with "not recorded"; nothing is acknowledged', async () => {
    const { repo, poll, burst } = await setup();
    inject({ match: /^INSERT INTO/, code: 'SQLITE_READONLY' });
    const acks = await burst(10);
    expect([...acks.values()].every((text) => NOT_RECORDED.test(text))).toBe(true);
    healAll();
    await expectAcksMatchStore(repo, poll.id, acks);
  });

  it('a retraction the store refuses: "not retracted", with an error id', async () => {
    const { service, poll, burst } = await setup();
    await burst(1);
    inject({ match: /^(INSERT INTO|DELETE FROM) votes/, code: 'SQLITE_READONLY' });
    let told = '';
    const outcome = await castVote(service, { action: 'retract', args: [poll.id], guildId: GUILD, userId: 'u0', memberRoleIds: [] }, (reply) => {
      told = reply.content;
    });
    expect(told).toMatch(/Your vote was not retracted.*try again.*error id `([0-9a-f]{8})`/i);
    expect(outcome).toMatchObject({ ok: false, incident: /error id `([0-9a-f]{8})`/.exec(told)![1] });
  });
});
