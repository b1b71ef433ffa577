import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoopbackMember } from '../loopback/index.js';
import { parseCsv, section, valueOf } from '../helpers/csv.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { useJourney } from './harness.js';

const EPHEMERAL = 64;
const MINUTE = 60_000;
const START = Date.parse('2026-06-10T09:30:00Z');
const clock = new FakeClock(START);
let general = '';
let mods = '';
let moderator: LoopbackMember;

const j = useJourney({ clock, guilds: [{ channels: [{ name: 'general' }, { name: 'mods' }] }] });
beforeAll(async () => {
  const guild = j.loop.guilds[0]!;
  [general, mods] = [guild.channelId('general'), guild.channelId('mods')];
  // #mods: hidden from @everyone, shown to the Moderators role (and the bot).
  const modRole = j.loop.addRole(guild.id, { name: 'Moderators' });
  j.loop.setOverwrite(mods, { id: guild.id, type: 'role', deny: PermissionFlagsBits.ViewChannel });
  j.loop.setOverwrite(mods, { id: modRole, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  j.loop.setOverwrite(mods, { id: guild.botRoleId, type: 'role', allow: PermissionFlagsBits.ViewChannel });
  moderator = j.loop.member({ username: 'moderator', roles: [modRole] });
});

/** The poll id from any of its vote buttons, wherever the message keeps them. */
const pollIdOf = (m: APIMessage): string => /poll:vote:([0-9a-f]{8}):/.exec(JSON.stringify(m.components))![1]!;
const command = (sub: string, who: LoopbackMember, channelId: string, options: Record<string, string | boolean> = {}) =>
  j.loop.sendCommand({ name: 'poll', subcommand: sub, options, member: who, channelId }).waitForReply();
const voteAt = async (minutes: number, message: APIMessage, who: LoopbackMember, answer: number) => {
  clock.set(START + minutes * MINUTE);
  const ack = await j.loop.clickButton({ message, customId: `poll:vote:${pollIdOf(message)}:${answer}`, member: who }).waitForReply();
  expect(ack.content).toMatch(/vote/i);
};
/** The CSV attached to a reply, read with a strict RFC 4180 reader. */
const csvOf = (reply: APIMessage): { rows: string[][]; raw: string } => {
  const files = j.loop.filesOf(reply.id);
  expect(files.map((f) => f.filename)).toEqual([expect.stringMatching(/^poll-[0-9a-f]{8}\.csv$/)]);
  const raw = files[0]!.data.toString('utf8');
  return { rows: parseCsv(raw), raw };
};

describe('/poll export', () => {
  const members: LoopbackMember[] = [];
  let poll: APIMessage;

  beforeAll(async () => {
    const creator = j.loop.member({ username: 'creator' });
    clock.set(START);
    poll = await command('start', creator, general, { question: 'Tea or coffee?', answers: 'Tea, Coffee, =HYPERLINK("http://x.invalid")', duration: '24h' });
    const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((username) => j.loop.member({ username }));
    members.push(creator, alice!, bob!, carol!, dave!);
    await voteAt(10, poll, alice!, 0); // 09:40 Tea
    await voteAt(40, poll, bob!, 1); // 10:10 Coffee
    await voteAt(50, poll, dave!, 1); // 10:20 Coffee…
    await voteAt(95, poll, carol!, 0); // 11:05 Tea
    await voteAt(130, poll, dave!, 2); // 11:40 …changed to the third answer
    clock.set(START + 150 * MINUTE); // 12:00
  });

  it('gives the member who asked, and only them, a CSV of the answers, counts and standings over time', async () => {
    const asker = j.loop.member({ username: 'asker' });
    const reply = await command('export', asker, general, { poll: pollIdOf(poll) });
    expect(reply.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Tea or coffee\?.*CSV/);
    const { rows } = csvOf(reply);
    expect(valueOf(rows, 'Poll')).toBe(`#${pollIdOf(poll)}`);
    expect(valueOf(rows, 'Question')).toBe('Tea or coffee?');
    expect(valueOf(rows, 'Status')).toBe('Open');
    expect(valueOf(rows, 'Voters')).toBe('4');
    const answers = section(rows, 'Answer').map((r) => r.slice(0, 3));
    expect(answers).toEqual([['Answer', 'Votes', 'Percent'], ['Tea', '2', '50'], ['Coffee', '1', '25'], ['\'=HYPERLINK("http://x.invalid")', '1', '25']]);
    expect(section(rows, 'Time (UTC)').map((r) => r.slice(0, 5))).toEqual([
      ['Time (UTC)', 'Voters', 'Tea', 'Coffee', '\'=HYPERLINK("http://x.invalid")'],
      ['2026-06-10 09:30:00', '0', '0', '0', '0'],
      ['2026-06-10 10:00:00', '1', '1', '0', '0'],
      ['2026-06-10 11:00:00', '2', '1', '1', '0'], // bob; dave's 10:20 vote was changed, so it counts from 11:40
      ['2026-06-10 12:00:00', '4', '2', '1', '1'],
    ]);
  });

  it('never names a voter: no member id, no username anywhere in the file', async () => {
    const { raw } = csvOf(await command('export', j.loop.member(), general, { poll: pollIdOf(poll) }));
    for (const m of members) {
      expect(raw).not.toContain(m.id);
      expect(raw).not.toContain(m.username);
    }
    expect(raw).not.toMatch(/\d{17,20}/); // no snowflake of any kind
  });

  it('is offered by autocomplete, closed polls too, and ends a closed poll at its close', async () => {
    const choices = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'export', options: { poll: 'tea' }, focused: 'poll', member: moderator, channelId: general }).autocompleteChoices();
    expect(choices.map((c) => c.value)).toContain(pollIdOf(poll));
    clock.set(START + 24 * 60 * MINUTE + MINUTE); // past its deadline: the poll closes
    const { rows } = csvOf(await command('export', moderator, general, { poll: pollIdOf(poll) }));
    expect(valueOf(rows, 'Status')).toBe('Closed');
    expect(valueOf(rows, 'Closed (UTC)')).toBe('2026-06-11 09:30:00');
    const over = section(rows, 'Time (UTC)');
    expect(over).toHaveLength(1 + 26); // the header; 09:30, every whole hour from 10:00 to 09:00, the close at 09:30
    expect(over.at(-1)!.slice(0, 5)).toEqual(['2026-06-11 09:30:00', '4', '2', '1', '1']);
    const later = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'export', options: { poll: 'tea' }, focused: 'poll', member: moderator, channelId: general }).autocompleteChoices();
    expect(later.map((c) => c.name)).toContain('[closed] Tea or coffee?');
  });
});

