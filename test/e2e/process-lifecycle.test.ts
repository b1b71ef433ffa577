import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { openStore } from '../../src/storage/store.js';
import { controlsOf, type Loopback, startLoopbackDiscord } from '../loopback/index.js';
import { type BotProcess, exitWithin, startBotProcess } from './child.js';
import { APP_ID, TOKEN } from './harness.js';

// Real processes: starting one takes seconds on a loaded machine. These bound a hung test only; the
// promises under test (exit within 10 s of SIGTERM, …) are asserted from the moment they start.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** The real process under SIGTERM and under a gateway close discord.js will not retry. */
let loop: Loopback;
let proc: BotProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-lifecycle-'));
let n = 0;

beforeAll(async () => {
  loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
});
afterEach(() => {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  proc = undefined;
});
afterAll(async () => {
  await loop.close();
  rmSync(dir, { recursive: true, force: true });
});

type Button = { custom_id?: string; label?: string };
const firstAnswer = (m: APIMessage) => (controlsOf(m) as Button[])[0]!.custom_id!;

/** Starts the bot with every vote write held, starts a poll and clicks a vote: that vote is in flight. */
async function botWithVoteInFlight() {
  const file = join(dir, `bot-${n++}.sqlite`);
  proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${file}` }, ['test/fixtures/hold-vote-writes.ts']);
  await proc.until('tamasha is online');
  const poll = await loop.sendCommand({ name: 'poll', subcommand: 'start' }).waitForReply();
  const alice = loop.member({ username: 'alice' });
  const vote = loop.clickButton({ message: poll, customId: firstAnswer(poll), member: alice });
  await proc.until('fault: holding a vote write');
  return { file, poll, alice, vote, proc };
}

describe('shutting down on SIGTERM', () => {
  it('answers new interactions "restarting", lets the vote in flight finish and be stored, then exits 0', async () => {
    const { file, poll, alice, vote, proc } = await botWithVoteInFlight();
    proc.child.kill('SIGTERM');
    await proc.until('"signal":"SIGTERM"');
    const late = await loop.sendCommand({ name: 'story', subcommand: 'summary' }).waitForReply();
    expect(late.flags).toBe(64);
    expect(late.content).toMatch(/restarting.*try again in a moment/i);
    proc.child.kill('SIGUSR2'); // the store answers: the held vote is written
    expect((await vote.waitForReply()).content).toMatch(/Your vote for .* is in/);
    expect(await exitWithin(proc, 10_000)).toBe(0);
    const store = openStore(`sqlite://${file}`, createLogger('silent'));
    const pollId = firstAnswer(poll).split(':')[2]!;
    expect([...(await new StorePollRepository(store).votesOf(pollId)).keys()]).toEqual([alice.user.id]);
    await store.close();
  });

  it('exits non-zero within 10 s when something hangs, saying so', async () => {
    const { proc } = await botWithVoteInFlight(); // and the store never answers
    const signalled = Date.now();
    proc.child.kill('SIGTERM');
    expect(await exitWithin(proc, 12_000)).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(proc.output()).toMatch(/shutdown did not finish in time/);
  });

  it('exits non-zero within 10 s when start-up itself hangs (the store never answers the first read)', async () => {
    proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${join(dir, `held-start-${n++}.sqlite`)}` }, ['test/fixtures/hold-store-reads.ts']);
    await proc.until('tamasha is online'); // logged in; loading the open polls is still under way
    await proc.until('fault: holding a store read');
    const signalled = Date.now();
    proc.child.kill('SIGTERM');
    expect(await exitWithin(proc, 12_000)).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(proc.output()).toMatch(/shutdown did not finish in time/);
  });
});

describe('a gateway close that discord.js will not retry', () => {
  it.each([
    [4004, /token/i],
    [4014, /intent/i],
  ])('close %i ends the process with a clear log line and exit code 1', async (code, words) => {
    proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${join(dir, `gw-${code}.sqlite`)}` });
    await proc.until('tamasha is online');
    expect(loop.closeGateway(code)).toBe(1);
    expect(await exitWithin(proc, 10_000)).toBe(1);
    const fatal = proc
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; code?: number })
      .find((l) => l.level === 60);
    expect(fatal?.code).toBe(code);
    expect(fatal?.msg).toMatch(words);
  });

  it('close 4013 while logging in (before READY): one sentence naming it, and exit code 1', async () => {
    loop.refuseIdentify(4013, 'Invalid intent(s).');
    try {
      proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${join(dir, 'gw-login.sqlite')}` });
      expect(await exitWithin(proc, 30_000)).toBe(1);
    } finally {
      loop.refuseIdentify(undefined);
    }
    expect(proc.output()).toContain('tamasha cannot start: Discord closed the gateway because the requested intents are invalid (4013)');
    expect(proc.output()).not.toContain('tamasha is online');
    expect(proc.output()).not.toMatch(/\n\s+at |Unhandled/);
  });
});

describe('an error nothing catches', () => {
  it.each([
    ['unhandledRejection', 'test/fixtures/reject-on-signal.ts', 'injected failure nobody catches'],
    ['uncaughtException', 'test/fixtures/throw-on-signal.ts', 'injected exception nobody catches'],
  ])('%s is logged as JSON with its origin, and the process exits 1', async (origin, fixture, message) => {
    proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${join(dir, `crash-${origin}.sqlite`)}` }, [fixture]);
    await proc.until('tamasha is online');
    proc.child.kill('SIGUSR2');
    expect(await exitWithin(proc, 10_000)).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines.every((l) => l.startsWith('{'))).toBe(true); // no raw stack printed by Node
    const fatal = lines.map((l) => JSON.parse(l) as { level: number; origin?: string; err?: { message?: string } }).find((l) => l.level === 60);
    expect(fatal?.origin).toBe(origin);
    expect(fatal?.err?.message).toBe(message);
  });
});
