import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { healAll, inject } from '../helpers/sqlite-faults.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

/**
 * A digest whose record could not be written after it was posted: /digest status says so (and
 * that it is not posted again), and the record catches up once the store is back.
 */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-digest-bookkeeping-'));
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const APOLOGY = /^Sorry, something went wrong on my side\. .*error id `[0-9a-f]{8}`/;
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let news = '';

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'bookkeeping.sqlite')}`, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }] }] }, { dir, afterEach: healAll });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
});

const digest = (subcommand: string, options: Record<string, string | boolean> = {}) =>
  j.loop.sendCommand({ name: 'digest', subcommand, options, member: j.loop.member({ username: 'admin', permissions: ADMIN }), channelId: news }).waitForReply();
const shown = (reply: Awaited<ReturnType<typeof digest>>): string => `${reply.content}\n${textOf(reply)}`;

describe('/digest status and the digest record', () => {
  it('shows a record that failed after the digest was posted, and not after the store is back', async () => {
    await digest('set', { channel: news, time: '09:00', timezone: 'Europe/Berlin' });
    // The claim on the day (the first write) goes through; recording the sent digest fails.
    inject({ match: /^UPDATE digests SET/, skip: 1 });
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    await j.loop.waitForMessage((m) => m.channel_id === news && titleOf(m).startsWith('Day 1'));
    await j.bot.ctx.digests.idle();
    const status = shown(await digest('status', { channel: news }));
    expect(status).toContain('Storage problem');
    expect(status).toMatch(/the 2026-06-10 digest is done, but recording it failed .*never the post/);

    healAll();
    await vi.waitFor(async () => {
      clock.advance(60_000);
      await j.bot.ctx.digests.idle();
      expect((await j.bot.ctx.digests.get(j.guildId, news))?.recordPending ?? null).toBeNull();
    });
    const after = shown(await digest('status', { channel: news }));
    expect(after).not.toContain('Storage problem');
    expect(j.loop.messagesIn(news).filter((m) => titleOf(m).startsWith('Day'))).toHaveLength(1);
  });

  it('answers status with an apology and an error id while the store cannot be read, and answers again after', async () => {
    inject({ match: /FROM digests/ });
    const reply = await digest('status');
    expect(reply.flags).toBe(64);
    expect(reply.content).toMatch(APOLOGY);
    healAll();
    expect(shown(await digest('status'))).toContain(`<#${news}>`);
  });
});
