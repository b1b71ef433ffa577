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

describe('a poll, voted on in German', () => {
  it('confirms the vote and refuses a retract in German, the answers as the poll shows them', async () => {
    const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question: 'Tee oder Kaffee?', answers: 'Tee, Kaffee', allow_change: false } }).waitForReply();
    const member = j.loop.member({ locale: 'de' });
    const [tea] = (poll.components as Array<{ components: Array<{ custom_id?: string }> }>).flatMap((row) => row.components.map((c) => c.custom_id));
    // A poll whose votes are final shows no Retract button; a forged click gets the refusal.
    const retract = `poll:retract:${tea!.split(':')[2]}`;
    const voted = await j.loop.clickButton({ message: poll, customId: tea!, member }).waitForReply();
    expect(voted.content).toBe('Deine Stimme für **Tee** ist gezählt. Stimmen in dieser Umfrage sind endgültig.');
    const again = await j.loop.clickButton({ message: poll, customId: retract, member, force: true }).waitForReply();
    expect(again.content).toBe('Bei dieser Umfrage kann man Stimmen nicht ändern, also auch nicht zurückziehen.');
  });
});
