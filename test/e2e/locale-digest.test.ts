import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, fieldsOf, smallPrintOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

/** A digest in a server whose preferred locale is German: posted in German, the story's own words in English. */
const pack = loadStoryPack('data');
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let news = '';

const j = useJourney({ clock, guilds: [{ name: 'Berlin', locale: 'de', channels: [{ name: 'general' }, { name: 'news' }, { name: 'locked' }] }] });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
});

const digest = (subcommand: string, options: Record<string, string | boolean>, locale: string) =>
  j.loop.sendCommand({ name: 'digest', subcommand, options, member: j.loop.member({ username: `admin-${locale}`, permissions: ADMIN, locale }), channelId: j.loop.guilds[0]!.channelId('general') }).waitForReply();

describe('a digest in a German server', () => {
  let role = '';

  it('answers each admin in their own language, down to the permission and role problems', async () => {
    const locked = j.loop.guilds[0]!.channelId('locked');
    j.loop.setChannelForbidden(locked);
    const refused = await digest('set', { channel: locked, time: '09:00', timezone: 'Europe/Berlin' }, 'de');
    expect(refused.content).toMatch(/^Dort kann ich keine Digests posten: Mir fehlt Nachrichten senden in #locked\./);
    role = j.loop.addRole(j.guildId, { name: 'Digest', position: 2 });
    const noRole = await digest('set', { channel: news, time: '09:00', timezone: 'Europe/Berlin', notify_role: role }, 'ja');
    expect(noRole.content).toMatch(/^その通知ロールはまだ使えません。 1\. ロールの管理 の権限が必要です/);
    expect(noRole.content).toContain('何も保存されていません');
    j.loop.setBotRole(j.guildId, { allow: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.MentionEveryone, position: 3 });
    await vi.waitFor(() => expect(j.bot.client.guilds.cache.get(j.guildId)?.members.me?.permissions.has('ManageRoles')).toBe(true));
    const set = await digest('set', { channel: news, time: '09:00', timezone: 'Europe/Berlin', thread: true, notify_role: role }, 'en-US');
    expect(set.content).toMatch(/^Daily digests are on\.\n\*\*Channel:\*\* /);
    const status = await digest('status', {}, 'de');
    expect(status.content).toContain(`**Kanal:** <#${news}> (mit einem Thread für jeden Tag)`);
    expect(status.content).toContain('**Uhrzeit:** 09:00 Europe/Berlin');
    expect(status.content).toContain('**Letzter Digest:** noch keiner');
  });

  it('previews the digest as the server will read it, introduced in the admin\'s language', async () => {
    const preview = await digest('preview', {}, 'fr');
    expect(textOf(preview)).toMatch(/^Voici à quoi ressemblera le prochain résumé :/);
    expect(titleOf(preview)).toBe(`Tag 1 der Geschichte: ${pack.story.title}`);
  });

  it('posts it at 09:00 in German: headings, poll lines, notify button and thread; the story\'s words as written', async () => {
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    const posted = await j.loop.waitForMessage((m) => m.channel_id === news && titleOf(m).startsWith('Tag 1'));
    const section = pack.story.sections[0]!;
    const holder = pack.stakeholders[0]!;
    expect(fieldsOf(posted).map((f) => f.name)).toEqual([`Im Fokus: ${section.title}`, `${holder.emoji} Die Sicht des Tages: ${holder.name}`, '📊 Volksheld oder Schurke?', '💬 Frage des Tages']);
    expect(textOf(posted)).toContain(section.summary);
    expect(textOf(posted)).toContain(holder.position);
    expect(textOf(posted)).toContain('Noch keine Umfrage „Volksheld oder Schurke?“');
    expect(textOf(posted)).toContain(`🔔 <@&${role}> wird bei jedem Digest angepingt.`);
    expect(controlsOf(posted).map((c) => c.label)).toEqual(['Benachrichtige mich']);
    expect(smallPrintOf(posted)).toMatch(/^Mehr lesen mit \/story section und \/take view · /);
    await vi.waitFor(() => expect(j.loop.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/messages/${posted.id}/threads`) && JSON.stringify(r.body).includes(`Tag 1: ${section.title}`))).toBe(true));
  });
});
