import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it, vi } from 'vitest';
import { HOUR } from '../../src/constants.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { COLLECTIONS } from '../../src/storage/keys.js';
import { StoreVerdictRepository } from '../../src/verdict/repository.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { InteractionHandle, LoopbackMember } from '../loopback/index.js';
import { controlsOf, textOf, titleOf } from '../loopback/read.js';
import { useJourney } from './harness.js';

const EPHEMERAL = 64;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-verdict-e2e-'));
const clock = new FakeClock(Date.parse('2026-06-10T12:00:00Z'));

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'verdict.sqlite')}` }, { dir });

type Button = { custom_id?: string; label?: string };
const buttons = (m: APIMessage): Button[] => controlsOf(m) as Button[];
const byLabel = (m: APIMessage, label: string) => buttons(m).find((b) => b.label === label)!.custom_id!;
const verdict = (subcommand: string, member: LoopbackMember, options: Record<string, string | number | boolean> = {}) => j.loop.sendCommand({ name: 'verdict', subcommand, options, member }).waitForReply();
const click = (message: APIMessage, label: string, member: LoopbackMember) => j.loop.clickButton({ message, customId: byLabel(message, label), member }).waitForReply();
const repo = () => new StoreVerdictRepository(j.bot.store);
/** The router's "handled" line for this interaction: its handler (the reply, and any follow-up it sends) is done. */
const handled = (h: InteractionHandle) => j.waitForLog((l) => l.msg === 'handled' && l.interactionId === h.id, 10_000);

/** Moves the fake clock to the next 00:00 UTC an hour at a time, and waits for that day's snapshot. */
async function nextDay(): Promise<void> {
  const midnight = Math.ceil((clock.now() + 1) / (24 * HOUR)) * 24 * HOUR;
  const day = new Date(midnight).toISOString().slice(0, 10);
  while (clock.now() < midnight) {
    clock.advance(Math.min(HOUR, midnight - clock.now()));
    await j.bot.ctx.verdict.idle(); // the run the hour started, if any
  }
  await j.waitForLog((l) => l.msg === 'verdict snapshot taken' && l.day === day, 10_000);
}

describe('/verdict', () => {
  let board: APIMessage;

  it('a member states a stance, changes it and retracts it, each confirmed privately; the server sees counts only', async () => {
    const alice = j.loop.member({ username: 'alice' });
    board = await verdict('now', alice);
    expect((board.flags ?? 0) & EPHEMERAL).toBe(0); // in the channel, for everyone
    expect(textOf(board)).toMatch(/Nobody has taken a stance yet/);
    expect(buttons(board).map((b) => b.label)).toEqual(['Folk hero', 'Villain', 'Both', 'Too early to tell', 'Retract my stance']);
    const stated = await click(board, 'Villain', alice);
    expect(stated.flags).toBe(EPHEMERAL);
    expect(stated.content).toMatch(/Your stance is recorded: \*\*Villain\*\*/);
    const changed = await click(board, 'Both', alice);
    expect(changed.content).toMatch(/changed your stance from \*\*Villain\*\* to \*\*Both\*\*/);
    const now = await verdict('now', j.loop.member());
    expect(textOf(now)).toMatch(/^1 member has taken a stance\./m);
    expect(textOf(now)).toMatch(/\*\*Both\*\*\n`█{10}` 100% \(1\)/);
    expect(JSON.stringify(now)).not.toContain('alice');
    const retracted = await click(board, 'Retract my stance', alice);
    expect(retracted.content).toMatch(/Your stance \(\*\*Both\*\*\) was retracted/);
    expect(textOf(await verdict('now', alice))).toMatch(/Nobody has taken a stance yet/);
    const again = await click(board, 'Retract my stance', alice);
    expect(again.content).toMatch(/nothing to retract/);
  });

  it("answers a member in their client's language", async () => {
    const dieter = j.loop.member({ username: 'dieter', locale: 'de' });
    expect((await click(board, 'Villain', dieter)).content).toBe('Deine Haltung ist gespeichert: **Villain**. Du kannst sie jederzeit über /verdict now ändern oder zurückziehen.');
    expect((await click(board, 'Retract my stance', dieter)).content).toMatch(/^Deine Haltung \(\*\*Villain\*\*\) wurde zurückgezogen/);
    const forget = await verdict('forget', dieter);
    expect(forget.content).toMatch(/^Damit wird alles gelöscht, was tamasha in diesem Server unter deinem Namen speichert/);
  });

  it('counts a vote on the headline poll as a stance', async () => {
    const bob = j.loop.member({ username: 'bob' });
    const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', member: bob }).waitForReply();
    await click(poll, 'Folk hero', bob);
    await vi.waitFor(async () => expect(textOf(await verdict('now', bob))).toMatch(/\*\*Folk hero\*\*\n`█{10}` 100% \(1\)/));
    await click(poll, 'Retract my vote', bob);
    await vi.waitFor(async () => expect(await j.bot.ctx.verdict.stanceOf(j.guildId, bob.id)).toBeNull());
  });

  it('a week of simulated days makes a trend chart with seven points, as a PNG and as text', async () => {
    const members = Array.from({ length: 10 }, () => j.loop.member());
    for (const [i, m] of members.entries()) await click(board, i < 6 ? 'Villain' : 'Folk hero', m);
    for (let day = 0; day < 7; day++) {
      await nextDay();
      // Each day one more member moves from Villain to Too early to tell.
      await click(board, 'Too early to tell', members[day % 6]!);
    }
    const reply = await verdict('trend', j.loop.member(), { days: 7 });
    const lines = reply.content.split('\n').slice(1);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^2026-06-11: Folk hero 40% \(4\), Villain 60% \(6\), Both 0% \(0\), Too early to tell 0% \(0\); 10 members$/);
    expect(lines[6]).toMatch(/^2026-06-17: Folk hero 40% \(4\), Villain 0% \(0\), Both 0% \(0\), Too early to tell 60% \(6\); 10 members$/);
    expect(reply.attachments).toMatchObject([{ filename: 'verdict-trend.png', content_type: 'image/png' }]);
    expect(reply.attachments[0]?.description).toMatch(/line chart over 7 days from 2026-06-11 to 2026-06-17/);
    const png = j.loop.filesOf(reply.id)[0]!.data;
    expect(png.length).toBeLessThan(300 * 1024);
    const image = await loadImage(png);
    expect([image.width, image.height]).toEqual([800, 440]);
  }, 120_000);

  it('asks a member who opens the story without a stance, privately and once; again at the last section; a move five members made shows in /verdict shifts', async () => {
    const readers = Array.from({ length: 5 }, () => j.loop.member());
    const story = (m: LoopbackMember, subcommand: string, options: Record<string, string> = {}) => j.loop.sendCommand({ name: 'story', subcommand, options, member: m });
    const answer = async (prompt: APIMessage, label: string, m: LoopbackMember) => (await click(prompt, label, m)).content;
    const read = async (m: LoopbackMember) => {
      const opened = story(m, 'summary');
      expect((await opened.waitForReply()).flags! & EPHEMERAL).toBe(0); // the story itself, for everyone
      const [before] = await opened.waitForFollowUps(1);
      expect(before!.flags).toBe(EPHEMERAL);
      expect(before!.content).toMatch(/^\*\*Before you read: where do you stand\?\*\* /);
      // Asked once: opening the story again, unanswered, asks nothing.
      const reopened = story(m, 'summary');
      await handled(reopened); // the prompt, had there been one, was sent before this
      expect(reopened.followUps).toEqual([]);
      expect(await answer(before!, 'Villain', m)).toMatch(/Noted: \*\*Villain\*\* before reading/);
      // Answered: the next /story asks nothing until the last section.
      const next = story(m, 'section', { section: 'what-happened' });
      await handled(next); // the prompt, had there been one, was sent before this
      expect(next.followUps).toEqual([]);
      const last = story(m, 'section', { section: 'conclusion' });
      await last.waitForReply();
      const [after] = await last.waitForFollowUps(1);
      expect(after!.flags).toBe(EPHEMERAL);
      expect(after!.content).toMatch(/^\*\*Now that you've read it: where do you stand\?\*\* /);
      expect(await answer(after!, 'Too early to tell', m)).toMatch(/Noted: \*\*Too early to tell\*\* after reading/);
      return after!;
    };
    for (const m of readers.slice(0, 4)) await read(m);
    const early = await verdict('shifts', j.loop.member());
    expect(early.content).toMatch(/No before\/after group is large enough/);
    expect(early.attachments).toEqual([]);
    const after = await read(readers[4]!);
    // The private prompt was answered in place: its buttons are gone.
    expect(controlsOf(j.loop.message(after.id)!)).toEqual([]);
    // Read to the end and answered: /story asks nothing more.
    const again = story(readers[4]!, 'section', { section: 'conclusion' });
    await handled(again); // the prompt, had there been one, was sent before this
    expect(again.followUps).toEqual([]);
    const shown = await verdict('shifts', j.loop.member());
    expect(shown.content).toContain('5 moved from Villain to Too early to tell');
    expect(shown.attachments).toMatchObject([{ filename: 'verdict-shifts.png' }]);
  });

  it('never asks a member who has a stance, and a failure to ask is logged, never shown', async () => {
    const decided = j.loop.member();
    await click(board, 'Both', decided);
    const opened = j.loop.sendCommand({ name: 'story', subcommand: 'summary', member: decided });
    await handled(opened); // the prompt, had there been one, was sent before this
    expect(opened.followUps).toEqual([]);
    const unlucky = j.loop.member();
    j.loop.refuseNext('POST', /^\/webhooks\//, { status: 403, code: 50001, message: 'Missing Access' });
    const failed = j.loop.sendCommand({ name: 'story', subcommand: 'summary', member: unlucky });
    expect(titleOf(await failed.waitForReply())).toMatch(/./);
    await j.waitForLog((l) => l.msg === 'could not ask the member where they stand on the story');
    // Not asked after all: the next /story asks.
    const retried = j.loop.sendCommand({ name: 'story', subcommand: 'summary', member: unlucky });
    const [before] = await retried.waitForFollowUps(1);
    expect(before!.content).toMatch(/Before you read/);
  });

  it('/verdict forget asks first, then nothing stored in this server names the member: verdict, polls, arguments', async () => {
    const carol = j.loop.member({ username: 'carol' });
    const dave = j.loop.member({ username: 'dave' });
    await click(board, 'Both', carol);
    await j.bot.ctx.verdict.recordBefore(j.guildId, carol.id, 2);
    expect((await repo().historyOf(j.guildId)).some(([key]) => key.includes(`:${carol.id}:`))).toBe(true);
    // Carol started a poll and votes in it; she voted in a poll that has closed; she posted an
    // argument, upvoted and reported dave's.
    const poll = (question: string, member: LoopbackMember) => j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question, answers: 'Yes, No', duration: '1h' }, member }).waitForReply();
    const running = await poll('Open the code?', carol);
    const closed = await poll('Was it a leak?', dave);
    const voteIn = (message: APIMessage, member: LoopbackMember, answer: 0 | 1) => j.loop.clickButton({ message, customId: `poll:vote:${String(buttons(message)[answer]!.custom_id).split(':')[2]}:${answer}`, member }).waitForReply();
    await voteIn(running, carol, 0);
    await voteIn(running, dave, 1);
    await voteIn(closed, carol, 0);
    const closedId = String(buttons(closed)[0]!.custom_id).split(':')[2]!;
    await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: closedId }, member: dave }).waitForReply();
    const runningId = String(buttons(running)[0]!.custom_id).split(':')[2]!;
    const argue = async (member: LoopbackMember, text: string) => {
      const shownBy = j.loop.sendCommand({ name: 'argue', subcommand: 'add', member });
      await shownBy.response();
      return j.loop.submitModal({ shownBy, values: { side: ['stance.1'], text } }).waitForReply();
    };
    await argue(carol, 'Carol says the leak was wrong');
    const daves = await argue(dave, 'Dave says it was brave');
    const daveId = String(buttons(daves).find((b) => String(b.custom_id).startsWith('argue:up:'))!.custom_id).split(':')[2]!;
    await j.bot.ctx.arguments.toggleUpvote(j.guildId, daveId, carol.id);
    await j.bot.ctx.arguments.report(j.guildId, daveId, carol.id);

    const prompt = await verdict('forget', carol);
    expect(prompt.flags).toBe(EPHEMERAL);
    expect(prompt.content).toMatch(/deletes everything tamasha keeps under your name in this server/);
    expect(await j.bot.ctx.verdict.stanceOf(j.guildId, carol.id)).toBe(2);
    const click2 = j.loop.clickButton({ message: prompt, customId: byLabel(prompt, 'Forget me here'), member: carol });
    await click2.response();
    await vi.waitFor(() => expect(j.loop.message(prompt.id)?.content).toMatch(/^Done: nothing tamasha keeps in this server names you any more/));
    expect(await j.bot.ctx.verdict.stanceOf(j.guildId, carol.id)).toBeNull();
    expect(await repo().getReading(j.guildId, carol.id)).toBeUndefined();

    // No key and no value in any table of the store holds her id.
    const naming: string[] = [];
    for (const table of Object.values(COLLECTIONS)) {
      for (const [key, value] of await j.bot.store.collection<unknown>(table).entries('')) if (`${key} ${JSON.stringify(value)}`.includes(carol.id)) naming.push(`${table}: ${key}`);
    }
    expect(naming).toEqual([]);
    // The running poll dropped her vote; the closed one keeps its count; dave's argument lost her upvote.
    const polls = new StorePollRepository(j.bot.store);
    expect([...(await polls.votesOf(runningId)).entries()]).toEqual([[dave.id, 1]]);
    expect([...(await polls.votesOf(closedId)).values()]).toEqual([0]); // her vote, counted under no name
    expect((await polls.get(j.guildId, runningId))?.creatorId).toBe('forgotten');
    expect((await j.bot.ctx.arguments.top(j.guildId, 'stance.1', 0)).items.find((r) => r.argument.id === daveId)?.upvotes).toBe(0);
  });

  it("takes the snapshot at the server's digest time once it has a digest (09:00 Berlin = 07:00 UTC in June)", async () => {
    const admin = j.loop.member({ username: 'admin', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages });
    const set = await j.loop.sendCommand({ name: 'digest', subcommand: 'set', options: { channel: j.channelId, time: '09:00', timezone: 'Europe/Berlin' }, member: admin }).waitForReply();
    expect(set.content).not.toMatch(/missing|not/i);
    const day = '2026-06-18';
    const taken = () => j.logs.some((l) => l.msg === 'verdict snapshot taken' && l.day === day);
    while (clock.now() < Date.parse(`${day}T06:00:00Z`)) {
      clock.advance(HOUR);
      await j.bot.ctx.verdict.idle(); // the run the hour started, if any
    }
    expect(taken()).toBe(false);
    clock.advance(HOUR);
    await j.waitForLog((l) => l.msg === 'verdict snapshot taken' && l.day === day, 10_000);
    const stored = await repo().getSnapshot(j.guildId, day);
    expect(stored).toMatchObject({ status: 'taken', at: Date.parse(`${day}T07:00:00Z`), lateMs: 0 });
  });
});
