import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageFlags, PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { describe, expect, it, vi } from 'vitest';
import type { DigestSettings } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import type { Poll } from '../../src/polls/types.js';
import { openStore } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, smallPrintOf, startLoopbackDiscord, textOf, titleOf } from '../loopback/index.js';
import { TOKEN, useJourney } from './harness.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-once-e2e-'));
const databaseUrl = `sqlite://${join(dir, 'bot.sqlite')}`;
// 2026-06-10 06:00 UTC = 08:00 in Berlin.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));

const j = useJourney({ clock, databaseUrl, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }, { name: 'forum', type: 15 }, { name: 'bulletin', type: 5 }, { name: 'charts' }] }] }, { dir });

/** Rewrites a stored record from outside the bot, as a process that died at that point would have left it. */
async function rewrite<T>(collection: string, key: string, change: (current: T) => T): Promise<void> {
  const store = openStore(databaseUrl, createLogger('silent'));
  const records = store.collection<T>(collection);
  const current = await records.get(key);
  if (current === undefined) throw new Error(`no ${collection}:${key} to rewrite`);
  await records.set(key, change(current));
  await store.close();
}

const resultsIn = (channelId: string, question: string): APIMessage[] => j.loop.messagesIn(channelId).filter((m) => textOf(m).startsWith(`📊 Poll closed: ${question}`));
const admin = () => j.loop.member({ username: 'admin', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages });
const dead = () => ({ by: 'the-dead-process', until: clock.now() });

/** Starts a one-hour poll and lets it close with its results posted; returns the poll's id. */
async function closedPoll(question: string): Promise<string> {
  const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question, answers: 'Yes, No', duration: '1h' } }).waitForReply();
  clock.advance(HOUR);
  await vi.waitFor(() => expect(resultsIn(j.channelId, question)).toHaveLength(1));
  return /Poll ([0-9a-f]{8})/.exec(smallPrintOf(poll))?.[1] ?? '';
}

/** Stops the bot and leaves the poll as if it died after Discord accepted the results and before they were recorded. */
async function crashAfterResults(pollId: string): Promise<void> {
  await j.bot.stop();
  await rewrite<Poll>('polls', `guild:${j.guildId}:poll:${pollId}`, (p) => ({ ...p, resultsPosted: false, resultsClaim: { ...dead(), attempts: 1 } }));
}

/** An admin's /digest set: every day at 09:00 Berlin time in `channelId`. */
async function setDigest(channelId: string): Promise<void> {
  await j.loop.sendCommand({ name: 'digest', subcommand: 'set', options: { channel: channelId, time: '09:00', timezone: 'Europe/Berlin' }, member: admin() }).waitForReply();
}

/** Stops the bot and leaves the digest claimed by a dead process in the middle of `day`'s send (`record`: what it had recorded before). */
async function crashDuringDigest(channelId: string, day: string, nonce: string, record: Partial<DigestSettings> = { daysSent: 0, lastSentDay: null, lastSentAt: null }): Promise<void> {
  await j.bot.stop();
  await rewrite<DigestSettings>('digests', `guild:${j.guildId}:channel:${channelId}`, (s) => ({ ...s, ...record, sending: { day, nonce, ...dead() } }));
}

/** A #news digest sent on `day` (its schedule set that morning), then a crash that left the day claimed but unrecorded. */
async function newsDigestCrashed(day: string, previousDay: string) {
  const news = j.loop.guilds[0]!.channelId('news');
  const digests = () => j.loop.messagesIn(news).filter((m) => titleOf(m).startsWith('Day'));
  clock.set(Date.parse(`${day}T06:00:00Z`));
  await setDigest(news);
  const before = digests().length;
  clock.set(Date.parse(`${day}T07:00:00Z`));
  await vi.waitFor(() => expect(digests()).toHaveLength(before + 1));
  await j.bot.ctx.digests.idle();
  await crashDuringDigest(news, day, String(digests().at(-1)!.nonce), { lastSentDay: previousDay });
  return { news, digests, before };
}

