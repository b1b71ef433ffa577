import { describe, expect, it, vi } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { controlsOf, fieldsOf, smallPrintOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';
import { knownOnly, type TakeLabels, viewLabels } from '../helpers/take-fields.js';

/** Members whose Discord speaks German or Japanese, through the real client and the loopback Discord. */
const pack = loadStoryPack('data');
/** The take's labels a German member saw when this was written (a field added since is labelled as the bot looks it up). */
const GERMAN: TakeLabels = { position: 'Position', gains: 'Kann gewinnen', losses: 'Kann verlieren', nextMove: 'Wahrscheinlicher nächster Schritt', quotes: 'Im Wortlaut des Artikels', question: 'Jetzt du' };
const j = useJourney({ guilds: [{}, { name: 'Tokio', locale: 'ja' }, { name: 'Berlin', locale: 'de' }] });

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
    const [tea] = controlsOf(poll).map((c) => c.custom_id as string | undefined);
    // A poll whose votes are final shows no Retract button; a forged click gets the refusal.
    const retract = `poll:retract:${tea!.split(':')[2]}`;
    const voted = await j.loop.clickButton({ message: poll, customId: tea!, member }).waitForReply();
    expect(voted.content).toBe('Deine Stimme für **Tee** ist gezählt. Stimmen in dieser Umfrage sind endgültig.');
    const again = await j.loop.clickButton({ message: poll, customId: retract, member, force: true }).waitForReply();
    expect(again.content).toBe('Bei dieser Umfrage kann man Stimmen nicht ändern, also auch nicht zurückziehen.');
  });
});

describe('the story, read by a German member', () => {
  const member = () => j.loop.member({ locale: 'de' });
  const labels = (message: Parameters<typeof controlsOf>[0]) => controlsOf(message).map((c) => c.label ?? c.placeholder);

  it('/story section: German labels and buttons around the article\'s English words', async () => {
    const section = pack.story.sections[0]!;
    const reader = member();
    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: section.id }, member: reader }).waitForReply();
    expect(titleOf(reply)).toBe(`1. ${section.title}`);
    expect(textOf(reply)).toContain(`**Kurz gesagt:** ${section.summary}`);
    expect(fieldsOf(reply).map((f) => f.name)).toEqual(['Der Wortlaut des Artikels']);
    // The article's words, untouched: its first sentence as the pack has it.
    expect(fieldsOf(reply)[0]!.value).toContain(section.paragraphs[0]!.split(' ').slice(0, 6).join(' '));
    expect(smallPrintOf(reply)).toMatch(new RegExp(`^Abschnitt 1 von ${pack.story.sections.length}`));
    expect(labels(reply)).toEqual(['◀ Zurück', 'Weiter ▶']);
    const next = await j.loop.clickButton({ message: reply, customId: controlsOf(reply)[1]!.custom_id as string, member: reader }).waitForReply();
    expect(next.id).toBe(reply.id);
    expect(smallPrintOf(next)).toMatch(/^Abschnitt \d+ von \d+/);
    expect(labels(next)).toEqual(['◀ Zurück', 'Weiter ▶']);
  });

  it('/take view: German field names, the stakeholder and quotes as written', async () => {
    const holder = pack.stakeholders[0]!;
    const reply = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: holder.id }, member: member() }).waitForReply();
    expect(textOf(reply)).toContain(holder.position);
    expect(fieldsOf(reply).map((f) => f.name)).toEqual(viewLabels(GERMAN, 'de'));
    expect(knownOnly(fieldsOf(reply).map((f) => f.name), GERMAN)).toEqual(['Kann gewinnen', 'Kann verlieren', 'Wahrscheinlicher nächster Schritt', 'Im Wortlaut des Artikels', 'Jetzt du']);
    expect(fieldsOf(reply).find((f) => f.name === GERMAN.quotes)!.value).toContain(holder.quotes[0]!.text.slice(0, 40));
    const english = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: holder.id } }).waitForReply();
    expect(fieldsOf(english).map((f) => f.name)).toContain('Stands to gain');
  });

  it('/help: German descriptions of every command', async () => {
    const reply = await j.loop.sendCommand({ name: 'help', member: member() }).waitForReply();
    expect(titleOf(reply)).toBe('tamasha – gemeinsam über eine Geschichte reden');
    expect(textOf(reply)).toMatch(/\/umfrage/);
    expect(smallPrintOf(reply)).toContain('privat:true');
  });
});

