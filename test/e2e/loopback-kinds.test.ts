/**
 * The loopback's forums, announcements, member roles and role mentions, proved against a bare
 * discord.js Client (not the bot's code).
 */
import { once } from 'node:events';
import { ChannelType, Client, DiscordAPIError, Events, type ForumChannel, GatewayIntentBits, MessageFlags, type NewsChannel, PermissionFlagsBits, roleMention } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAndClose, startLoopbackDiscord, type Loopback } from '../loopback/index.js';

let loop: Loopback | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await checkAndClose(loop);
  loop = undefined;
});

async function start(): Promise<{ l: Loopback; c: Client<true>; guildId: string }> {
  const l = (loop = await startLoopbackDiscord({
    guilds: [{ channels: [
      { name: 'general' },
      { name: 'news', type: ChannelType.GuildAnnouncement },
      { name: 'forum', type: ChannelType.GuildForum, availableTags: [{ name: 'Help' }, { name: 'Daily digest' }, { name: 'Staff', moderated: true }] },
      { name: 'strict', type: ChannelType.GuildForum, requireTag: true, availableTags: [{ name: 'Only' }] },
    ] }],
  }));
  const c = (client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: l.apiUrl } }));
  const ready = once(c, Events.ClientReady);
  await c.login(l.token);
  await ready;
  if (!c.isReady()) throw new Error('not ready');
  return { l, c, guildId: l.guilds[0]!.id };
}

const code = async (p: Promise<unknown>): Promise<number | string | undefined> => p.then(() => undefined, (e: unknown) => (e instanceof DiscordAPIError ? e.code : String(e)));

describe('forum channels', () => {
  it('show their tags, take posts (a thread and its first message) with tags, and list them as active threads', async () => {
    const { l, c } = await start();
    const forum = c.channels.cache.get(l.guilds[0]!.channelId('forum')) as ForumChannel;
    expect(forum.type).toBe(ChannelType.GuildForum);
    expect(forum.availableTags.map((t) => [t.name, t.moderated])).toEqual([['Help', false], ['Daily digest', false], ['Staff', true]]);
    const tag = forum.availableTags[1]!.id;
    const post = await forum.threads.create({ name: 'Day 1', message: { content: 'hello' }, appliedTags: [tag] });
    expect(post.parentId).toBe(forum.id);
    expect(post.appliedTags).toEqual([tag]);
    expect(l.messagesIn(post.id).map((m) => [m.id, m.content])).toEqual([[post.id, 'hello']]);
    expect((await post.fetchStarterMessage())?.content).toBe('hello');
    const active = await forum.threads.fetchActive(false);
    expect([...active.threads.keys()]).toEqual([post.id]);
  });

  it('refuses what Discord refuses: a message in the forum itself, an unknown or moderated tag, no tag where one is required, no Create Posts', async () => {
    const { l, c } = await start();
    const forum = c.channels.cache.get(l.guilds[0]!.channelId('forum')) as ForumChannel;
    const strict = c.channels.cache.get(l.guilds[0]!.channelId('strict')) as ForumChannel;
    expect(await code(c.rest.post(`/channels/${forum.id}/messages`, { body: { content: 'x' } }))).toBe(50008);
    expect(await code(forum.threads.create({ name: 'x', message: { content: 'x' }, appliedTags: ['123456789012345678'] }))).toBe(50035);
    l.denyPermission(forum.id, PermissionFlagsBits.ManageThreads);
    expect(await code(forum.threads.create({ name: 'x', message: { content: 'x' }, appliedTags: [forum.availableTags[2]!.id] }))).toBe(50013);
    expect(await code(strict.threads.create({ name: 'x', message: { content: 'x' } }))).toBe(40067);
    l.denyPermission(forum.id, PermissionFlagsBits.SendMessages);
    expect(await code(forum.threads.create({ name: 'x', message: { content: 'x' } }))).toBe(50013);
    expect(l.takeViolations().map((v) => v.code)).toEqual([50035]);
    expect(l.guilds[0]!.channels.filter((ch) => ch.parentId === forum.id)).toEqual([]);
  });
});

describe('announcement channels', () => {
  it('publish the bot\'s own message once, and need Send Messages for it', async () => {
    const { l, c } = await start();
    const news = c.channels.cache.get(l.guilds[0]!.channelId('news')) as NewsChannel;
    const message = await news.send('extra');
    await message.crosspost();
    expect((l.message(message.id)?.flags ?? 0) & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted);
    expect(await code(message.crosspost())).toBe(40033);
    const second = await news.send('more');
    l.denyPermission(news.id, PermissionFlagsBits.SendMessages);
    expect(await code(second.crosspost())).toBe(50013);
  });
});

describe('member roles and role mentions', () => {
  it('adds and removes a role below the bot\'s with Manage Roles only, and a role mention reaches the members holding it', async () => {
    const { l, c, guildId } = await start();
    const low = l.addRole(guildId, { name: 'Digest', position: 2, mentionable: true });
    const high = l.addRole(guildId, { name: 'Mods', position: 5 });
    const ana = l.member({ username: 'ana' });
    const ben = l.member({ username: 'ben', roles: [low] });
    const guild = c.guilds.cache.get(guildId)!;
    expect(await code(guild.members.addRole({ user: ana.id, role: low }))).toBe(50013); // no Manage Roles yet
    l.setBotRole(guildId, { allow: PermissionFlagsBits.ManageRoles, position: 4 });
    await guild.members.addRole({ user: ana.id, role: low });
    expect(l.rolesOf(ana.id)).toEqual([low]);
    expect(await code(guild.members.addRole({ user: ana.id, role: high }))).toBe(50013); // above the bot's role
    expect(await code(guild.members.addRole({ user: ana.id, role: '123456789012345678' }))).toBe(10011);
    await guild.members.removeRole({ user: ben.id, role: low });
    expect(l.rolesOf(ben.id)).toEqual([]);
    const general = c.channels.cache.get(l.guilds[0]!.channelId('general'));
    if (!general?.isSendable()) throw new Error('general is not sendable');
    const sent = await general.send({ content: `${roleMention(low)} ${roleMention(high)}`, allowedMentions: { roles: [low] } });
    expect(l.pingsOf(sent.id).roles).toEqual([low]);
    expect(l.reachedThroughRoles(sent.id)).toEqual([ana.id]);
  });
});