/** Restarts the bot and waits until it has recorded `day`'s digest of `channelId` and finished its work. */
async function resumedDigest(channelId: string, day: string): Promise<void> {
  await j.restart();
  await vi.waitFor(async () => expect((await j.bot.ctx.digests.get(j.guildId, channelId))?.lastSentDay).toBe(day));
  await j.bot.ctx.digests.idle();
}

describe('the loopback models Discord\'s nonce window', () => {
  it('dedupes a repeated nonce within a few minutes of its clock, and not after', async () => {
    let now = Date.parse('2026-06-10T06:00:00Z');
    const loop = await startLoopbackDiscord({ token: TOKEN, nonceClock: () => now });
    const channel = loop.guilds[0]!.channels[0]!.id;
    const post = async () => {
      const res = await fetch(`${loop.apiUrl}/v10/channels/${channel}/messages`, { method: 'POST', headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'hi', nonce: 'n1', enforce_nonce: true }) });
      return ((await res.json()) as APIMessage).id;
    };
    const first = await post();
    now += 60_000;
    expect(await post()).toBe(first);
    now += 3 * HOUR;
    expect(await post()).not.toBe(first);
    const listed = (await (await fetch(`${loop.apiUrl}/v10/channels/${channel}/messages?limit=1`, { headers: { authorization: `Bot ${TOKEN}` } })).json()) as APIMessage[];
    expect(listed.map((m) => m.id)).toEqual([loop.messagesIn(channel).at(-1)!.id]); // newest first, `limit` kept
    await loop.close();
  });

  it('pages through a channel as Discord does: `after` answers the messages right after it, `before` the ones right before, newest first', async () => {
    const loop = await startLoopbackDiscord({ token: TOKEN });
    const channel = loop.guilds[0]!.channels[0]!.id;
    const member = loop.member();
    const ids = Array.from({ length: 5 }, (_, i) => loop.postAsMember(channel, member, `m${i}`).id);
    const list = async (query: string) => ((await (await fetch(`${loop.apiUrl}/v10/channels/${channel}/messages?${query}`, { headers: { authorization: `Bot ${TOKEN}` } })).json()) as APIMessage[]).map((m) => m.id);
    expect(await list(`after=${ids[0]}&limit=2`)).toEqual([ids[2], ids[1]]);
    expect(await list(`before=${ids[4]}&limit=2`)).toEqual([ids[3], ids[2]]);
    expect(await list('limit=2')).toEqual([ids[4], ids[3]]);
    await loop.close();
  });
});