describe('a poll in a server whose preferred locale is Japanese', () => {
  it('is posted, edited and closed in Japanese, while each member is answered in their own language', async () => {
    const tokyo = j.loop.guilds[1]!;
    const creator = j.loop.member();
    const poll = await j.loop
      .sendCommand({ name: 'poll', subcommand: 'start', guildId: tokyo.id, options: { question: 'Tea or *coffee*?', answers: 'Tea, Coffee' }, member: creator })
      .waitForReply();
    expect(titleOf(poll)).toBe('Tea or \\*coffee\\*?');
    const id = (controlsOf(poll)[0]!.custom_id as string).split(':')[2]!;
    expect(controlsOf(poll).map((c) => c.label)).toEqual(['Tea', 'Coffee', '投票を取り消す']);
    expect(textOf(poll)).toContain('**投票者 0 人** · ');
    expect(textOf(poll)).toMatch(/<t:\d+:R> に締め切り/);
    expect(smallPrintOf(poll)).toBe(`投票 ${id} · 1 人 1 票 · 変更・取り消しができます`);

    // An English member's vote is confirmed in English; the shared message is edited in Japanese.
    const voted = await j.loop.clickButton({ message: poll, customId: controlsOf(poll)[0]!.custom_id as string }).waitForReply();
    expect(voted.content).toMatch(/^Your vote for \*\*Tea\*\* is in\./);
    await vi.waitFor(() => expect(textOf(j.loop.message(poll.id)!)).toContain('**投票者 1 人**'), { timeout: 10_000, interval: 100 });
    expect(textOf(j.loop.message(poll.id)!)).toContain('100% · 1 票');

    // The German member asking for the standings reads them in German.
    const standings = await j.loop.sendCommand({ name: 'poll', subcommand: 'results', guildId: tokyo.id, options: { poll: id }, member: j.loop.member({ locale: 'de' }) }).waitForReply();
    expect(textOf(standings)).toContain('100% · 1 Stimme');
    expect(smallPrintOf(standings)).toBe(`Umfrage ${id} · Eine Stimme pro Mitglied · du kannst sie ändern oder zurückziehen`);

    const ended = await j.loop.sendCommand({ name: 'poll', subcommand: 'end', guildId: tokyo.id, options: { poll: id }, member: creator }).waitForReply();
    expect(ended.content).toMatch(/^Closed the poll/);
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toContain('📊 投票終了: Tea or \\*coffee\\*? — Tea 100% (1) · Coffee 0% (0) — 投票者 1 人');
    expect(smallPrintOf(results)).toBe(`投票 ${id}`);
    await vi.waitFor(() => expect(smallPrintOf(j.loop.message(poll.id)!)).toBe(`投票 ${id} · 投票は終了しました`), { timeout: 10_000, interval: 100 });
  });
});

describe('/verdict now, asked by a German member', () => {
  it('frames the headline question in German, the question and answers as the story pack has them', async () => {
    const reply = await j.loop.sendCommand({ name: 'verdict', subcommand: 'now', member: j.loop.member({ locale: 'de' }) }).waitForReply();
    expect(titleOf(reply)).toBe(`Das Urteil: ${pack.headlinePoll.question}`);
    expect(textOf(reply)).toContain('Noch hat niemand Stellung bezogen.');
    expect(controlsOf(reply).map((c) => c.label)).toEqual([...pack.headlinePoll.answers.map((a) => a.label), 'Meine Position zurückziehen']);
  });
});
