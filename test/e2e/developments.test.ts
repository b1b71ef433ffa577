import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIMessage, InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { LoopbackMember } from '../loopback/index.js';
import { textOf } from '../loopback/read.js';
import { useJourney } from './harness.js';

const pack = loadStoryPack('data');
const EPHEMERAL = 64;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-developments-e2e-'));
const clock = new FakeClock(Date.parse('2026-06-10T12:00:00Z'));

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'developments.sqlite')}` }, { dir });

const touched = pack.story.sections[1]!;
const untouched = pack.story.sections[2]!;
const holder = pack.stakeholders[0]!;
const story = (subcommand: string, member: LoopbackMember, options: Record<string, string> = {}, subcommandGroup?: string) => j.loop.sendCommand({ name: 'story', subcommand, ...(subcommandGroup ? { subcommandGroup } : {}), options, member });
const take = (member: LoopbackMember) => j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: holder.id }, member }).waitForReply();

/** /story update add as `member`, the form filled in: the private answer. */
async function addDevelopment(member: LoopbackMember, values: { headline: string; source: string; url: string; status: string; touches: string[] }): Promise<APIMessage> {
  const shownBy = story('add', member, {}, 'update');
  expect((await shownBy.response()).type).toBe(InteractionResponseType.Modal);
  return j.loop.submitModal({ shownBy, values: { headline: values.headline, source: values.source, url: values.url, status: [values.status], touches: values.touches } }).waitForReply();
}

/** Everything a member reads about the claim's status: /story summary, updates, the section and the take. */
async function statusTexts(member: LoopbackMember): Promise<Record<string, string>> {
  return {
    summary: textOf(await story('summary', member).waitForReply()),
    updates: textOf(await story('updates', member).waitForReply()),
    section: textOf(await story('section', member, { section: touched.id }).waitForReply()),
    take: textOf(await take(member)),
  };
}

describe('developments', () => {
  const member = () => (memberOf ??= j.loop.member({ username: 'reader' }));
  let memberOf: LoopbackMember | undefined;
  const mod = () => (modOf ??= j.loop.member({ username: 'admin', permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageGuild }));
  let modOf: LoopbackMember | undefined;
  let deniedId = '';

  it('before any development: the summary says the claim is still an allegation, and nothing else has a note', async () => {
    const shown = await statusTexts(member());
    expect(shown.summary).toContain('Still an allegation as of 2026-06-10: no development recorded here since publication confirms it.');
    expect(shown.updates).toMatch(/No developments recorded yet/);
    expect(shown.section).not.toContain('Since publication');
    expect(shown.take).not.toContain('Since publication');
  });

  it('refuses a member without Manage Server, privately, and posts nothing', async () => {
    const refused = await story('add', member(), {}, 'update').waitForReply();
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toBe('You need the Manage Server permission to use this command.');
    const remove = await story('remove', member(), { id: 's-00000000' }, 'update').waitForReply();
    expect(remove.content).toBe('You need the Manage Server permission to use this command.');
  });

  it('refuses the form of a member who lost Manage Server after opening it, and adds nothing', async () => {
    const demoted = j.loop.member({ username: 'demoted', permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageGuild });
    const shownBy = story('add', demoted, {}, 'update');
    expect((await shownBy.response()).type).toBe(InteractionResponseType.Modal);
    demoted.permissions = (PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages).toString();
    const refused = await j.loop.submitModal({ shownBy, values: { headline: 'Not mine to add', source: 'Wire', url: 'https://example.org/x', status: ['denied'], touches: [] } }).waitForReply();
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toBe('You need the Manage Server permission to use this command.');
    expect(await j.bot.ctx.developments.list(j.guildId)).toEqual([]);
  });

  it('a moderator adds a denial: status everywhere, notes on what it touches only', async () => {
    const added = await addDevelopment(mod(), { headline: 'The company <@&1> denies the **claims**', source: 'Wire', url: 'https://example.org/denial', status: 'denied', touches: [`section.${touched.id}`, `stakeholder.${holder.id}`] });
    expect(added.flags! & EPHEMERAL).toBe(EPHEMERAL);
    deniedId = /id (s-[0-9a-f]{8})/.exec(added.content)![1]!;
    const shown = await statusTexts(member());
    // Inert: no ping, no bold.
    const quoted = 'The company \\<\u200b@&1> denies the \\*\\*claims\\*\\*';
    expect(shown.summary).toContain(`Still an allegation as of 2026-06-10, and denied: Wire reported on 2026-06-10: “${quoted}”.`);
    expect(shown.updates).toContain('Still an allegation as of 2026-06-10, and denied');
    expect(shown.updates).toContain(`**2026-06-10** · Denied\n“${quoted}”`);
    expect(shown.updates).toContain(`Wire: https://example.org/denial\n-# Added in this server · id ${deniedId}`);
    expect(shown.section).toContain(`-# Since publication: Wire reported on 2026-06-10: “${quoted}” (Denied). More in /story updates.`);
    expect(shown.take).toContain('Since publication: Wire reported on 2026-06-10');
    expect(textOf(await story('section', member(), { section: untouched.id }).waitForReply())).not.toContain('Since publication');
  });

  it('refuses a link that is not https, privately', async () => {
    const refused = await addDevelopment(mod(), { headline: 'x', source: 'Wire', url: 'http://example.org', status: 'alleged', touches: [] });
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toBe('The source needs an https link (https://…).');
    const pill = await addDevelopment(mod(), { headline: 'x', source: 'Wire', url: 'https://a.example/<@&123>', status: 'alleged', touches: [] });
    expect(pill.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(pill.content).toMatch(/^The link can't contain spaces, brackets/);
  });

  it('a later confirmation is shown as the source’s report, never as fact, in every command that shows the status', async () => {
    clock.advance(24 * 60 * 60 * 1000);
    await addDevelopment(mod(), { headline: 'Regulator says it confirmed the leak', source: 'Gazette', url: 'https://example.org/confirmed', status: 'confirmed', touches: [`section.${touched.id}`] });
    const shown = await statusTexts(member());
    expect(shown.summary).toContain("As of 2026-06-11, Gazette reports the allegation confirmed (2026-06-11: “Regulator says it confirmed the leak”). That is Gazette's report, not a finding of tamasha.");
    expect(shown.updates).toMatch(/\*\*2026-06-11\*\* · Reported confirmed[\s\S]*\*\*2026-06-10\*\* · Denied/);
    expect(shown.section).toContain('Since publication: Gazette reported on 2026-06-11: “Regulator says it confirmed the leak” (Reported confirmed).');
    // The take is touched only by the denial.
    expect(shown.take).toContain('Since publication: Wire reported on 2026-06-10');
    for (const [where, text] of Object.entries(shown)) {
      const lines = text.split('\n').filter((l) => /confirm|denied|allegation/i.test(l) && !l.includes('Since publication:') && !/^\*\*2026/.test(l));
      for (const line of lines) expect(`${where}: ${line}`).toMatch(/allegation|reports|reported|Gazette|Wire|Regulator/);
      expect(text, where).not.toMatch(/\b(it is|was) (true|proven|a fact)\b|\bconfirmed fact\b/i);
    }
  });

  it('a moderator removes a development; the status follows', async () => {
    const removed = await story('remove', mod(), { id: deniedId }, 'update').waitForReply();
    expect(removed.flags! & EPHEMERAL).toBe(EPHEMERAL);
    // The headline is echoed inert, as everywhere else: no role pill, no bold.
    expect(removed.content).toBe('Removed: “The company \\<\u200b@&1> denies the \\*\\*claims\\*\\*”.');
    expect(textOf(await take(member()))).not.toContain('Since publication');
    const again = await story('remove', mod(), { id: deniedId }, 'update').waitForReply();
    expect(again.content).toMatch(/^This server has no development with that id/);
  });

  it('keeps the server’s developments across a restart', async () => {
    await j.restart({ clock });
    const updates = textOf(await story('updates', member()).waitForReply());
    expect(updates).toContain('Gazette reports the allegation confirmed');
    expect(updates).not.toContain('Denied');
  });
});
