import { ChannelType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { controlsOf, type LoopbackMember, textOf, titleOf } from '../loopback/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { useJourney } from './harness.js';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const HOUR = 3_600_000;
// 2026-06-10 06:00 UTC: three hours before the 09:00 UTC digests.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
const ch = { general: '', news: '', forum: '', lounge: '', strict: '', 'staff-only': '' };
let guildId = '';

const j = useJourney({
    clock,
    guilds: [{ channels: [
      { name: 'general' },
      { name: 'news', type: ChannelType.GuildAnnouncement },
      { name: 'forum', type: ChannelType.GuildForum, availableTags: [{ name: 'Help' }, { name: 'Daily digest' }] },
      { name: 'lounge' },
      { name: 'strict', type: ChannelType.GuildForum, requireTag: true, availableTags: [{ name: 'Help' }, { name: 'Ideas' }] },
      { name: 'staff-only', type: ChannelType.GuildForum, requireTag: true, availableTags: [{ name: 'Staff', moderated: true }] },
    ] }],
  });
beforeAll(async () => {
  guildId = j.guildId;
  for (const name of Object.keys(ch) as Array<keyof typeof ch>) ch[name] = j.loop.guilds[0]!.channelId(name);
});

const admin = () => j.loop.member({ username: 'admin', permissions: ADMIN });
const digest = (subcommand: string, options: Record<string, string | boolean> = {}) =>
  j.loop.sendCommand({ name: 'digest', subcommand, options, member: admin(), channelId: ch.general }).waitForReply();
const isDigest = (m: APIMessage, day: number) => titleOf(m).startsWith(`Day ${day} `);
/** The bot's forum posts: threads of the forum, each with its first message. */
const forumPosts = () => j.loop.guilds[0]!.channels.filter((c) => c.parentId === ch.forum).map((thread) => ({ thread, first: j.loop.message(thread.id) }));
const digestsIn = (channelId: string) => j.loop.messagesIn(channelId).filter((m) => /^Day \d+ /.test(titleOf(m)));

async function until(iso: string): Promise<void> {
  while (clock.now() < Date.parse(iso)) {
    clock.advance(Math.min(HOUR, Date.parse(iso) - clock.now()));
    await j.bot.ctx.digests.idle();
  }
}

describe('digests in every kind of channel, several per server', () => {
  it('sets up a forum and an announcement channel in one server; status shows both', async () => {
    expect((await digest('set', { channel: ch.forum, time: '09:00', timezone: 'UTC' })).content).toContain(`<#${ch.forum}>`);
    expect((await digest('set', { channel: ch.news, time: '09:00', timezone: 'UTC', thread: true })).content).toContain(`<#${ch.news}>`);
    const status = (await digest('status')).content;
    expect(status).toContain(`**Channel:** <#${ch.forum}>`);
    expect(status).toContain(`**Channel:** <#${ch.news}> (with a thread for each day)`);
    expect((await digest('off')).content).toMatch(/2 digest schedules .*add `channel:`/);
  });

  it('posts one forum post a day, tagged "Daily digest", and a published announcement with its thread', async () => {
    await until('2026-06-10T09:00:00Z');
    await vi.waitFor(() => expect(forumPosts()).toHaveLength(1));
    const [post] = forumPosts();
    expect(post!.thread.name).toMatch(/^Day 1: /);
    const tags = j.loop.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${ch.forum}/threads`))?.body as { applied_tags?: string[] };
    const forumTags = (j.bot.client.channels.cache.get(ch.forum) as { availableTags: Array<{ id: string; name: string }> }).availableTags;
    expect(tags.applied_tags).toEqual([forumTags.find((t) => t.name === 'Daily digest')!.id]);
    expect(post!.first && isDigest(post!.first, 1)).toBe(true);

    const [announcement] = digestsIn(ch.news);
    expect(announcement && isDigest(announcement, 1)).toBe(true);
    await vi.waitFor(() => expect((j.loop.message(announcement!.id)?.flags ?? 0) & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted));
    expect(j.loop.guilds[0]!.channels.some((c) => c.id === announcement!.id && c.type === ChannelType.AnnouncementThread)).toBe(true);

    await until('2026-06-10T20:00:00Z');
    expect(forumPosts()).toHaveLength(1);
    expect(digestsIn(ch.news)).toHaveLength(1);
    expect(j.loop.requests.filter((r) => r.path.endsWith('/crosspost'))).toHaveLength(1);
  });

  it('a forum that requires a tag gets its first usable one; one whose tags all need Manage Threads is refused with what to fix', async () => {
    j.loop.denyPermission(ch['staff-only'], PermissionFlagsBits.ManageThreads);
    await vi.waitFor(() => {
      const forum = j.bot.client.channels.cache.get(ch['staff-only']);
      expect(forum && 'permissionsFor' in forum && forum.permissionsFor(j.bot.client.user!.id)?.has('ManageThreads')).toBe(false);
    });
    const refused = await digest('set', { channel: ch['staff-only'], time: '09:00', timezone: 'UTC' });
    expect(refused.content).toMatch(/#staff-only requires a tag on every post and all its tags are moderated: give me Manage Threads there/);
    await digest('set', { channel: ch.strict, time: '21:00', timezone: 'UTC' });
    await until('2026-06-10T21:00:00Z');
    const request = j.loop.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${ch.strict}/threads`));
    const tags = (j.bot.client.channels.cache.get(ch.strict) as { availableTags: Array<{ id: string; name: string }> }).availableTags;
    expect((request?.body as { applied_tags?: string[] }).applied_tags).toEqual([tags.find((t) => t.name === 'Help')!.id]);
    expect(request?.status).toBe(201);
    expect((await digest('off', { channel: ch.strict })).content).toMatch(/are off/);
  });

  it('a publish Discord refuses leaves the announcement posted once, and says so in status', async () => {
    j.loop.refuseNext('POST', /\/crosspost$/, { status: 403, code: 50001, message: 'Missing Access' });
    await until('2026-06-11T10:00:00Z');
    expect(digestsIn(ch.news)).toHaveLength(2);
    const [, second] = digestsIn(ch.news);
    expect((j.loop.message(second!.id)?.flags ?? 0) & MessageFlags.Crossposted).toBe(0);
    expect((await digest('status', { channel: ch.news })).content).toMatch(/\*\*Last digest posted with a problem\*\* .*not published to the servers that follow the channel/);
    await until('2026-06-11T20:00:00Z');
    expect(digestsIn(ch.news)).toHaveLength(2);
  });

  it('/digest skip skips the next day of one schedule only', async () => {
    const reply = await digest('skip', { channel: ch.news });
    expect(reply.flags).toBe(64);
    expect(reply.content).toContain(`Skipping the digest of 2026-06-12 in <#${ch.news}>`);
    expect(reply.content).toContain(`<t:${Date.parse('2026-06-13T09:00:00Z') / 1000}:F>`);
    expect((await digest('status', { channel: ch.news })).content).toContain('**Skipping:** the digest of 2026-06-12');
    await until('2026-06-12T10:00:00Z');
    expect(forumPosts()).toHaveLength(3);
    expect(digestsIn(ch.news)).toHaveLength(2);
    await until('2026-06-13T10:00:00Z');
    expect(forumPosts()).toHaveLength(4);
    expect(digestsIn(ch.news).map((m) => titleOf(m).slice(0, 6))).toEqual(['Day 1 ', 'Day 2 ', 'Day 3 ']);
  });
});

