import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { describe, expect, it, vi } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

const pack = loadStoryPack('data');
const EPHEMERAL = 64;
const V2 = 1 << 15;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-poll-e2e-'));
const clock = new FakeClock(Date.parse('2026-06-10T12:00:00Z'));

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'polls.sqlite')}`, guilds: [{}, {}] }, { dir });

type Button = { custom_id?: string; label?: string; disabled?: boolean };
const buttons = (m: APIMessage): Button[] => controlsOf(m).filter((c) => c.type === 2) as Button[];
const byLabel = (m: APIMessage, label: string) => buttons(m).find((b) => b.label === label)!.custom_id!;
const current = (m: APIMessage) => j.loop.message(m.id)!;

async function startPoll(options: Record<string, string | boolean> = {}, member = j.loop.member()): Promise<APIMessage> {
  return j.loop.sendCommand({ name: 'poll', subcommand: 'start', options, member }).waitForReply();
}

/** Waits for the poll message to show `pattern`, moving the fake clock past each coalescing interval. */
async function untilShown(poll: APIMessage, pattern: RegExp): Promise<void> {
  await vi
    .waitFor(
      () => {
        clock.advance(2_500);
        expect(textOf(current(poll))).toMatch(pattern);
      },
      { timeout: 10_000, interval: 50 },
    )
    .catch((error: unknown) => {
      // Say what the bot tried, so a failure here can be diagnosed from the CI log alone.
      const warnings = j.logs.filter((l) => l.level >= 40).map((l) => JSON.stringify(l));
      const edits = j.loop.requests.filter((r) => r.method === 'PATCH' && r.path.includes(poll.id)).map((r) => `${r.path} ${r.status}`);
      throw new Error(`${String(error)}\nbot warnings:\n${warnings.join('\n')}\nedits of the poll message:\n${edits.join('\n')}`);
    });
}

describe('the headline poll', () => {
  let poll: APIMessage;
  const voter = () => j.loop.member();

  it('starts with no options: the story\'s question, one button per answer, and a retract button', async () => {
    poll = await startPoll();
    expect(poll.flags).toBe(V2);
    expect(titleOf(poll)).toContain(pack.headlinePoll.question.slice(0, 40));
    expect(buttons(poll).map((b) => b.label)).toEqual([...pack.headlinePoll.answers.map((a) => a.label), 'Retract my vote']);
    expect(textOf(poll)).toMatch(/<t:\d+:R>/);
    // Each answer is a section: its name and standing, with its vote button beside it.
    type Section = { type: number; accessory?: { label?: string }; components?: Array<{ content?: string }> };
    const sections = ((poll.components?.[0] as { components: Section[] }).components ?? []).filter((c) => c.type === 9);
    expect(sections.map((c) => c.accessory?.label)).toEqual(pack.headlinePoll.answers.map((a) => a.label));
    expect(sections.map((c) => c.components?.[0]?.content)).toEqual(pack.headlinePoll.answers.map((a) => expect.stringMatching(new RegExp(`^\\*\\*${a.emoji} ${a.label}\\*\\*\\n░{10} 0% · 0 votes$`))));
  });

  it('records a vote, confirms it privately with how to change it, and updates the standings', async () => {
    const alice = voter();
    const reply = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Folk hero'), member: alice }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Your vote for \*\*Folk hero\*\* is in\. Click another answer to change it/);
    await untilShown(poll, /1 vote/);
    const change = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Villain'), member: alice }).waitForReply();
    expect(change.content).toMatch(/changed your vote from \*\*Folk hero\*\* to \*\*Villain\*\*/);
    const retract = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Retract my vote'), member: alice }).waitForReply();
    expect(retract.content).toMatch(/Your vote for \*\*Villain\*\* was retracted/);
    const again = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Retract my vote'), member: alice }).waitForReply();
    expect(again.content).toMatch(/haven't voted/);
  });

  it('counts many members and never shows who voted for what', async () => {
    const members = Array.from({ length: 30 }, () => voter());
    await Promise.all(members.map((m, i) => j.loop.clickButton({ message: poll, customId: byLabel(poll, i % 3 === 0 ? 'Both' : 'Folk hero'), member: m }).waitForReply()));
    await untilShown(poll, /30 voters/);
    const text = JSON.stringify(current(poll));
    for (const m of members) expect(text).not.toContain(m.id);
    const results = await j.loop.sendCommand({ name: 'poll', subcommand: 'results', options: { poll: pollIdOf(poll) } }).waitForReply();
    expect(results.flags).toBe(EPHEMERAL | V2);
    expect(textOf(results)).toMatch(/Folk hero[\s\S]*20 votes/);
  });

  it('autocompletes open polls, and lists them with links', async () => {
    const choices = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'end', options: { poll: '' }, focused: 'poll' }).autocompleteChoices();
    expect(choices.map((c) => c.value)).toContain(pollIdOf(poll));
    const list = await j.loop.sendCommand({ name: 'poll', subcommand: 'list' }).waitForReply();
    const links = controlsOf(list).map((c) => c.url);
    expect(links).toContain(`https://discord.com/channels/${j.guildId}/${poll.channel_id}/${poll.id}`);
    expect(textOf(list)).toContain(pack.headlinePoll.question.slice(0, 40));
  });

  it('lets only the creator or a moderator end it; the end disables the buttons and posts the results as a reply', async () => {
    const stranger = await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: pollIdOf(poll) }, member: j.loop.member() }).waitForReply();
    expect(stranger.flags).toBe(EPHEMERAL);
    expect(stranger.content).toMatch(/creator|Manage Messages/);
    const mod = j.loop.member({ permissions: PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ViewChannel });
    const ended = await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: pollIdOf(poll) }, member: mod }).waitForReply();
    expect(ended.content).toMatch(/Closed the poll/);
    expect(buttons(current(poll)).every((b) => b.disabled)).toBe(true);
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toMatch(/Poll closed/);
    expect(results.flags).toBe(V2);
    const late = await j.loop.clickButton({ message: current(poll), customId: byLabel(poll, 'Villain'), force: true }).waitForReply();
    expect(late.content).toMatch(/closed/);
  });
});