describe('no duplicate after a crash between a post and its record, however long the bot was down', () => {
  it('poll results', async () => {
    const pollId = await closedPoll('Once?');
    await crashAfterResults(pollId);
    clock.advance(24 * HOUR);
    await j.restart();
    await vi.waitFor(async () => expect((await j.bot.ctx.polls.get(j.guildId, pollId)).resultsPosted).toBe(true));
    expect(resultsIn(j.channelId, 'Once?')).toHaveLength(1);
  });

  it('a digest', async () => {
    const news = j.loop.guilds[0]!.channelId('news');
    clock.set(Date.parse('2026-06-12T06:00:00Z'));
    await setDigest(news);
    clock.set(Date.parse('2026-06-12T07:00:00Z'));
    await j.loop.waitForMessage((m) => m.channel_id === news && titleOf(m).startsWith('Day 1'));
    await j.bot.ctx.digests.idle();
    const nonce = String((j.loop.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${news}/messages`))?.body as { nonce?: string }).nonce);
    await crashDuringDigest(news, '2026-06-12', nonce);
    clock.advance(3 * HOUR);
    await resumedDigest(news, '2026-06-12');
    expect(j.loop.messagesIn(news).filter((m) => titleOf(m).startsWith('Day'))).toHaveLength(1);
  });

  it('an announcement digest interrupted between its post and its publishing: published on resume, not posted again', async () => {
    const bulletin = j.loop.guilds[0]!.channelId('bulletin');
    const digests = () => j.loop.messagesIn(bulletin).filter((m) => titleOf(m).startsWith('Day'));
    clock.set(Date.parse('2026-06-14T06:00:00Z'));
    await setDigest(bulletin);
    // The publish fails (as if the process died before it); the record is then rewritten as a crash would leave it.
    j.loop.refuseNext('POST', /\/crosspost$/, { status: 403, code: 50001, message: 'Missing Access' });
    clock.set(Date.parse('2026-06-14T07:00:00Z'));
    await vi.waitFor(() => expect(digests()).toHaveLength(1));
    await j.bot.ctx.digests.idle();
    const [posted] = digests();
    expect((j.loop.message(posted!.id)?.flags ?? 0) & MessageFlags.Crossposted).toBe(0);
    const nonce = String(posted!.nonce);
    await crashDuringDigest(bulletin, '2026-06-14', nonce, { daysSent: 0, lastSentDay: null, lastSentAt: null, lastWarning: null });
    clock.advance(3 * HOUR);
    await resumedDigest(bulletin, '2026-06-14');
    expect(digests()).toHaveLength(1);
    expect((j.loop.message(posted!.id)?.flags ?? 0) & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted);
  });

  it('a forum digest post (a post has no nonce: the restarted bot finds it among the forum\'s active posts)', async () => {
    const forum = j.loop.guilds[0]!.channelId('forum');
    const posts = () => j.loop.guilds[0]!.channels.filter((c) => c.parentId === forum);
    clock.set(Date.parse('2026-06-13T06:00:00Z'));
    await setDigest(forum);
    clock.set(Date.parse('2026-06-13T07:00:00Z'));
    await vi.waitFor(() => expect(posts()).toHaveLength(1));
    await j.bot.ctx.digests.idle();
    const footer = smallPrintOf(j.loop.message(posts()[0]!.id)!);
    const nonce = /ref (\S+)$/.exec(footer)?.[1] ?? '';
    expect(nonce).not.toBe('');
    await crashDuringDigest(forum, '2026-06-13', nonce);
    clock.advance(3 * HOUR);
    await resumedDigest(forum, '2026-06-13');
    expect(posts()).toHaveLength(1);
    expect(j.loop.requests.some((r) => r.path.endsWith('/threads/active'))).toBe(true);
  });

  it("a digest carrying the verdict's chart: resumed after a crash, it is found, not uploaded again", async () => {
    const charts = j.loop.guilds[0]!.channelId('charts');
    const digests = () => j.loop.messagesIn(charts).filter((m) => titleOf(m).startsWith('Day'));
    const posts = () => j.loop.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${charts}/messages`));
    clock.set(Date.parse('2026-06-15T06:00:00Z'));
    await setDigest(charts);
    const board = await j.loop.sendCommand({ name: 'verdict', subcommand: 'now', member: admin() }).waitForReply();
    const villain = (controlsOf(board) as Array<{ label?: string; custom_id?: string }>).find((b) => b.label === 'Villain')!.custom_id!;
    for (let i = 0; i < 3; i++) await j.loop.clickButton({ message: board, customId: villain, member: j.loop.member() }).waitForReply();
    clock.set(Date.parse('2026-06-15T07:00:00Z'));
    await vi.waitFor(() => expect(digests()).toHaveLength(1));
    await j.bot.ctx.digests.idle();
    const [posted] = digests();
    expect(posted!.attachments).toMatchObject([{ filename: 'verdict-trend.png' }]);
    expect(posts()).toHaveLength(1);
    // The forum's schedule (set up above) posted its 06-15 post with the chart too.
    const forum = j.loop.guilds[0]!.channelId('forum');
    const forumPosts = () => j.loop.guilds[0]!.channels.filter((c) => c.parentId === forum).map((c) => ({ name: c.name, files: j.loop.message(c.id)?.attachments.map((a) => a.filename) ?? [] }));
    // Failed once on a loaded machine, without a cause to read: the message now says what the forum held and what the bot warned of.
    await vi.waitFor(() => expect(forumPosts().some((p) => p.files.includes('verdict-trend.png')), JSON.stringify({ forumPosts: forumPosts(), warnings: j.logs.filter((l) => l.level >= 40).map((l) => l.msg) })).toBe(true));
    const nonce = String(posted!.nonce);
    await crashDuringDigest(charts, '2026-06-15', nonce);
    clock.advance(3 * HOUR);
    await resumedDigest(charts, '2026-06-15');
    expect(digests()).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(j.loop.filesOf(posted!.id).map((f) => f.filename)).toEqual(['verdict-trend.png']);
  });

  /** Members chatting in a channel while the bot is down: its own post ends up far from the latest messages. */
  const chatter = (channelId: string, count: number) => {
    const member = j.loop.member({ username: 'chatty' });
    for (let i = 0; i < count; i++) j.loop.postAsMember(channelId, member, `message ${i}`);
  };

  it('poll results, after a downtime in which members posted far more than one page of messages', async () => {
    clock.set(Date.parse('2026-06-20T06:00:00Z'));
    const pollId = await closedPoll('Busy?');
    await crashAfterResults(pollId);
    chatter(j.channelId, 230);
    clock.advance(3 * 24 * HOUR);
    await j.restart();
    await vi.waitFor(async () => expect((await j.bot.ctx.polls.get(j.guildId, pollId)).resultsPosted).toBe(true));
    expect(resultsIn(j.channelId, 'Busy?')).toHaveLength(1);
  });

  it('a digest, after a downtime in which members posted far more than one page of messages', async () => {
    const { news, digests, before } = await newsDigestCrashed('2026-06-25', '2026-06-24');
    chatter(news, 230);
    clock.advance(5 * HOUR);
    await resumedDigest(news, '2026-06-25');
    expect(digests()).toHaveLength(before + 1);
  });
});