describe('the notify role', () => {
  let role = '';
  let ana: LoopbackMember;
  let ben: LoopbackMember;

  it('is refused with exactly what to fix while the bot lacks Manage Roles on a role below its own; nothing is saved', async () => {
    role = j.loop.addRole(guildId, { name: 'Digest', position: 2 });
    const reply = await digest('set', { channel: ch.lounge, time: '09:00', timezone: 'UTC', notify_role: role });
    expect(reply.flags).toBe(64);
    expect(reply.content).toContain('turn on Manage Roles');
    expect(reply.content).toMatch(/drag @loopback-bot above @Digest/);
    expect(reply.content).toMatch(/Allow anyone to @mention this role/);
    expect(reply.content).toContain('nothing was saved');
    expect((await digest('status')).content).not.toContain(`<#${ch.lounge}>`);
  });

  it('once fixed, the digest mentions that role alone, and only members who opted in are reached', async () => {
    j.loop.setBotRole(guildId, { allow: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.MentionEveryone, position: 3 });
    await vi.waitFor(() => expect(j.bot.client.guilds.cache.get(guildId)?.members.me?.permissions.has('ManageRoles')).toBe(true));
    const set = await digest('set', { channel: ch.lounge, time: '09:00', timezone: 'UTC', notify_role: role });
    expect(set.content).toContain(`**Notifies:** members with <@&${role}>`);
    // Members opt in with the button on a digest.
    await until('2026-06-14T10:00:00Z');
    const first = digestsIn(ch.lounge)[0]!;
    // The role is named beside the Notify me button, in the digest's own container.
    expect(first.flags).toBe(MessageFlags.IsComponentsV2);
    expect(textOf(first)).toContain(`🔔 <@&${role}> is pinged with each digest.`);
    expect(controlsOf(first).map((c) => c.custom_id)).toEqual([`digest:notify:${role}`]);
    const body = j.loop.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${ch.lounge}/messages`))?.body as { allowed_mentions?: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [role] });
    expect(j.loop.reachedThroughRoles(first.id)).toEqual([]); // nobody had opted in yet

    ana = j.loop.member({ username: 'ana' });
    ben = j.loop.member({ username: 'ben' });
    const customId = `digest:notify:${role}`;
    const optIn = await j.loop.clickButton({ message: first, customId, member: ana }).waitForReply();
    expect(optIn.flags).toBe(64);
    expect(optIn.content).toMatch(/You'll be notified/);
    expect(j.loop.rolesOf(ana.id)).toEqual([role]);
    await j.loop.clickButton({ message: first, customId, member: ben }).waitForReply();
    const optOut = await j.loop.clickButton({ message: first, customId, member: ben }).waitForReply();
    expect(optOut.content).toMatch(/won't be notified/);
    expect(j.loop.rolesOf(ben.id)).toEqual([]);

    await until('2026-06-15T10:00:00Z');
    const second = digestsIn(ch.lounge)[1]!;
    expect(j.loop.pingsOf(second.id)).toEqual({ everyone: false, users: [], roles: [role], repliedUser: null });
    expect(j.loop.reachedThroughRoles(second.id)).toEqual([ana.id]);
    // The forum and announcement digests name no role and ping no one.
    for (const m of [...digestsIn(ch.news), ...forumPosts().map((p) => p.first!)]) expect(j.loop.pingsOf(m.id).roles).toEqual([]);
  });

  it('a poll started while the server notifies offers the same Notify me, naming the role without pinging it', async () => {
    const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', channelId: ch.lounge, options: { question: 'Tea or coffee?', answers: 'Tea, Coffee' } }).waitForReply();
    const customId = `digest:notify:${role}`;
    expect(controlsOf(poll).map((c) => c.custom_id)).toContain(customId);
    expect(textOf(poll)).toContain(`<@&${role}>`);
    expect(j.loop.pingsOf(poll.id).roles).toEqual([]);
    const cara = j.loop.member({ username: 'cara' });
    const optIn = await j.loop.clickButton({ message: poll, customId, member: cara }).waitForReply();
    expect(optIn.content).toMatch(/You'll be notified/);
    expect(j.loop.rolesOf(cara.id)).toEqual([role]);
    await j.loop.clickButton({ message: poll, customId, member: cara }).waitForReply();
    expect(j.loop.rolesOf(cara.id)).toEqual([]);
  });

  it('a click explains what to fix when the bot has lost Manage Roles, and changes nothing', async () => {
    j.loop.setBotRole(guildId, { allow: PermissionFlagsBits.MentionEveryone, position: 3 });
    await vi.waitFor(() => expect(j.bot.client.guilds.cache.get(guildId)?.members.me?.permissions.has('ManageRoles')).toBe(false));
    const reply = await j.loop.clickButton({ message: digestsIn(ch.lounge)[1]!, customId: `digest:notify:${role}`, member: ana }).waitForReply();
    expect(reply.flags).toBe(64);
    expect(reply.content).toMatch(/Ask a server admin.*turn on Manage Roles/s);
    expect(j.loop.rolesOf(ana.id)).toEqual([role]);
  });

  it('refuses a Notify me button for a role that is not the server\'s notify role', async () => {
    const other = j.loop.addRole(guildId, { name: 'Other', position: 1 });
    const message = digestsIn(ch.lounge)[1]!;
    const reply = await j.loop.clickButton({ message, customId: `digest:notify:${other}`, member: ana, force: true }).waitForReply();
    expect(reply.content).toMatch(/no longer active/);
    expect(j.loop.rolesOf(ana.id)).toEqual([role]);
  });

  it('no_notify stops the mentions, and the old Notify me buttons stop working', async () => {
    const set = await digest('set', { channel: ch.lounge, time: '09:00', timezone: 'UTC', no_notify: true });
    expect(set.content).not.toContain('**Notifies:**');
    await until('2026-06-16T10:00:00Z');
    const latest = digestsIn(ch.lounge).at(-1)!;
    expect(textOf(latest)).not.toContain(`<@&${role}>`);
    expect(controlsOf(latest)).toEqual([]);
    expect(j.loop.pingsOf(latest.id)).toEqual({ everyone: false, users: [], roles: [], repliedUser: null });
    const reply = await j.loop.clickButton({ message: digestsIn(ch.lounge)[1]!, customId: `digest:notify:${role}`, member: ana }).waitForReply();
    expect(reply.content).toMatch(/no longer active/);
  });
});
