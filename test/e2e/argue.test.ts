import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIMessage, ComponentType, InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../src/constants.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { LoopbackMember } from '../loopback/index.js';
import { controlsOf, smallPrintOf, textOf, titleOf } from '../loopback/read.js';
import { useJourney } from './harness.js';

const pack = loadStoryPack('data');
const EPHEMERAL = 64;
const V2 = 1 << 15;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-argue-e2e-'));
const clock = new FakeClock(Date.parse('2026-06-10T12:00:00Z'));

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'argue.sqlite')}` }, { dir });

type Control = { custom_id?: string; label?: string };
const byLabel = (m: APIMessage, label: string | RegExp) => (controlsOf(m) as Control[]).find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label ?? '')))!.custom_id!;
const current = (m: APIMessage) => j.loop.message(m.id)!;
const argue = (subcommand: string, member: LoopbackMember, options: Record<string, string | number | boolean> = {}) => j.loop.sendCommand({ name: 'argue', subcommand, options, member });

/** /argue add, filled in and sent: the card in the channel, or the private refusal. */
async function add(member: LoopbackMember, text: string, side = 'stance.1', section?: string): Promise<APIMessage> {
  const shownBy = argue('add', member);
  expect((await shownBy.response()).type).toBe(InteractionResponseType.Modal);
  return j.loop.submitModal({ shownBy, values: { side: [side], text, ...(section ? { section: [section] } : {}) } }).waitForReply();
}

/** Clicks a button that updates its message and answers privately: the private answer. */
async function click(message: APIMessage, label: string | RegExp, member: LoopbackMember): Promise<APIMessage> {
  const handle = j.loop.clickButton({ message, customId: byLabel(message, label), member });
  const response = await handle.response();
  if (response.type === InteractionResponseType.ChannelMessageWithSource) return handle.waitForReply();
  const [followUp] = await handle.waitForFollowUps(1);
  return followUp!;
}

describe('/argue', () => {
  const alice = () => (aliceMember ??= j.loop.member({ username: 'alice' }));
  let aliceMember: LoopbackMember | undefined;
  const mod = () => (modMember ??= j.loop.member({ username: 'mod', permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages }));
  let modMember: LoopbackMember | undefined;
  let card: APIMessage;

  it('opens a form with the side (each stance, then each stakeholder), the argument and the section', async () => {
    const form = (await argue('add', alice()).response()).data as { title: string; components: Array<{ type: number; label: string; component: { custom_id: string; type: number; options?: Array<{ label: string; value: string }> } }> };
    expect(form.title).toBe('Put an argument on record');
    expect(form.components.map((c) => [c.label, c.component.custom_id, c.component.type])).toEqual([
      ['Side', 'side', ComponentType.StringSelect],
      ['Your argument', 'text', ComponentType.TextInput],
      ['Section it rests on (optional)', 'section', ComponentType.StringSelect],
    ]);
    const sides = form.components[0]!.component.options!;
    expect(sides.slice(0, 4).map((o) => o.label)).toEqual(['Folk hero', 'Villain', 'Both', 'Too early to tell']);
    expect(sides.length).toBe(4 + pack.stakeholders.length);
  });

  it('posts the argument as a card, its text inert, with ▲ and Report', async () => {
    const section = pack.story.sections[1]!;
    card = await add(alice(), 'He broke the law @everyone [see](https://evil.example) **twice**', 'stance.1', section.id);
    expect((card.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(card.flags).toBe(V2);
    expect(titleOf(card)).toBe('For **Villain**');
    expect(textOf(card)).toContain('He broke the law @\u200beveryone \\[see\\](https://evil.example) \\*\\*twice\\*\\*');
    expect(smallPrintOf(card)).toContain(`Rests on: ${section.title}`);
    expect((controlsOf(card) as Control[]).map((b) => b.label)).toEqual(['▲ 0', 'Report']);
  });

  it('takes one upvote per member, which a second click takes back', async () => {
    const bob = j.loop.member({ username: 'bob' });
    expect((await click(card, '▲ 0', bob)).content).toMatch(/^Upvoted/);
    expect((controlsOf(current(card)) as Control[])[0]!.label).toBe('▲ 1');
    expect((await click(current(card), /^▲/, alice())).content).toMatch(/^Upvoted/);
    expect((controlsOf(current(card)) as Control[])[0]!.label).toBe('▲ 2');
    const withdrawn = await click(current(card), /^▲/, bob);
    expect(withdrawn.flags).toBe(EPHEMERAL);
    expect(withdrawn.content).toBe('Your upvote was taken back.');
    expect((controlsOf(current(card)) as Control[])[0]!.label).toBe('▲ 1');
  });

  it('lists the strongest arguments per side, with a link to each card', async () => {
    await add(j.loop.member(), 'He made the company listen', 'stance.0');
    const all = await argue('top', alice()).waitForReply();
    expect(titleOf(all)).toBe('Strongest arguments');
    expect(textOf(all)).toMatch(/1\. \*\*Villain\*\* · ▲ 1\n.*He broke the law/);
    expect(textOf(all)).toContain(`https://discord.com/channels/${j.guildId}/${card.channel_id}/${card.id}`);
    const heroes = await argue('top', alice(), { side: 'stance.0' }).waitForReply();
    expect(titleOf(heroes)).toBe('Strongest arguments for Folk hero');
    expect(textOf(heroes)).toContain('He made the company listen');
    expect(textOf(heroes)).not.toContain('He broke the law');
  });

  it('refuses the same text again with a link to the existing argument, privately', async () => {
    const refused = await add(j.loop.member(), 'he broke the LAW @everyone see https://evil.example twice!', 'stance.0');
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/^That argument is already on record: https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/);
    expect(refused.content).toContain(card.id);
  });

  it('limits a member to 3 arguments an hour', async () => {
    const carol = j.loop.member({ username: 'carol' });
    for (const n of [1, 2]) expect((await add(carol, `Reason number ${n}`)).flags).toBe(V2);
    // A form opened before the third argument was posted is refused when sent.
    const early = argue('add', carol);
    expect((await early.response()).type).toBe(InteractionResponseType.Modal);
    expect((await add(carol, 'Reason number 3')).flags).toBe(V2);
    const late = await j.loop.submitModal({ shownBy: early, values: { side: ['stance.1'], text: 'Reason number 4' } }).waitForReply();
    expect(late.flags).toBe(EPHEMERAL);
    expect(late.content).toMatch(/^You can post 3 arguments an hour\. You can post again <t:\d+:R>\./);
    // Once at the limit, the form is not even shown.
    const refused = await argue('add', carol).waitForReply();
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/^You can post 3 arguments an hour\./);
    clock.advance(HOUR);
    expect((await add(carol, 'Reason number 4')).flags).toBe(V2);
  });

  it('sends a reported argument to review; a moderator hides it (its card says so) and restores it', async () => {
    const dave = j.loop.member({ username: 'dave' });
    expect((await click(current(card), 'Report', dave)).content).toBe('Thanks: the moderators will review this argument.');
    expect((await click(current(card), 'Report', dave)).content).toBe('You already reported this argument.');
    clock.advance(60_000);

    const refused = await argue('review', alice()).waitForReply();
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/You need the Manage Messages permission/);

    const review = await argue('review', mod()).waitForReply();
    expect(review.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(textOf(review)).toMatch(/He broke the law[\s\S]*Reports: 1/);
    // The buttons check again: a member without Manage Messages who got hold of them is refused, and nothing is hidden.
    const tampered = await j.loop.clickButton({ message: review, customId: byLabel(review, 'Hide'), member: alice(), force: true }).waitForReply();
    expect(tampered.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(tampered.content).toMatch(/You need the Manage Messages permission/);
    expect(textOf(current(card))).toContain('He broke the law');
    expect(await click(review, 'Hide', mod())).toMatchObject({ content: 'Hidden: it no longer shows in lists, and its card says so.' });
    expect(textOf(current(review))).toMatch(/Reports: 1 · Hidden/);
    expect(textOf(current(card))).toBe('This argument was hidden by the moderators.');
    expect(controlsOf(current(card))).toEqual([]);
    expect(textOf(await argue('top', alice()).waitForReply())).not.toContain('He broke the law');

    expect(await click(current(review), 'Restore', mod())).toMatchObject({ content: 'Restored: it shows in lists again.' });
    expect(textOf(current(card))).toContain('He broke the law');
    expect(textOf(current(review))).toMatch(/^## Arguments to review\nNothing to review/);
    expect(textOf(await argue('top', alice()).waitForReply())).toContain('He broke the law');
  });

  it('keeps arguments, upvotes and reports across a restart', async () => {
    await j.restart({ clock });
    const top = await argue('top', alice(), { side: 'stance.1' }).waitForReply();
    expect(textOf(top)).toMatch(/\*\*Villain\*\* · ▲ 1\n.*He broke the law/);
    expect((await click(current(card), 'Report', j.loop.member())).content).toMatch(/^Thanks/);
    expect(textOf(await argue('review', mod()).waitForReply())).toMatch(/Reports: 2/);
  });
});
