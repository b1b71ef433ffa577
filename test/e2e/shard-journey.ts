import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { registerCommands } from '../../src/deploy.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { openStore } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { controlsOf, type InteractionHandle, type LoopbackGuild, startLoopbackDiscord, titleOf } from '../loopback/index.js';
import { shardOf } from '../loopback/util.js';
import { type BotProcess, exitWithin, startBotProcess } from './child.js';
import { APP_ID, TOKEN } from './harness.js';

/** The database the shard processes share, and what the journey can observe of it. */
export interface SharedStore {
  /** DATABASE_URL of every process (and of the journey's own check afterwards). */
  url: string;
  /** Runs before the first process starts (e.g. to watch the tables). */
  prepare?: () => Promise<void>;
  /** Who wrote each server's records, as the database saw it: guild id → writer → tables written. */
  writers?: () => Promise<Map<string, Map<string, Set<string>>>>;
}

export interface JourneyOptions {
  /** Shard processes, one shard each: SHARD_COUNT=processes, SHARD_IDS=0 … processes-1. */
  processes: number;
  store: SharedStore;
  /** Working directory of the processes. */
  dir: string;
  /** Every process started, so the caller can end them if the journey fails. */
  started: BotProcess[];
}

type Button = { custom_id?: string };
const answerIds = (m: APIMessage) => (controlsOf(m) as Button[]).map((b) => b.custom_id!).filter((id) => id.includes(':vote:'));
/** How each process names itself to PostgreSQL (src/bot.ts): its connections say which process wrote. */
export const writerOf = (shard: number) => `tamasha shards ${shard}`;

/**
 * Real shard processes on one database, two servers per process: each server's interactions go to
 * its owner; a vote burst runs while every process in turn is stopped (SIGTERM) and started again,
 * with every server's digest minute falling during the restarts. Afterwards the store holds exactly
 * the acknowledged votes, each server got one digest, and (where the store can tell) only a
 * server's owner wrote its records.
 */