function pollIdOf(message: APIMessage): string {
  return buttons(message)[0]!.custom_id!.split(':')[2]!;
}

describe('member polls', () => {
  it('runs the caller\'s own question, and mentions in it never ping', async () => {
    const poll = await startPoll({ question: 'Ping @everyone and <@&123456789012345678>?', answers: 'Yes @here, No, Maybe', duration: '90m' });
    expect(titleOf(poll)).not.toMatch(/@everyone(?!\u200b)/);
    expect(JSON.stringify(j.loop.requests.at(-1))).not.toMatch(/"parse":\["everyone"/);
    expect(buttons(poll).map((b) => b.label)).toEqual(['Yes @here', 'No', 'Maybe', 'Retract my vote']);
  });

  it('explains bad input: one answer, a long answer, a bad duration, options without a question', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ question: 'Q?', answers: 'Only one' }, /2 to 10|at least 2/i],
      [{ question: 'Q?', answers: `Short, ${'x'.repeat(56)}` }, /55/],
      [{ question: 'Q?', answers: 'A, B', duration: '33d' }, /32 days/],
      [{ answers: 'A, B' }, /give it a `question`/],
    ];
    for (const [options, message] of cases) {
      const reply = await startPoll(options);
      expect(reply.flags).toBe(EPHEMERAL);
      expect(reply.content).toMatch(message);
    }
  });

  it('accepts text at the maximum lengths', async () => {
    const answers = Array.from({ length: 10 }, (_, i) => `${i}${'a'.repeat(54)}`).join(' | ');
    const poll = await startPoll({ question: 'q'.repeat(300), answers, duration: '32d' });
    expect(buttons(poll)).toHaveLength(11);
  });

  it('limits voting to a role when asked', async () => {
    const role = j.loop.guilds[0]!.botRoleId;
    const poll = await startPoll({ question: 'Members only?', answers: 'Yes, No', voter_role: role });
    const outsider = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Yes') }).waitForReply();
    expect(outsider.content).toMatch(/role/);
    const insider = await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Yes'), member: j.loop.member({ roles: [role] }) }).waitForReply();
    expect(insider.content).toMatch(/is in/);
  });

  it('hides results until the close, then closes at the deadline with the final standings', async () => {
    const poll = await startPoll({ question: 'Secret?', answers: 'Yes, No', duration: '2h', hide_results: true });
    await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'No') }).waitForReply();
    const early = await j.loop.sendCommand({ name: 'poll', subcommand: 'results', options: { poll: pollIdOf(poll) } }).waitForReply();
    expect(textOf(early)).not.toMatch(/100%/);
    expect(textOf(early)).toMatch(/1 vote|1 voter/);
    clock.advance(2 * 3_600_000);
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toMatch(/No 100%|No.*100%/);
    expect(buttons(current(poll)).every((b) => b.disabled)).toBe(true);
  });

  it('refuses tampered, foreign and malformed poll buttons without changing anything', async () => {
    const poll = await startPoll({ question: 'Tamper?', answers: 'A, B' });
    const id = pollIdOf(poll);
    const outOfRange = await j.loop.clickButton({ message: poll, customId: `poll:vote:${id}:9`, force: true }).waitForReply();
    expect(outOfRange.content).toMatch(/isn't part of this poll/);
    const unknown = await j.loop.clickButton({ message: poll, customId: 'poll:vote:deadbeef:0', force: true }).waitForReply();
    expect(unknown.flags).toBe(EPHEMERAL);
    const malformed = await j.loop.clickButton({ message: poll, customId: 'poll:vote', force: true }).waitForReply();
    expect(malformed.content).toMatch(/no longer active/);
    // The same poll clicked from another server.
    const other = j.loop.guilds[1]!;
    const foreign = await j.loop.sendCommand({ name: 'poll', subcommand: 'results', options: { poll: id }, guildId: other.id, force: true }).waitForReply();
    expect(foreign.content).toMatch(/doesn't belong to this server|can't find/);
    // One real vote afterwards: once the poll shows it, every earlier click has been through the same
    // path, so "1 vote" (not more) shows the refused ones changed nothing.
    await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'B') }).waitForReply();
    await untilShown(poll, /\*\*1 voter\*\*/);
    expect(textOf(current(poll))).toMatch(/\*\*B\*\*\n.* 100% · 1 vote\b/);
  });

  it('lays out anew a poll message posted before Components V2 (an embed) when its standings change', async () => {
    const poll = await startPoll({ question: 'Old look?', answers: 'A, B' });
    // The bot records the message id once Discord has answered its reply.
    const stored = await vi.waitFor(async () => {
      const found = (await j.bot.ctx.polls.openPolls(j.guildId)).find((p) => p.messageId === poll.id);
      if (!found) throw new Error('the poll has no message id yet');
      return found;
    });
    // The same poll as an older tamasha posted it: an embed and rows of buttons, without the flag.
    const channel = await j.bot.client.channels.fetch(poll.channel_id);
    if (!channel?.isSendable()) throw new Error('the poll channel should be sendable');
    const rows = [{ type: 1, components: controlsOf(poll) }];
    const legacy = await channel.send({ embeds: [{ title: 'Old look?', description: 'A, B' }], components: rows as never });
    expect(legacy.flags.bitfield).toBe(0);
    await j.bot.ctx.polls.attachMessage(stored, legacy.id);
    await j.loop.clickButton({ message: j.loop.message(legacy.id)!, customId: byLabel(poll, 'A') }).waitForReply();
    await untilShown(j.loop.message(legacy.id)!, /\*\*1 voter\*\*/);
    const upgraded = current(j.loop.message(legacy.id)!);
    expect(upgraded.flags).toBe(V2);
    expect(upgraded.embeds).toEqual([]);
    expect(titleOf(upgraded)).toBe('Old look?');
  });

  it('allows at most 25 open polls per server', async () => {
    const open = (await j.bot.ctx.polls.openPolls(j.guildId)).length;
    for (let i = open; i < 25; i++) await startPoll({ question: `Filler ${i}?`, answers: 'A, B' });
    const refused = await startPoll({ question: 'One too many?', answers: 'A, B' });
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/25 open polls/);
  });
});

describe('restarts', () => {
  it('keeps votes and re-arms deadlines; a deadline missed while down closes once on start', async () => {
    const guild = j.loop.guilds[1]!;
    const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, options: { question: 'Survives?', answers: 'Yes, No', duration: '1h' } }).waitForReply();
    await j.loop.clickButton({ message: poll, customId: byLabel(poll, 'Yes') }).waitForReply();
    await j.bot.stop();
    clock.advance(2 * 3_600_000); // the deadline passes while the bot is down
    await j.restart({ clock });
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toMatch(/Yes 100%|Yes.*1/);
    // A restart resolves once start-up has loaded the polls and closed or re-delivered what was due,
    // so a second results post would already be there.
    await j.restart({ clock });
    expect(j.loop.messagesIn(poll.channel_id).filter((m) => m.message_reference?.message_id === poll.id)).toHaveLength(1);
  });
});
