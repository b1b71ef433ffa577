import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { fieldsOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

const EPHEMERAL = 64;
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
// 2026-06-10 06:00 UTC = 08:00 in Berlin: an hour before a 09:00 digest.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let general = '';
let news = '';

const j = useJourney({
    clock,
    guilds: [{ channels: [{ name: 'general' }, { name: 'news', type: 5 }, { name: 'locked' }, { name: 'doomed' }, { name: 'voice', type: 2 }] }],
  });
beforeAll(async () => {
  general = j.loop.guilds[0]!.channelId('general');
  news = j.loop.guilds[0]!.channelId('news');
});

const admin = () => j.loop.member({ username: 'admin', permissions: ADMIN });
const digest = (subcommand: string, options: Record<string, string | boolean> = {}, member = admin()) =>
  j.loop.sendCommand({ name: 'digest', subcommand, options, member, channelId: general }).waitForReply();

describe('/digest', () => {
  it('is for members with Manage Server: registered that way and checked again when run', async () => {
    expect(j.loop.commands(j.guildId).find((c) => c.name === 'digest')?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    const reply = await digest('status', {}, j.loop.member({ username: 'plain' }));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/You need the Manage Server permission/);
  });

  it('says status has nothing to show before set-up', async () => {
    expect((await digest('status')).content).toMatch(/not set up here yet/);
  });

  it('refuses an impossible time and an unknown zone, saying why', async () => {
    expect((await digest('set', { channel: news, time: '25:00', timezone: 'Europe/Berlin' })).content).toMatch(/"25:00" is not a time of day/);
    expect((await digest('set', { channel: news, time: '09:00', timezone: 'Mars/Olympus' })).content).toMatch(/Mars\/Olympus/);
  });

  it('autocompletes time zones by city', async () => {
    const choices = await j.loop.sendAutocomplete({ name: 'digest', subcommand: 'set', options: { timezone: 'kolkata' }, focused: 'timezone', member: admin() }).autocompleteChoices();
    expect(choices.map((c) => c.value)).toContain('Asia/Kolkata');
  });

  it('names the permission it lacks in the chosen channel, and saves nothing', async () => {
    const locked = j.loop.guilds[0]!.channelId('locked');
    j.loop.setChannelForbidden(locked);
    const reply = await digest('set', { channel: locked, time: '09:00', timezone: 'Europe/Berlin', thread: true });
    expect(reply.content).toMatch(/I'm missing Send Messages, Create Public Threads, Send Messages in Threads in #locked/);
    expect((await digest('status')).content).toMatch(/not set up here yet/);
  });

  it('set saves, status shows the next run, preview shows the digest only to the caller', async () => {
    const set = await digest('set', { channel: news, time: '09:00', timezone: 'europe/berlin', thread: true });
    expect(set.flags).toBe(EPHEMERAL);
    expect(set.content).toContain(`<#${news}>`);
    expect(set.content).toContain('09:00 Europe/Berlin');
    const status = await digest('status');
    expect(status.content).toContain(`<t:${Date.parse('2026-06-10T07:00:00Z') / 1000}:F>`);
    const preview = await digest('preview');
    expect(preview.flags).toBe(EPHEMERAL | (1 << 15));
    expect(titleOf(preview)).toMatch(/^Day 1 of the story/);
    expect(textOf(preview)).toMatch(/^This is what the next digest will look like:/);
    expect(j.loop.messagesIn(news)).toHaveLength(0);
  });

  it('posts the digest at 09:00 local with a thread, once', async () => {
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    const posted = await j.loop.waitForMessage((m) => m.channel_id === news && titleOf(m).startsWith('Day 1'));
    expect(fieldsOf(posted).map((f) => f.name)).toEqual([expect.stringMatching(/^Spotlight: /), expect.stringMatching(/Today's take/), expect.stringMatching(/📊/), '💬 Question of the day']);
    expect(posted.flags).toBe(1 << 15);
    expect(posted.embeds).toEqual([]);
    await vi.waitFor(() => expect(j.loop.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/messages/${posted.id}/threads`))).toHaveLength(1));
    clock.advance(3_600_000);
    await j.bot.ctx.digests.idle();
    expect(j.loop.messagesIn(news).filter((m) => titleOf(m).startsWith('Day'))).toHaveLength(1);
    expect((await digest('status')).content).toMatch(/\*\*Last digest:\*\* <t:\d+:F> \(day 1\)/);
  });

  it('records a deleted channel as the reason, without retrying that day', async () => {
    const doomed = j.loop.guilds[0]!.channelId('doomed');
    // 09:00 has passed today (it is 10:00 in Berlin): a new schedule starts tomorrow.
    await digest('set', { channel: doomed, time: '09:00', timezone: 'Europe/Berlin' });
    j.loop.deleteChannel(doomed);
    const requestsBefore = j.loop.requests.length;
    clock.set(Date.parse('2026-06-11T08:00:00Z'));
    await j.waitForLog((line) => line.channelId === doomed && /digest failed/.test(line.msg));
    await j.bot.ctx.digests.idle();
    const status = await digest('status');
    expect(status.content).toMatch(/Last attempt failed.*the channel no longer exists/s);
    clock.advance(3 * 3_600_000);
    await j.bot.ctx.digests.idle();
    expect(j.loop.requests.slice(requestsBefore).filter((r) => r.path.includes(doomed))).toHaveLength(1);
  });

  it('records a permission lost after set-up', async () => {
    await digest('set', { channel: general, time: '11:00', timezone: 'Europe/Berlin' });
    j.loop.setChannelForbidden(general);
    // Let the bot receive the CHANNEL_UPDATE first, as it would long before the next day's digest.
    await vi.waitFor(() => {
      const channel = j.bot.client.channels.cache.get(general);
      expect(channel && 'permissionsFor' in channel && channel.permissionsFor(j.bot.client.user!.id)?.has('SendMessages')).toBe(false);
    });
    clock.set(Date.parse('2026-06-12T09:00:00Z'));
    await vi.waitFor(async () => expect((await digest('status')).content).toMatch(/Last attempt failed.*missing Send Messages in #general/s));
    j.loop.setChannelForbidden(general, false);
  });

  it('off stops one schedule and keeps its settings', async () => {
    expect((await digest('off')).content).toMatch(/This server has 3 digest schedules/);
    expect((await digest('off', { channel: general })).content).toMatch(/Daily digests in <#\d+> are off/);
    expect((await digest('status', { channel: general })).content).toMatch(/\*\*Status:\*\* off/);
    expect((await digest('status', { channel: news })).content).toMatch(/\*\*Status:\*\* on/);
  });
});