export async function rollingRestartJourney({ processes, store, dir, started }: JourneyOptions): Promise<string> {
  let summary: string;
  const loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID, guilds: Array.from({ length: 2 * processes }, () => ({})), recommendedShards: processes, rateLimit: { limit: 50, resetAfterMs: 50 } });
  try {
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: 'memory:', logLevel: 'silent', apiUrl: loop.apiUrl, storyDir: 'data' };
    await registerCommands(config, loadStoryPack('data'));
    await store.prepare?.();
    const admin = () => loop.member({ permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    // The processes' clocks run ahead so that a minute begins `lead` from now: after they start and
    // the digests are set, while the processes restart. (The processes' clock is Date.now() + offset.)
    const lead = 6_000 * processes; // 12 s for two, 24 s for four (whose start takes ~20 s on a loaded machine)
    const planned = Math.ceil((Date.now() + lead) / 60_000) * 60_000;
    const offset = planned - lead - Date.now();
    const shardOfProcess = new Map<BotProcess, number>();
    const start = (shard: number) => {
      const env = { DATABASE_URL: store.url, LOG_LEVEL: 'debug', SHARD_COUNT: String(processes), SHARD_IDS: String(shard), TAMASHA_TEST_CLOCK_OFFSET_MS: String(offset) };
      const proc = startBotProcess(loop.apiUrl, dir, env, ['test/fixtures/clock-offset.ts']);
      started.push(proc);
      shardOfProcess.set(proc, shard);
      return proc;
    };
    const owners = Array.from({ length: processes }, (_, shard) => start(shard));
    await Promise.all(owners.map((p) => p.until('tamasha is online')));
    const shardOfGuild = (g: LoopbackGuild) => shardOf(g.id, processes);
    expect(new Set(loop.guilds.map(shardOfGuild)).size).toBe(processes); // every process owns servers

    // A time set after its minute starts tomorrow: when a loaded machine took the lead to start the
    // processes, the digests go to the next minute instead (up to a minute later).
    const digestAt = planned - (Date.now() + offset) >= 5_000 ? planned : Math.ceil((Date.now() + offset + 5_000) / 60_000) * 60_000;
    const hhmm = new Date(digestAt).toISOString().slice(11, 16);
    const handled: Array<{ guild: LoopbackGuild; id: string }> = [];
    for (const guild of loop.guilds) {
      const channel = guild.channelId('general');
      const set = loop.sendCommand({ name: 'digest', subcommand: 'set', guildId: guild.id, channelId: channel, member: admin(), options: { channel, time: hhmm, timezone: 'UTC' } });
      expect((await set.waitForReply()).content).toMatch(/Daily digests are on/);
      handled.push({ guild, id: set.id });
    }
    const polls: APIMessage[] = [];
    for (const guild of loop.guilds) {
      const poll = loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, channelId: guild.channelId('general'), options: { question: 'Sharded?', answers: 'Yes, No' } });
      polls.push(await poll.waitForReply());
      handled.push({ guild, id: poll.id });
    }
    for (const { guild, id } of handled) {
      // Its owner handled it; no other process saw it.
      const owner = owners[shardOfGuild(guild)]!;
      await owner.until(`"interactionId":"${id}"`);
      expect(owners.filter((p) => p.output().includes(id))).toEqual([owner]);
    }

    // A vote burst: each click a new member, round the servers, until every process restarted in turn.
    const clicks: Array<{ guild: number; member: string; handle: InteractionHandle }> = [];
    let undelivered = 0; // sent while the owner was off the gateway: Discord would show "interaction failed"
    let bursting = true;
    const burst = (async () => {
      for (let i = 0; bursting; i++) {
        const g = i % polls.length;
        const member = loop.member({ username: `voter${i}` });
        try {
          clicks.push({ guild: g, member: member.user.id, handle: loop.clickButton({ message: polls[g]!, customId: answerIds(polls[g]!)[i % 2]!, member }) });
        } catch {
          undelivered++;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const restartStarted = Date.now();
    for (let shard = 0; shard < processes; shard++) {
      const old = owners[shard]!;
      old.child.kill('SIGTERM');
      expect(await exitWithin(old, 12_000)).toBe(0);
      owners[shard] = start(shard);
      await owners[shard]!.until('tamasha is online');
    }
    const restartMs = Date.now() - restartStarted;
    const digestFrom = (digestAt - offset - restartStarted) / 1000; // the digest minute, seconds after the restarts began
    bursting = false;
    await burst;

    const answers = await Promise.all(clicks.map((c) => c.handle.waitForReply(3_000).then((m) => m.content ?? '', () => 'no answer')));
    const acked = clicks.filter((_, i) => /^Your vote for .* is in\./.test(answers[i]!));
    expect(acked.length).toBeGreaterThan(10 * processes);
    // The rest were told "restarting", or reached a process as it left the gateway and got no answer
    // (Discord would show "interaction failed"): neither is an acknowledged vote.
    expect(answers.every((a) => /^Your vote for .* is in\.|restarting|no answer/i.test(a))).toBe(true);

    // Each server gets its digest from whichever owner is up at (or after) the digest minute.
    const digestWait = Math.max(0, digestAt - (Date.now() + offset)) + 20_000;
    for (const guild of loop.guilds) await loop.waitForMessage((m) => m.channel_id === guild.channelId('general') && titleOf(m).startsWith('Day 1'), digestWait);
    for (const p of owners) p.child.kill('SIGTERM');
    expect(await Promise.all(owners.map((p) => exitWithin(p, 12_000)))).toEqual(owners.map(() => 0));
    // Each acknowledged vote was handled by one process, one of its server's shard (old or new); read
    // once every process has exited, as a log line may still be on its way after the reply.
    await Promise.all(started.map((p) => new Promise<void>((done) => (!p.child.stdout || p.child.stdout.closed ? done() : p.child.stdout.once('close', () => done())))));
    const handledBy = new Map<string, number[]>();
    for (const p of started) {
      const ids = new Set([...p.output().matchAll(/"interactionId":"(\d+)"/g)].map((m) => m[1]!));
      for (const id of ids) handledBy.set(id, [...(handledBy.get(id) ?? []), shardOfProcess.get(p)!]);
    }
    const misrouted = acked.map((c) => ({ vote: c.handle.id, owner: [shardOfGuild(loop.guilds[c.guild]!)], handledBy: handledBy.get(c.handle.id) }));
    expect(misrouted.filter((v) => String(v.handledBy) !== String(v.owner))).toEqual([]);

    const check = openStore(store.url, createLogger('silent'));
    try {
      const repo = new StorePollRepository(check);
      for (const [g, poll] of polls.entries()) {
        const stored = [...(await repo.votesOf(answerIds(poll)[0]!.split(':')[2]!)).keys()].sort();
        // The store holds exactly the acknowledged votes: none lost, none extra, none doubled.
        expect(stored).toEqual(acked.filter((c) => c.guild === g).map((c) => c.member).sort());
      }
      for (const guild of loop.guilds) {
        // One digest per server for the day: one message in its digest channel, one day counted.
        expect(loop.messagesIn(guild.channelId('general')).filter((m) => titleOf(m).startsWith('Day'))).toHaveLength(1);
        expect(await new StoreDigestRepository(check).get(guild.id, guild.channelId('general'))).toMatchObject({ daysSent: 1, lastError: null });
      }
    } finally {
      await check.close();
    }
    if (store.writers) {
      const writers = await store.writers();
      // Every record written belongs to one of the servers (a record it cannot place is a failure).
      expect([...writers.keys()].filter((id) => !loop.guilds.some((g) => g.id === id))).toEqual([]);
      for (const guild of loop.guilds) {
        // Only the owner wrote the server's polls, votes and digest record, and it wrote each of them.
        const byWriter = writers.get(guild.id) ?? new Map<string, Set<string>>();
        expect([...byWriter.keys()]).toEqual([writerOf(shardOfGuild(guild))]);
        for (const table of ['polls', 'votes', 'digests']) expect(byWriter.get(writerOf(shardOfGuild(guild)))?.has(table)).toBe(true);
      }
    }
    loop.assertNoViolations();
    const unanswered = answers.filter((a) => a === 'no answer').length;
    summary = `${processes} processes: restarting all took ${(restartMs / 1000).toFixed(1)} s, the digest minute began ${digestFrom.toFixed(1)} s into them; ${clicks.length} clicks delivered, ${acked.length} acknowledged, ${unanswered} unanswered, ${undelivered} not delivered (owner off the gateway)`;
  } catch (error) {
    // Stop the processes first: the loopback refuses to close under connected sessions, and that
    // complaint must not hide this failure.
    for (const p of started) {
      const lines = p.output().split('\n').filter((l) => !l.includes('"msg":"handled"'));
      console.error(`--- shard process ${p.child.pid}, the end of its output (without "handled" lines):\n${lines.join('\n').slice(-3000)}`);
    }
    const left = started.filter((p) => p.child.exitCode === null);
    for (const p of left) p.child.kill('SIGTERM');
    await Promise.all(left.map((p) => exitWithin(p, 12_000).catch(() => undefined)));
    await loop.close().catch(() => undefined);
    throw error;
  }
  await loop.close();
  return summary;
}
