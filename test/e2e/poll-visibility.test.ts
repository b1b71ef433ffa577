import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { controlsOf, fieldsOf, type LoopbackMember, textOf, titleOf } from '../loopback/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { useJourney } from './harness.js';

const EPHEMERAL = 64;
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let general = '';
let lounge = '';
let mods = '';
let moderator: LoopbackMember;
let member: LoopbackMember;

const j = useJourney({ clock, guilds: [{ channels: [{ name: 'general' }, { name: 'lounge' }, { name: 'mods' }, { name: 'staff' }, { name: 'helpers' }, { name: 'doomed' }] }] });
beforeAll(async () => {
  const guild = j.loop.guilds[0]!;
  [general, lounge, mods] = [guild.channelId('general'), guild.channelId('lounge'), guild.channelId('mods')];
  // #mods: hidden from @everyone, shown to the Moderators role.
  const modRole = j.loop.addRole(guild.id, { name: 'Moderators' });
  j.loop.setOverwrite(mods, { id: guild.id, type: 'role', deny: PermissionFlagsBits.ViewChannel });
  j.loop.setOverwrite(mods, { id: modRole, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  // As on Discord, the bot is hidden from such a channel too unless its role is let in.
  for (const name of ['mods', 'staff', 'helpers']) j.loop.setOverwrite(guild.channelId(name), { id: guild.botRoleId, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  // #staff: the same rule as #mods; #helpers: shown to another role.
  const helperRole = j.loop.addRole(guild.id, { name: 'Helpers' });
  for (const [channel, role] of [[guild.channelId('staff'), modRole], [guild.channelId('helpers'), helperRole]] as const) {
    j.loop.setOverwrite(channel, { id: guild.id, type: 'role', deny: PermissionFlagsBits.ViewChannel });
    j.loop.setOverwrite(channel, { id: role, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  }
  moderator = j.loop.member({ username: 'moderator', roles: [modRole] });
  member = j.loop.member({ username: 'member' });
});

type Button = { custom_id?: string; label?: string };
const pollIdOf = (m: APIMessage) => (controlsOf(m) as Button[])[0]!.custom_id!.split(':')[2]!;
const poll = (sub: string, who: LoopbackMember, channelId: string, options: Record<string, string> = {}) =>
  j.loop.sendCommand({ name: 'poll', subcommand: sub, options, member: who, channelId }).waitForReply();
const choices = (sub: string, who: LoopbackMember, channelId: string) =>
  j.loop.sendAutocomplete({ name: 'poll', subcommand: sub, options: { poll: '' }, focused: 'poll', member: who, channelId }).autocompleteChoices();

describe('a poll in a channel a member cannot view', () => {
  let secret: APIMessage;
  beforeAll(async () => {
    secret = await poll('start', moderator, mods, { question: 'Ban the spammer?', answers: 'Yes, No' });
    await j.loop.clickButton({ message: secret, customId: `poll:vote:${pollIdOf(secret)}:0`, member: moderator }).waitForReply();
  });

  it('is not in their /poll list, but is in a moderator\'s', async () => {
    const theirs = await poll('list', member, general);
    expect(JSON.stringify(theirs)).not.toContain('Ban the spammer');
    expect(JSON.stringify(theirs)).not.toContain(secret.id);
    const theirsToo = await poll('list', moderator, general);
    expect(textOf(theirsToo)).toContain('Ban the spammer');
    expect(controlsOf(theirsToo).map((c) => c.url)).toContainEqual(expect.stringContaining(secret.id));
  });

  it('is not offered to them by autocomplete, for end or results', async () => {
    for (const sub of ['end', 'results']) expect((await choices(sub, member, general)).map((c) => c.value)).not.toContain(pollIdOf(secret));
    expect((await choices('results', moderator, general)).map((c) => c.value)).toContain(pollIdOf(secret));
  });

  it('cannot be read or ended by them even with its id typed in', async () => {
    const results = await poll('results', member, general, { poll: pollIdOf(secret) });
    expect(results.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(results)).not.toMatch(/Ban the spammer|1 vote/);
    expect(results.content).toMatch(/no longer exists/);
    const end = await poll('end', member, general, { poll: pollIdOf(secret) });
    expect(end.content).not.toMatch(/Closed the poll|Ban the spammer/);
    expect(end.content).toMatch(/no longer exists/); // the answer an unknown id gets, so nothing leaks
    expect(titleOf(await poll('results', moderator, general, { poll: pollIdOf(secret) }))).toContain('Ban the spammer');
  });
});

it('a poll whose channel was deleted is listed to nobody', async () => {
  const doomed = j.loop.guilds[0]!.channelId('doomed');
  const orphan = await poll('start', member, doomed, { question: 'Orphaned?', answers: 'A, B' });
  expect(textOf(await poll('list', moderator, general))).toContain('Orphaned?');
  j.loop.deleteChannel(doomed);
  expect(textOf(await poll('list', moderator, general))).not.toContain('Orphaned?');
  expect((await choices('results', moderator, general)).map((c) => c.value)).not.toContain(pollIdOf(orphan));
});

describe('/poll end', () => {
  it('judges Manage Messages in the poll\'s channel, not where the command is typed', async () => {
    const target = await poll('start', j.loop.member(), general, { question: 'Close me?', answers: 'A, B' });
    const loungeMod = j.loop.member({ username: 'lounge-mod' });
    j.loop.setOverwrite(lounge, { id: loungeMod.id, type: 'member', allow: PermissionFlagsBits.ManageMessages });
    const refused = await poll('end', loungeMod, lounge, { poll: pollIdOf(target) });
    expect(refused.content).toMatch(/creator|Manage Messages/);

    const generalMod = j.loop.member({ username: 'general-mod' });
    j.loop.setOverwrite(general, { id: generalMod.id, type: 'member', allow: PermissionFlagsBits.ManageMessages });
    const closed = await poll('end', generalMod, lounge, { poll: pollIdOf(target) });
    expect(closed.content).toMatch(/Closed the poll/);
  });
});

describe('the digest', () => {
  const admin = () => j.loop.member({ username: 'admin', permissions: ADMIN });
  const preview = async (channel?: string) => ({ fields: fieldsOf(await j.loop.sendCommand({ name: 'digest', subcommand: 'preview', options: channel ? { channel } : {}, member: admin(), channelId: general }).waitForReply()) });

  it('does not publish the standings of a headline poll its channel\'s audience cannot view', async () => {
    await j.loop.sendCommand({ name: 'digest', subcommand: 'set', options: { channel: general, time: '09:00', timezone: 'Europe/Berlin' }, member: admin(), channelId: general }).waitForReply();
    const headline = await poll('start', moderator, mods);
    await j.loop.clickButton({ message: headline, customId: `poll:vote:${pollIdOf(headline)}:0`, member: moderator }).waitForReply();
    const field = (await preview()).fields?.find((f) => f.name.startsWith('📊'));
    expect(field?.value).not.toMatch(/voters so far|: 1 ·/);

    // #lounge is open to every member, so to everyone who reads #general too.
    const open = await poll('start', member, lounge);
    await j.loop.clickButton({ message: open, customId: `poll:vote:${pollIdOf(open)}:1`, member }).waitForReply();
    const shown = (await preview()).fields?.find((f) => f.name.startsWith('📊'));
    expect(shown?.value).toMatch(/1 voters so far/);
  });

  it('in a members-only channel, shows a poll from a channel with the same audience, not from one with another', async () => {
    const guild = j.loop.guilds[0]!;
    const set = await j.loop.sendCommand({ name: 'digest', subcommand: 'set', options: { channel: mods, time: '09:00', timezone: 'Europe/Berlin' }, member: admin(), channelId: general }).waitForReply();
    expect(set.content).toMatch(/Daily digest|digest/i);
    clock.advance(60_000); // newer than the polls before, for "latest"
    const votes = async (message: APIMessage, n: number) => {
      for (let i = 0; i < n; i++) await j.loop.clickButton({ message, customId: `poll:vote:${pollIdOf(message)}:0`, member: j.loop.member() }).waitForReply();
    };
    await votes(await poll('start', moderator, guild.channelId('staff')), 3);
    // The server now has two schedules (#general's and #mods'): the preview of #mods'.
    expect((await preview(mods)).fields?.find((f) => f.name.startsWith('📊'))?.value).toMatch(/3 voters so far/);
    clock.advance(60_000);
    await votes(await poll('start', moderator, guild.channelId('helpers')), 2);
    expect((await preview(mods)).fields?.find((f) => f.name.startsWith('📊'))?.value).toMatch(/3 voters so far/);
  });
});

describe('the verdict', () => {
  it('does not count a vote on a headline poll in a channel @everyone cannot view; one in an open channel counts', async () => {
    const insider = j.loop.member({ username: 'insider', roles: [...moderator.roles] });
    const hidden = await poll('start', moderator, mods);
    await j.loop.clickButton({ message: hidden, customId: `poll:vote:${pollIdOf(hidden)}:1`, member: insider }).waitForReply();
    // The vote is stored before it is acknowledged, and a stance change is queued when it is stored.
    await j.bot.ctx.verdict.idle();
    expect(await j.bot.ctx.verdict.stanceOf(j.guildId, insider.id)).toBeNull();

    const open = await poll('start', moderator, lounge);
    await j.loop.clickButton({ message: open, customId: `poll:vote:${pollIdOf(open)}:1`, member: insider }).waitForReply();
    await j.bot.ctx.verdict.idle();
    expect(await j.bot.ctx.verdict.stanceOf(j.guildId, insider.id)).not.toBeNull();
  });
});
