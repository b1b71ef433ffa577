import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Journey, startJourney } from './harness.js';

/** Members whose Discord speaks German or Japanese, through the real client and the loopback Discord. */
let j: Journey;
beforeAll(async () => {
  j = await startJourney({});
});
afterEach(() => j.loop.assertNoViolations());
afterAll(async () => {
  await j?.close();
});

describe('a member in their own language', () => {
  it('sees the commands registered with German and Japanese names and descriptions', () => {
    const poll = j.loop.commands(j.guildId).find((c) => c.name === 'poll')!;
    expect(poll.name_localizations).toMatchObject({ de: 'umfrage', ja: '投票' });
    expect(poll.description_localizations?.de).toMatch(/Umfragen/);
  });

  it.each([
    ['de', /Für diesen Befehl brauchst du die Berechtigung Server verwalten\./, /nicht mehr aktiv/],
    ['ja', /サーバー管理 の権限が必要です/, /もう無効です/],
  ])('is refused in %s', async (locale, permission, stale) => {
    const member = j.loop.member({ locale });
    const refused = await j.loop.sendCommand({ name: 'digest', subcommand: 'status', member }).waitForReply();
    expect(refused.flags).toBe(64);
    expect(refused.content).toMatch(permission);
    const message = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'intro' } }).waitForReply();
    const junk = await j.loop.clickButton({ message, customId: 'nobody:knows', member, force: true }).waitForReply();
    expect(junk.content).toMatch(stale);
  });

  it('in a language tamasha does not speak (Korean), or Latin American Spanish, falls back sensibly', async () => {
    const korean = await j.loop.sendCommand({ name: 'digest', subcommand: 'status', member: j.loop.member({ locale: 'ko' }) }).waitForReply();
    expect(korean.content).toMatch(/You need the Manage Server permission/);
    const spanish = await j.loop.sendCommand({ name: 'digest', subcommand: 'status', member: j.loop.member({ locale: 'es-419' }) }).waitForReply();
    expect(spanish.content).toMatch(/Necesitas el permiso Gestionar servidor/);
  });
});
