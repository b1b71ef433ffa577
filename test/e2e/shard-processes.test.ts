import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { registerCommands } from '../../src/deploy.js';
import { DigestRepository } from '../../src/digests/repository.js';
import { createLogger } from '../../src/logger.js';
import { PollRepository } from '../../src/polls/repository.js';
import { openStore } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { type InteractionHandle, type Loopback, type LoopbackGuild, startLoopbackDiscord } from '../loopback/index.js';
import { shardOf } from '../loopback/util.js';
import { type BotProcess, exitWithin, startBotProcess } from './child.js';
import { APP_ID, TOKEN } from './harness.js';

/** Real shard processes (SHARD_COUNT / SHARD_IDS, and `npm run shards`) on one SQLite file. */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-shard-procs-'));
let loop: Loopback;
const procs: BotProcess[] = [];
const admin = () => loop.member({ permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
type Row = { components: Array<{ custom_id?: string }> };
const answerIds = (m: APIMessage) => (m.components as Row[])[0]!.components.map((b) => b.custom_id!);

beforeAll(async () => {
  loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID, guilds: [{}, {}], recommendedShards: 2, rateLimit: { limit: 50, resetAfterMs: 50 } });
  const config: Config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: 'memory:', logLevel: 'silent', apiUrl: loop.apiUrl, storyDir: 'data' };
  await registerCommands(config, loadStoryPack('data'));
});
afterEach(async () => {
  // A failed test leaves processes running: end them (npm run shards' children follow their parent).
  const left = procs.splice(0).filter((p) => p.child.exitCode === null);
  for (const p of left) p.child.kill('SIGTERM');
  await Promise.all(left.map((p) => exitWithin(p, 12_000).catch(() => undefined)));
  loop.assertNoViolations();
});
afterAll(async () => {
  await loop.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = (env: Record<string, string>, entry?: string) => {
  const proc = startBotProcess(loop.apiUrl, dir, env, ['test/fixtures/clock-offset.ts'], entry);
  procs.push(proc);
  return proc;
};

describe('two shard processes, SHARD_IDS=0 and SHARD_IDS=1 of SHARD_COUNT=2, on one SQLite file', () => {
  it('each answers its own server; a rolling restart during a vote burst loses and doubles no vote; one digest per server', async () => {
    // The processes' clocks run ahead so that a digest minute falls ~12 s from now (during the restarts).
    const digestAt = Math.ceil((Date.now() + 12_000) / 60_000) * 60_000;
    const offset = digestAt - 12_000 - Date.now();
    const hhmm = new Date(digestAt).toISOString().slice(11, 16);
    const file = join(dir, 'two.sqlite');
    const envOf = (shard: number) => ({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'debug', SHARD_COUNT: '2', SHARD_IDS: String(shard), TAMASHA_TEST_CLOCK_OFFSET_MS: String(offset) });
    const owners = [start(envOf(0)), start(envOf(1))];
    await Promise.all(owners.map((p) => p.until('tamasha is online')));
    const ownerOf = (g: LoopbackGuild) => owners[shardOf(g.id, 2)]!;

    const polls: APIMessage[] = [];
    for (const guild of loop.guilds) {
      const channel = guild.channelId('general');
      const set = loop.sendCommand({ name: 'digest', subcommand: 'set', guildId: guild.id, channelId: channel, member: admin(), options: { channel, time: hhmm, timezone: 'UTC' } });
      expect((await set.waitForReply()).content).toMatch(/Daily digests are on/);
      const poll = loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, channelId: channel, options: { question: 'Sharded?', answers: 'Yes, No' } });
      polls.push(await poll.waitForReply());
      // The owner handled both; the other process never saw them.
      for (const id of [set.id, poll.id]) {
        await ownerOf(guild).until(`"interactionId":"${id}"`);
        expect(owners.filter((p) => p.output().includes(id))).toEqual([ownerOf(guild)]);
      }
    }

    // A vote burst: each click a new member, alternating servers, until both processes restarted in turn.
    const clicks: Array<{ guild: number; member: string; handle: InteractionHandle }> = [];
    let undelivered = 0; // sent while the owner was off the gateway: Discord would show "interaction failed"
    let bursting = true;
    const burst = (async () => {
      for (let i = 0; bursting; i++) {
        const g = i % 2;
        const member = loop.member({ username: `voter${i}` });
        try {
          clicks.push({ guild: g, member: member.user.id, handle: loop.clickButton({ message: polls[g]!, customId: answerIds(polls[g]!)[i % 2]!, member }) });
        } catch {
          undelivered++;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    for (const shard of [0, 1]) {
      const old = owners[shard]!;
      old.child.kill('SIGTERM');
      expect(await exitWithin(old, 12_000)).toBe(0);
      owners[shard] = start(envOf(shard));
      await owners[shard].until('tamasha is online');
    }
    bursting = false;
    await burst;

    const answers = await Promise.all(clicks.map((c) => c.handle.waitForReply(3_000).then((m) => m.content ?? '', () => 'no answer')));
    const acked = clicks.filter((_, i) => /^Your vote for .* is in\./.test(answers[i]!));
    expect(acked.length).toBeGreaterThan(20);
    // The rest were told "restarting", or reached a process as it left the gateway and got no answer
    // (Discord would show "interaction failed"): neither is an acknowledged vote.
    expect(answers.every((a) => /^Your vote for .* is in\.|restarting|no answer/i.test(a))).toBe(true);

    // Every digest minute has passed; each server got exactly one digest, from whichever owner was up.
    for (const guild of loop.guilds) await loop.waitForMessage((m) => m.channel_id === guild.channelId('general') && (m.embeds[0]?.title ?? '').startsWith('Day 1'), 20_000);
    for (const p of owners) p.child.kill('SIGTERM');
    expect(await Promise.all(owners.map((p) => exitWithin(p, 12_000)))).toEqual([0, 0]);

    const store = openStore(`sqlite://${file}`, createLogger('silent'));
    const repo = new PollRepository(store);
    for (const [g, poll] of polls.entries()) {
      const stored = [...(await repo.votesOf(answerIds(poll)[0]!.split(':')[2]!)).keys()].sort();
      // The store holds exactly the acknowledged votes: none lost, none extra, none doubled.
      expect(stored).toEqual(acked.filter((c) => c.guild === g).map((c) => c.member).sort());
    }
    for (const guild of loop.guilds) {
      expect(loop.messagesIn(guild.channelId('general')).filter((m) => (m.embeds[0]?.title ?? '').startsWith('Day'))).toHaveLength(1);
      expect(await new DigestRepository(store).get(guild.id, guild.channelId('general'))).toMatchObject({ daysSent: 1, lastError: null });
    }
    await store.close();
    const unanswered = answers.filter((a) => a === 'no answer').length;
    console.log(`rolling restart: ${clicks.length} clicks delivered, ${acked.length} acknowledged, ${unanswered} unanswered, ${undelivered} not delivered (owner off the gateway)`);
  }, 120_000); // four real process starts: over 60 s when two whole suites ran at once on the 2 cores
});

describe('npm run shards: one command, one child process per shard', () => {
  it('asks DISCORD_API_URL for the shard count, starts a child per shard, starts one again when it exits, and stops them all on SIGTERM', async () => {
    const file = join(dir, 'manager.sqlite');
    const manager = start({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'info' }, 'src/shards.ts');
    const online = () => [...manager.output().matchAll(/"guilds":(\d+)[^\n]*tamasha is online/g)].map((m) => Number(m[1]));
    await waitFor(() => online().length === 2, 'both children online', 40_000);
    expect(manager.output()).toContain('"shardCount":2');
    expect(loop.sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(online()).toEqual([1, 1]); // each child owns one server: its own shard's
    for (const guild of loop.guilds) {
      expect((await loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, options: { question: 'Managed?', answers: 'Yes, No' } }).waitForReply()).content ?? '').toBe('');
    }

    const pids = [...manager.output().matchAll(/"shard":(\d),"pid":(\d+)/g)].map((m) => ({ shard: Number(m[1]), pid: Number(m[2]) }));
    expect(pids.map((p) => p.shard).sort()).toEqual([0, 1]);
    process.kill(pids[0]!.pid, 'SIGKILL');
    await manager.until(`"shard":${pids[0]!.shard},"exitCode"`);
    await waitFor(() => online().length === 3, 'the child to be started again');
    const guild = loop.guilds.find((g) => shardOf(g.id, 2) === pids[0]!.shard)!;
    expect((await loop.sendCommand({ name: 'story', subcommand: 'summary', guildId: guild.id }).waitForReply()).embeds).toHaveLength(1);

    manager.child.kill('SIGTERM');
    expect(await exitWithin(manager, 15_000)).toBe(0);
    expect(manager.output()).toContain('every shard process stopped');
    for (const pid of [...manager.output().matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]))) expect(alive(pid)).toBe(false);
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
