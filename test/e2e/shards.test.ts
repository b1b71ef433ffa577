import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, startBot } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { registerCommands } from '../../src/deploy.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import { createLogger } from '../../src/logger.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { type Loopback, startLoopbackDiscord, titleOf } from '../loopback/index.js';
import { APP_ID, TOKEN } from './harness.js';

/** Two bot processes (shards 0 and 1 of 2) sharing one SQLite store, as a sharded deployment runs. */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-shards-'));
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let loop: Loopback;
let config: Config;
let bots: Bot[] = [];

const boot = async () => {
  bots = await Promise.all([0, 1].map((shard) => startBot(config, createLogger('silent'), { clock, shards: [shard], shardCount: 2 })));
  await loop.waitForReady(2);
};
const stopAll = async () => {
  for (const bot of bots) await bot.stop();
  bots = [];
};

beforeAll(async () => {
  loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID, guilds: [{}, {}] });
  config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: `sqlite://${join(dir, 'shared.sqlite')}`, logLevel: 'silent', apiUrl: loop.apiUrl, storyDir: 'data' };
  await registerCommands(config, loadStoryPack('data'));
  await boot();
});
afterEach(() => loop.assertNoViolations());
afterAll(async () => {
  await stopAll();
  await loop.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two shards on one store', () => {
  it('each own one of the two servers', () => {
    expect(bots.map((b) => [...b.client.guilds.cache.keys()]).flat().sort()).toEqual(loop.guilds.map((g) => g.id).sort());
    expect(bots.every((b) => b.client.guilds.cache.size === 1)).toBe(true);
  });

  it('send each server\'s digest exactly once, from the shard that owns it, also after a restart', async () => {
    const admin = loop.member({ permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    for (const guild of loop.guilds) {
      const channel = guild.channelId('general');
      const reply = await loop.sendCommand({ name: 'digest', subcommand: 'set', guildId: guild.id, channelId: channel, member: admin, options: { channel, time: '09:00', timezone: 'Europe/Berlin' } }).waitForReply();
      expect(reply.content).toMatch(/Daily digests are on/);
    }
    await stopAll();
    await boot(); // both processes now load their settings from the shared store
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    for (const guild of loop.guilds) {
      await loop.waitForMessage((m) => m.channel_id === guild.channelId('general') && titleOf(m).startsWith('Day 1'));
    }
    clock.advance(3_600_000);
    await Promise.all(bots.map((b) => b.ctx.digests.idle()));
    for (const guild of loop.guilds) {
      expect(loop.messagesIn(guild.channelId('general')).filter((m) => titleOf(m).startsWith('Day'))).toHaveLength(1);
      // No process tried (and failed) to send for a server it does not own.
      const stored = await new StoreDigestRepository(bots[0]!.store).get(guild.id, guild.channelId('general'));
      expect(stored).toMatchObject({ daysSent: 1, lastError: null });
    }
  });

  it('close a poll whose deadline passed while both were down exactly once', async () => {
    const guild = loop.guilds[1]!;
    const poll = await loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, options: { question: 'Sharded?', answers: 'Yes, No', duration: '1h' } }).waitForReply();
    await stopAll();
    clock.advance(2 * 3_600_000);
    await boot();
    await loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    // boot() resolves once both processes have loaded their polls and closed what was due: a second
    // results post, from either process, would already be there.
    expect(loop.messagesIn(poll.channel_id).filter((m) => m.message_reference?.message_id === poll.id)).toHaveLength(1);
  });
});
