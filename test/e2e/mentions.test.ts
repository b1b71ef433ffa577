/**
 * Pings. The loopback computes what each message would ping by Discord's `allowed_mentions` rules
 * (test/loopback/mentions.ts); first that model on its own through @discordjs/rest, then a journey
 * where members type mentions into everything tamasha echoes back, which must ping no one.
 */
import { REST } from '@discordjs/rest';
import { PermissionFlagsBits, Routes, type APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, hasPings, type Loopback, startLoopbackDiscord, textOf, titleOf } from '../loopback/index.js';
import { computePings } from '../loopback/mentions.js';
import { type Journey, startJourney } from './harness.js';

describe('the loopback models pings', () => {
  let loop: Loopback;
  let rest: REST;
  beforeAll(async () => {
    loop = await startLoopbackDiscord({ rateLimit: { limit: 50 } });
    rest = new REST({ api: loop.apiUrl }).setToken(loop.token);
  });
  afterAll(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await loop.close();
  });

  const post = async (body: Record<string, unknown>): Promise<APIMessage> => (await rest.post(Routes.channelMessages(loop.guilds[0]!.channelId('general')), { body })) as APIMessage;
  const someone = () => loop.member().id;

  it('without allowed_mentions, everything in the content pings', async () => {
    const [a, role] = [someone(), loop.guilds[0]!.botRoleId];
    const m = await post({ content: `hi <@${a}> <@&${role}> @everyone` });
    expect(loop.pingsOf(m.id)).toEqual({ everyone: true, users: [a], roles: [role], repliedUser: null });
    expect(m.mention_everyone).toBe(true);
    expect(m.mentions.map((u) => u.id)).toEqual([a]);
  });

  it('parse: [] pings no one; parse and explicit lists allow only what they name', async () => {
    const [a, b] = [someone(), someone()];
    const content = `<@${a}> <@!${b}> @here`;
    expect(loop.pingsOf((await post({ content, allowed_mentions: { parse: [] } })).id)).toEqual({ everyone: false, users: [], roles: [], repliedUser: null });
    expect(loop.pingsOf((await post({ content, allowed_mentions: { users: [b] } })).id).users).toEqual([b]);
    expect(loop.pingsOf((await post({ content, allowed_mentions: { parse: ['users'] } })).id)).toMatchObject({ users: [a, b], everyone: false });
    expect(loop.pingsOf((await post({ content, allowed_mentions: { parse: ['everyone'] } })).id)).toMatchObject({ users: [], everyone: true });
  });

  it('mentions in embeds never ping', async () => {
    const m = await post({ embeds: [{ description: `<@${someone()}> @everyone` }] });
    expect(hasPings(loop.pingsOf(m.id))).toBe(false);
  });

  it('in a Components V2 message, Text Displays ping as content does (and allowed_mentions governs them)', async () => {
    const a = someone();
    const components = [{ type: 17, components: [{ type: 10, content: `hi <@${a}> @everyone` }, { type: 1, components: [{ type: 2, style: 1, label: `<@${someone()}>`, custom_id: 'x' }] }] }];
    const pinged = await post({ flags: 1 << 15, components });
    expect(loop.pingsOf(pinged.id)).toEqual({ everyone: true, users: [a], roles: [], repliedUser: null });
    expect(hasPings(loop.pingsOf((await post({ flags: 1 << 15, components, allowed_mentions: { parse: [] } })).id))).toBe(false);
  });

  it('a reply pings its author by default, and with allowed_mentions only if replied_user is set', () => {
    // Every message in the loopback is the bot's own (no self-ping), so the rule is checked on the model itself.
    const base = { content: 'agreed', authorId: 'bot', repliedAuthorId: 'member', guildRoleIds: [] };
    expect(computePings({ ...base, allowedMentions: undefined }).repliedUser).toBe('member');
    expect(computePings({ ...base, allowedMentions: { parse: [] } }).repliedUser).toBeNull();
    expect(computePings({ ...base, allowedMentions: { parse: [], replied_user: true } }).repliedUser).toBe('member');
    expect(computePings({ ...base, repliedAuthorId: 'bot', allowedMentions: undefined }).repliedUser).toBeNull();
  });

  it('refuses parse users together with a users list, as Discord does', async () => {
    await expect(post({ content: 'x', allowed_mentions: { parse: ['users'], users: [someone()] } })).rejects.toMatchObject({ code: 50035, status: 400 });
    expect(loop.takeViolations().map((v) => v.code)).toEqual([50035]);
  });
});

describe('tamasha never pings', () => {
  // 2026-06-10 06:00 UTC: an hour before a 09:00 Berlin digest.
  const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney({ clock });
  });
  afterEach(() => j.loop.assertNoViolations());
  afterAll(async () => {
    await j?.close();
  });

  /** custom_ids of a message's buttons, in order. */
  const customIds = (m: APIMessage): string[] => controlsOf(m).map((b) => String(b.custom_id ?? ''));

  /** Every message the bot posted in the guild, threads included, with whom it pinged. */
  const pinging = () =>
    j.loop.guilds[0]!.channels.flatMap((c) => j.loop.messagesIn(c.id)).map((m) => ({ id: m.id, text: textOf(m).slice(0, 60), pings: j.loop.pingsOf(m.id) })).filter((m) => hasPings(m.pings));

  it('echoes mentions typed into a poll, a vote, the results, /discuss and the digest without pinging anyone', async () => {
    const victim = j.loop.member({ username: 'victim' });
    const role = j.loop.guilds[0]!.botRoleId;
    const mentions = `<@${victim.id}> <@&${role}> @everyone`;
    const author = j.loop.member({ username: 'author', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages });
    const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', member: author, options: { question: `Ping ${mentions}?`, answers: `<@${victim.id}> | <@&${role}> | @everyone` } }).waitForReply();
    const pollId = customIds(poll)[0]!.split(':')[2]!;

    const vote = await j.loop.clickButton({ message: poll, customId: `poll:vote:${pollId}:0`, member: j.loop.member() }).waitForReply();
    expect(vote.content).toContain(victim.id);
    const list = await j.loop.sendCommand({ name: 'poll', subcommand: 'list', member: author }).waitForReply();
    expect(textOf(list)).toContain(victim.id);
    await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: pollId }, member: author }).waitForReply();
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toContain(victim.id);

    // The bot's own words name a role: "Only members with the <@&…> role can vote", to a member without it.
    const closed = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', member: author, options: { question: 'Members only?', answers: 'Yes, No', voter_role: role } }).waitForReply();
    const refused = await j.loop.clickButton({ message: closed, customId: customIds(closed)[0]!, member: j.loop.member() }).waitForReply();
    expect(refused.content).toContain(`<@&${role}>`);

    await j.loop.sendCommand({ name: 'discuss', options: { topic: 'take:engineer' }, member: j.loop.member({ username: `<@${victim.id}> @everyone` }) }).waitForReply();
    const general = j.loop.guilds[0]!.channelId('general');
    await j.loop.sendCommand({ name: 'digest', subcommand: 'set', member: author, options: { channel: general, time: '09:00', timezone: 'Europe/Berlin', thread: true } }).waitForReply();
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    await j.loop.waitForMessage((m) => titleOf(m).startsWith('Day 1'));

    expect(pinging().map((m) => `${m.text} → ${JSON.stringify(m.pings)}`)).toEqual([]);
  });
});
