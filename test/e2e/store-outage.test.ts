import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import type { DigestSettings } from '../../src/digests/types.js';
import { healAll, inject } from '../helpers/sqlite-faults.js';
import { useJourney } from './harness.js';
import { controlsOf } from '../loopback/index.js';

/**
 * The store fails to read while the bot runs (a lock held too long, a disk error): members get
 * an apology with an error id, never "this does not exist", and nothing stored is overwritten.
 */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-outage-'));
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const APOLOGY = /^Sorry, something went wrong on my side\. .*error id `[0-9a-f]{8}`/;
let news = '';

const j = useJourney({ databaseUrl: `sqlite://${join(dir, 'outage.sqlite')}`, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }] }] }, { dir, afterEach: healAll });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
});

const admin = () => j.loop.member({ username: 'admin', permissions: ADMIN });
const digest = (subcommand: string, options: Record<string, string | boolean> = {}) =>
  j.loop.sendCommand({ name: 'digest', subcommand, options, member: admin(), channelId: news }).waitForReply();

describe('/digest while the store cannot be read', () => {
  it('answers status with an apology and an error id, not "not set up"', async () => {
    inject({ match: /FROM digests/ });
    const reply = await digest('status');
    expect(reply.flags).toBe(64);
    expect(reply.content).toMatch(APOLOGY);
  });

  it('refuses /digest set instead of starting the day count again', async () => {
    const stored: DigestSettings = {
      guildId: j.guildId, channelId: news, time: '09:00', zone: 'Europe/Berlin', thread: false, enabled: true,
      activeSince: 0, daysSent: 5, lastSentDay: '2026-06-09', lastSentAt: 1, sending: null, pollSnapshot: null, lastError: null, skipDay: null, notifyRoleId: null, lastWarning: null,
    };
    await new StoreDigestRepository(j.bot.store).save(stored);
    inject({ match: /FROM digests/ }); // also while the restarted bot loads its schedule
    await j.restart();
    await j.loop.waitForReady();
    const reply = await digest('set', { channel: news, time: '10:00', timezone: 'Europe/Berlin' });
    expect(reply.content).toMatch(APOLOGY);
    healAll();
    expect(await new StoreDigestRepository(j.bot.store).get(j.guildId, news)).toEqual(stored);
  });
});

describe('a poll while the store cannot be read', () => {
  it('tells a voter the vote was not recorded, not that the poll is gone', async () => {
    const poll: APIMessage = await j.loop.sendCommand({ name: 'poll', subcommand: 'start' }).waitForReply();
    inject({ match: /FROM polls/ }); // the restarted bot cannot load it
    await j.restart();
    await j.loop.waitForReady();
    const customId = String(controlsOf(poll)[0]!.custom_id);
    const reply = await j.loop.clickButton({ message: poll, customId }).waitForReply();
    expect(reply.flags).toBe(64);
    expect(reply.content).toMatch(/Your vote was not recorded.*try again.*error id `[0-9a-f]{8}`/i);
    expect(reply.content).not.toMatch(/no longer exists/);
    // The id the member can quote is the one logged with the failure and its context.
    const incident = /error id `([0-9a-f]{8})`/.exec(reply.content)![1];
    const logged = await j.waitForLog((l) => l.msg === 'vote could not be stored' && l.incident === incident);
    expect(logged).toMatchObject({ level: 50, customId, err: { message: expect.stringMatching(/SQLITE_BUSY/) } });
    healAll();
    const again = await j.loop.clickButton({ message: poll, customId }).waitForReply();
    expect(again.content).toMatch(/is in/);
  });

  it('answers /poll results with an apology, not "no longer exists"', async () => {
    const poll: APIMessage = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question: 'Closed?', answers: 'Yes, No' } }).waitForReply();
    const pollId = String(controlsOf(poll)[0]!.custom_id).split(':')[2]!;
    await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: pollId } }).waitForReply();
    inject({ match: /FROM polls/ });
    await j.restart(); // closed polls are not kept in memory across a restart: results must read the store
    await j.loop.waitForReady();
    const reply = await j.loop.sendCommand({ name: 'poll', subcommand: 'results', options: { poll: pollId } }).waitForReply();
    expect(reply.content).toMatch(APOLOGY);
  });
});