describe('a poll a member may not see', () => {
  it('is refused to them privately, as an unknown poll, and not offered; a moderator gets it', async () => {
    clock.set(START + 2 * 24 * 60 * MINUTE);
    const secret = await command('start', moderator, mods, { question: 'Ban the spammer?', answers: 'Yes, No' });
    await j.loop.clickButton({ message: secret, customId: `poll:vote:${pollIdOf(secret)}:0`, member: moderator }).waitForReply();
    const member = j.loop.member({ username: 'member' });
    const choices = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'export', options: { poll: '' }, focused: 'poll', member, channelId: general }).autocompleteChoices();
    expect(choices.map((c) => c.value)).not.toContain(pollIdOf(secret));

    const refused = await command('export', member, general, { poll: pollIdOf(secret) });
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/no longer exists/);
    expect(JSON.stringify(refused)).not.toMatch(/Ban the spammer/);
    expect(j.loop.filesOf(refused.id)).toEqual([]);

    const { rows } = csvOf(await command('export', moderator, general, { poll: pollIdOf(secret) }));
    expect(valueOf(rows, 'Question')).toBe('Ban the spammer?');
  });
});

describe('a poll with hidden results', () => {
  it('is exported without counts per answer while it runs, and with its final counts once closed', async () => {
    clock.set(START + 3 * 24 * 60 * MINUTE);
    const creator = j.loop.member({ username: 'secretive' });
    const hidden = await command('start', creator, general, { question: 'Secret ballot?', answers: 'Aye, Nay', duration: '2h', hide_results: true });
    await voteAt(3 * 24 * 60 + 5, hidden, j.loop.member(), 0);
    await voteAt(3 * 24 * 60 + 65, hidden, j.loop.member(), 0);
    await voteAt(3 * 24 * 60 + 70, hidden, j.loop.member(), 1);

    const running = await command('export', creator, general, { poll: pollIdOf(hidden) });
    expect(running.content).toMatch(/hidden until it closes/);
    const { rows } = csvOf(running);
    expect(valueOf(rows, 'Voters')).toBe('3');
    expect(section(rows, 'Answer').slice(1).map((r) => r.filter(Boolean))).toEqual([['Aye'], ['Nay']]);
    expect(section(rows, 'Time (UTC)')[0]!.filter(Boolean)).toEqual(['Time (UTC)', 'Voters']);

    clock.set(START + 3 * 24 * 60 * MINUTE + 2 * 60 * MINUTE);
    const closed = csvOf(await command('export', creator, general, { poll: pollIdOf(hidden) })).rows;
    expect(section(closed, 'Answer').slice(1).map((r) => r.slice(0, 2))).toEqual([['Aye', '2'], ['Nay', '1']]);
    expect(section(closed, 'Time (UTC)')[0]!.filter(Boolean)).toEqual(['Time (UTC)', 'Voters']);
  });
});
