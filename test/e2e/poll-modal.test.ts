import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIMessage, ComponentType, InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, type InteractionHandle, smallPrintOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

const EPHEMERAL = 64;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-poll-modal-'));
const clock = new FakeClock(Date.parse('2026-06-10T12:00:00Z'));

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'polls.sqlite')}` }, { dir });

type Component = { type: number; custom_id?: string; label?: string; disabled?: boolean; max_values?: number; min_values?: number; placeholder?: string; options?: Array<{ label: string; value: string }> };
const controls = (m: APIMessage): Component[] => controlsOf(m) as Component[];
const menuOf = (m: APIMessage) => controls(m).find((c) => c.type === ComponentType.StringSelect)!;
const current = (m: APIMessage) => j.loop.message(m.id)!;

/** Runs /poll new and returns the interaction the bot answered with its form. */
async function openForm(member = j.loop.member()): Promise<InteractionHandle> {
  const shown = j.loop.sendCommand({ name: 'poll', subcommand: 'new', member });
  expect((await shown.response()).type).toBe(InteractionResponseType.Modal);
  return shown;
}

const fill = (shownBy: InteractionHandle, values: Record<string, string | string[]>) => j.loop.submitModal({ shownBy, values }).waitForReply();

async function untilShown(poll: APIMessage, pattern: RegExp): Promise<void> {
  await vi.waitFor(
    () => {
      clock.advance(2_500);
      expect(textOf(current(poll))).toMatch(pattern);
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('/poll new', () => {
  it('opens a form with the question, the answers one per line, the duration, how many to pick and the settings', async () => {
    const form = (await (await openForm()).response()).data as { title: string; components: Array<{ type: number; label: string; component: Component }> };
    expect(form.title).toBe('New poll');
    expect(form.components.map((c) => [c.type, c.label, c.component.custom_id])).toEqual([
      [ComponentType.Label, 'Question', 'question'],
      [ComponentType.Label, 'Answers, one per line', 'answers'],
      [ComponentType.Label, 'Duration', 'duration'],
      [ComponentType.Label, 'Answers each member may pick', 'max_choices'],
      [ComponentType.Label, 'Settings', 'settings'],
    ]);
  });

  it('posts the poll in the channel when the form is sent', async () => {
    const poll = await fill(await openForm(), { question: 'Which sessions should we keep?', answers: 'Keynote\nWorkshops\n\nPanels  ', duration: '2h' });
    expect(poll.flags).toBe(1 << 15); // public, laid out with Components V2
    expect(titleOf(poll)).toBe('Which sessions should we keep?');
    expect(controls(poll).map((b) => b.label)).toEqual(['Keynote', 'Workshops', 'Panels', 'Retract my vote']);
    expect(textOf(poll)).toMatch(/Closes <t:\d+:R>/);
    expect(smallPrintOf(poll)).toContain('One vote per member');
  });

  it('refuses the form, privately and naming what is missing, when the bot lost its permissions in the channel meanwhile', async () => {
    const form = await openForm();
    j.loop.setChannelForbidden(j.channelId);
    try {
      await vi.waitFor(() => {
        const channel = j.bot.client.channels.cache.get(j.channelId);
        expect(channel && 'permissionsFor' in channel && channel.permissionsFor(j.bot.client.user!.id)?.has('SendMessages')).toBe(false);
      });
      const refused = await fill(form, { question: 'Posted?', answers: 'Yes\nNo' });
      expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
      expect(refused.content).toMatch(/^I can't run a poll in this channel: I'm missing .*Send Messages/);
    } finally {
      j.loop.setChannelForbidden(j.channelId, false);
    }
  });

  it('refuses a wrong form privately, saying what to fix, and gives it back as typed', async () => {
    const member = j.loop.member();
    const refused = await fill(await openForm(member), { question: 'Lunch?', answers: `Pizza\nSushi\n${'Salad '.repeat(12)}`, duration: '3h', max_choices: ['2'], settings: ['hide'] });
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/^Answer 3 \("Salad Salad.*…"\) is 71 characters long; the limit is 55\./);
    expect(refused.content).toMatch(/Nothing was posted/);
    const edit = controls(refused).find((b) => b.label === 'Edit my poll')!;

    const again = j.loop.clickButton({ message: refused, customId: edit.custom_id!, member });
    const form = (await again.response()).data as { components: Array<{ component: { custom_id: string; value?: string; options?: Array<{ value: string; default?: boolean }> } }> };
    const field = (id: string) => form.components.find((c) => c.component.custom_id === id)!.component;
    expect(field('question').value).toBe('Lunch?');
    expect(field('answers').value).toContain('Pizza\nSushi\nSalad');
    expect(field('duration').value).toBe('3h');
    expect(field('max_choices').options!.filter((o) => o.default).map((o) => o.value)).toEqual(['2']);
    expect(field('settings').options!.filter((o) => o.default).map((o) => o.value)).toEqual(['hide']);

    // Only the wrong line is retyped; everything else is sent as it was kept.
    const poll = await fill(again, { answers: 'Pizza\nSushi\nSalad' });
    expect(poll.flags).toBe(1 << 15); // public, laid out with Components V2
    expect(titleOf(poll)).toBe('Lunch?');
    expect(textOf(poll)).toMatch(/Results are shown when the poll closes/);
    expect(menuOf(poll)).toMatchObject({ min_values: 1, max_values: 2, placeholder: 'Pick up to 2 answers' });
    const gone = await j.loop.clickButton({ message: refused, customId: edit.custom_id!, member }).waitForReply();
    expect(gone.content).toMatch(/no longer kept/);
  });

  it.each([
    [{ question: 'Q?', answers: 'Only one' }, /^A poll needs at least 2 answers; you gave 1\./],
    [{ question: 'Q?', answers: 'A\nB\na' }, /^Answers 1 and 3 are the same \("a"\)/],
    [{ question: 'Q?', answers: 'A\nB', duration: 'soon' }, /^I couldn't read "soon" as a duration/],
    [{ question: 'Q?', answers: 'A\nB', duration: '40d' }, /at most 32 days/],
    [{ question: '   ', answers: 'A\nB' }, /^The question is empty/],
  ])('answers a bad form privately: %j', async (values, said) => {
    const reply = await fill(await openForm(), values);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(said);
  });

  it('checks a tampered form\'s picks too, and posts nothing', async () => {
    const shownBy = await openForm();
    const before = j.loop.requests.length;
    const reply = await j.loop.submitModal({ shownBy, values: { question: 'Q?', answers: 'A\nB', max_choices: ['99'] }, force: true }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^A member can pick from 1 to 10 answers; you asked for 99\./);
    expect(j.loop.requests.slice(before).filter((r) => r.method === 'POST' && r.path.includes('/channels/'))).toEqual([]);
  });
});

describe('a multiple-choice poll', () => {
  let poll: APIMessage;
  const alice = () => j.loop.member({ id: '300000000000000001', username: 'alice' });

  it('is voted in a menu of its answers, up to max_choices at once', async () => {
    poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question: 'Which talks?', answers: 'Rust | Go | Zig | Odin', max_choices: 3, duration: '1d' } }).waitForReply();
    expect(menuOf(poll)).toMatchObject({ min_values: 1, max_values: 3 });
    expect(menuOf(poll).options!.map((o) => o.label)).toEqual(['Rust', 'Go', 'Zig', 'Odin']);
    expect(controls(poll).filter((c) => c.type === ComponentType.Button).map((b) => b.label)).toEqual(['Retract my vote']);
    expect(textOf(poll)).toContain('Pick up to 3 answers.');
  });

  it('records a set of answers, replaces it as a whole, and counts voters and choices', async () => {
    const member = alice();
    const menu = menuOf(poll).custom_id!;
    const first = await j.loop.selectMenu({ message: poll, customId: menu, values: ['0', '2'], member }).waitForReply();
    expect(first.flags).toBe(EPHEMERAL);
    expect(first.content).toMatch(/^Your vote for \*\*Rust\*\*, \*\*Zig\*\* is in\. Pick again in the menu/);
    await Promise.all(['1', '2', '3'].map((v) => j.loop.selectMenu({ message: poll, customId: menu, values: ['0', v], member: j.loop.member() }).waitForReply()));
    const changed = await j.loop.selectMenu({ message: poll, customId: menu, values: ['1'], member }).waitForReply();
    expect(changed.content).toMatch(/^You changed your vote from \*\*Rust\*\*, \*\*Zig\*\* to \*\*Go\*\*\./);
    await untilShown(poll, /\*\*4 voters · 7 choices\*\*/);
    expect(textOf(current(poll))).toMatch(/\*\*Rust\*\*\n.* 75% · 3 votes\n\*\*Go\*\*\n.* 50% · 2 votes/);
  });

  it('refuses more answers than allowed without changing the vote', async () => {
    const menu = menuOf(poll).custom_id!;
    const tooMany = await j.loop.selectMenu({ message: poll, customId: menu, values: ['0', '1', '2', '3'], member: alice(), force: true }).waitForReply();
    expect(tooMany.content).toBe('This poll lets each member pick up to 3 answers; you picked 4.');
    expect(await j.bot.ctx.polls.myVote(menu.split(':')[2]!, alice().id)).toEqual([1]);
  });

  it('keeps every ballot across a restart, and closes with voters and choices in the results', async () => {
    const pollId = menuOf(poll).custom_id!.split(':')[2]!;
    await j.restart({ clock });
    const again = await j.loop.selectMenu({ message: current(poll), customId: menuOf(poll).custom_id!, values: ['1'], member: alice() }).waitForReply();
    expect(again.content).toMatch(/already voted for \*\*Go\*\*; nothing changed/);
    const ended = await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: pollId }, member: j.loop.member({ permissions: 1n << 13n | 1n << 10n }) }).waitForReply();
    expect(ended.content).toMatch(/Closed the poll/);
    const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
    expect(textOf(results)).toMatch(/Rust 75% \(3\) · Go 50% \(2\) · Zig 25% \(1\) · Odin 25% \(1\) — 4 voters, 7 choices \(up to 3 each; percentages are of voters\)/);
    expect(menuOf(current(poll)).disabled).toBe(true);
  });
});