describe('when the bot cannot read the channel\'s history, it never posts again what it cannot rule out having posted', () => {
  it('poll results: not posted again while it cannot look; found once it can, still one post', async () => {
    clock.set(Date.parse('2026-07-01T06:00:00Z'));
    const pollId = await closedPoll('Blind?');
    await crashAfterResults(pollId);
    j.loop.denyPermission(j.channelId, PermissionFlagsBits.ReadMessageHistory);
    clock.advance(24 * HOUR);
    await j.restart();
    await vi.waitFor(() => expect(j.logs.some((l) => l.pollId === pollId && String(l.msg).includes('could not deliver poll results; retrying'))).toBe(true));
    expect(resultsIn(j.channelId, 'Blind?')).toHaveLength(1);
    expect((await j.bot.ctx.polls.get(j.guildId, pollId)).resultsPosted).toBe(false);
    j.loop.allowPermission(j.channelId, PermissionFlagsBits.ReadMessageHistory);
    clock.advance(60_000);
    await vi.waitFor(async () => expect((await j.bot.ctx.polls.get(j.guildId, pollId)).resultsPosted).toBe(true));
    expect(resultsIn(j.channelId, 'Blind?')).toHaveLength(1);
  });

  it('a digest: not posted again, and /digest status says why', async () => {
    const { news, digests, before } = await newsDigestCrashed('2026-07-03', '2026-07-02');
    j.loop.denyPermission(news, PermissionFlagsBits.ReadMessageHistory);
    clock.advance(3 * HOUR);
    await resumedDigest(news, '2026-07-03');
    expect(digests()).toHaveLength(before + 1);
    const status = await j.loop.sendCommand({ name: 'digest', subcommand: 'status', options: { channel: news }, member: admin() }).waitForReply();
    expect(JSON.stringify(status)).toContain('Read Message History');
    j.loop.allowPermission(news, PermissionFlagsBits.ReadMessageHistory);
  });
});
