import { type APIMessage, InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import type { LoopbackMember } from '../loopback/index.js';
import { fieldsOf, titleOf } from '../loopback/read.js';
import { useJourney } from './harness.js';

/**
 * The daily digest carries the debate: the top argument on each side (from channels everyone who
 * reads the digest can view) and the developments added since the previous digest, attributed.
 */
// 2026-06-10 06:00 UTC = 08:00 in Berlin, an hour before a 09:00 digest.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
let news = '';
let mods = '';
let modRole = '';

const j = useJourney({ clock, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }, { name: 'mods' }] }] });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
  mods = j.loop.guilds[0]!.channelId('mods');
  // #mods: hidden from @everyone, shown to the Moderators role (and to the bot, as on Discord).
  const guild = j.loop.guilds[0]!;
  modRole = j.loop.addRole(guild.id, { name: 'Moderators' });
  j.loop.setOverwrite(mods, { id: guild.id, type: 'role', deny: PermissionFlagsBits.ViewChannel });
  j.loop.setOverwrite(mods, { id: modRole, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  j.loop.setOverwrite(mods, { id: guild.botRoleId, type: 'role', allow: PermissionFlagsBits.ViewChannel });
});

const admin = () => j.loop.member({ username: 'admin', permissions: ADMIN });
async function argue(member: LoopbackMember, channelId: string, text: string, side: string): Promise<APIMessage> {
  const shownBy = j.loop.sendCommand({ name: 'argue', subcommand: 'add', member, channelId });
  expect((await shownBy.response()).type).toBe(InteractionResponseType.Modal);
  return j.loop.submitModal({ shownBy, values: { side: [side], text } }).waitForReply();
}
const digestsIn = (channelId: string) => j.loop.messagesIn(channelId).filter((m) => /^Day \d/.test(titleOf(m)));
const field = (m: APIMessage, name: RegExp) => fieldsOf(m).find((f) => name.test(f.name))?.value;

describe('the digest and the debate', () => {
  it('shows the top argument of each side from channels its readers can view, and the developments since the last digest', async () => {
    await j.loop.sendCommand({ name: 'digest', subcommand: 'set', member: admin(), channelId: news, options: { channel: news, time: '09:00', timezone: 'Europe/Berlin' } }).waitForReply();
    const mod = j.loop.member({ username: 'mod', permissions: ADMIN | PermissionFlagsBits.ManageMessages, roles: [modRole] });
    await argue(j.loop.member({ username: 'ana' }), news, 'He broke his word @everyone', 'stance.1');
    await argue(mod, mods, 'A secret the public should not see yet', 'stance.0');
    const update = j.loop.sendCommand({ name: 'story', subcommandGroup: 'update', subcommand: 'add', member: mod, channelId: news });
    await update.response();
    await j.loop.submitModal({ shownBy: update, values: { headline: 'xAI denies the claims', source: 'Wire', url: 'https://example.org/denial', status: ['denied'], touches: [] } }).waitForReply();

    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    const first = await j.loop.waitForMessage((m) => m.channel_id === news && /^Day 1/.test(titleOf(m)));
    const args = field(first, /Top arguments/);
    expect(args).toContain('**Villain**: “He broke his word @\u200beveryone” (▲ 0)');
    expect(args).not.toContain('secret'); // posted in #mods, which the digest's readers cannot view
    expect(field(first, /Since the last digest/)).toMatch(/Wire.*xAI denies the claims/);
    expect(j.loop.pingsOf(first.id)).toEqual({ everyone: false, users: [], roles: [], repliedUser: null });

    // The next day: the same development is not new any more.
    await j.bot.ctx.digests.idle();
    clock.set(Date.parse('2026-06-11T07:00:00Z'));
    await j.loop.waitForMessage((m) => m.channel_id === news && /^Day 2/.test(titleOf(m)));
    const second = digestsIn(news).at(-1)!;
    expect(field(second, /Top arguments/)).toContain('He broke his word');
    expect(field(second, /Since the last digest/)).toBeUndefined();
  });
});
