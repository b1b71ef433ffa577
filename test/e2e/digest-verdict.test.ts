import { loadImage } from '@napi-rs/canvas';
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';
import { controlsOf, fieldsOf, titleOf } from '../loopback/read.js';
import type { LoopbackMember } from '../loopback/index.js';
import { useJourney } from './harness.js';

// 2026-06-10 06:00 UTC = 08:00 in Berlin: an hour before a 09:00 digest.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
let news = '';

const j = useJourney({ clock, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }] }] });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
});

type Json = Record<string, unknown>;
const walk = (list: unknown, out: Json[] = []): Json[] => {
  for (const c of Array.isArray(list) ? (list as Json[]) : []) {
    out.push(c);
    walk(c.components, out);
  }
  return out;
};
/** The media gallery items of a V2 message, wherever they sit. */
const galleryOf = (m: APIMessage) => walk(m.components).flatMap((c) => (c.type === 12 ? (c.items as Array<{ media: { url: string }; description?: string }>) : []));
const verdictField = (m: APIMessage) => fieldsOf(m).find((f) => f.name === "🧭 The server's verdict");
const digestsIn = (day: number) => j.loop.messagesIn(news).filter((m) => titleOf(m).startsWith(`Day ${day} `));

describe("the digest carries the verdict's movement and chart", () => {
  let board: APIMessage;
  const members: LoopbackMember[] = [];
  const stance = async (m: LoopbackMember, label: string) => {
    const id = (controlsOf(board) as Array<{ label?: string; custom_id?: string }>).find((b) => b.label === label)!.custom_id!;
    await j.loop.clickButton({ message: board, customId: id, member: m }).waitForReply();
  };

  it('day 1: the first snapshot, taken at the digest time, is drawn as the chart; there is no movement yet', async () => {
    const admin = j.loop.member({ username: 'admin', permissions: ADMIN });
    await j.loop.sendCommand({ name: 'digest', subcommand: 'set', options: { channel: news, time: '09:00', timezone: 'Europe/Berlin' }, member: admin }).waitForReply();
    board = await j.loop.sendCommand({ name: 'verdict', subcommand: 'now', member: admin }).waitForReply();
    for (let i = 0; i < 5; i++) members.push(j.loop.member());
    for (const [i, m] of members.entries()) await stance(m, i < 3 ? 'Villain' : 'Folk hero');
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    await vi.waitFor(() => expect(digestsIn(1)).toHaveLength(1), { timeout: 10_000 });
    const [posted] = digestsIn(1);
    expect(verdictField(posted!)?.value).toMatch(/^The first daily snapshot of the verdict/);
    expect(posted!.attachments).toMatchObject([{ filename: 'verdict-trend.png', content_type: 'image/png' }]);
    expect(galleryOf(posted!)).toEqual([{ media: { url: 'attachment://verdict-trend.png' }, description: expect.stringMatching(/line chart/) }]);
  });

  it('day 2: "Villain 60% → 80% since yesterday", and the PNG it uploads is the chart', async () => {
    await stance(members[3]!, 'Villain');
    clock.set(Date.parse('2026-06-11T07:00:00Z'));
    await vi.waitFor(() => expect(digestsIn(2)).toHaveLength(1), { timeout: 10_000 });
    const [posted] = digestsIn(2);
    expect(verdictField(posted!)?.value).toMatch(/^Villain 60% → 80% since yesterday\n/);
    const [png] = j.loop.filesOf(posted!.id);
    expect(png?.filename).toBe('verdict-trend.png');
    expect(png!.data.length).toBeLessThan(300 * 1024);
    const image = await loadImage(png!.data);
    expect([image.width, image.height]).toEqual([800, 440]);
    await j.bot.ctx.digests.idle();
    expect(digestsIn(2)).toHaveLength(1);
    // /digest preview shows the same, only to the admin.
    const preview = await j.loop.sendCommand({ name: 'digest', subcommand: 'preview', member: j.loop.member({ username: 'admin', permissions: ADMIN }) }).waitForReply();
    expect(verdictField(preview)?.value).toMatch(/^Villain 60% → 80% since yesterday\n/);
    expect(preview.attachments).toMatchObject([{ filename: 'verdict-trend.png' }]);
  });
  it('without Attach Files the digest goes out without the chart, and /digest status says why', async () => {
    j.loop.denyPermission(news, PermissionFlagsBits.AttachFiles);
    await vi.waitFor(() => {
      const channel = j.bot.client.channels.cache.get(news);
      expect(channel && 'permissionsFor' in channel && channel.permissionsFor(j.bot.client.user!.id)?.has('AttachFiles')).toBe(false);
    });
    clock.set(Date.parse('2026-06-12T07:00:00Z'));
    await vi.waitFor(() => expect(digestsIn(3)).toHaveLength(1), { timeout: 10_000 });
    const [posted] = digestsIn(3);
    expect(verdictField(posted!)?.value).toMatch(/^No change in the verdict since yesterday\./);
    expect(posted!.attachments).toEqual([]);
    expect(galleryOf(posted!)).toEqual([]);
    await j.bot.ctx.digests.idle();
    const status = await j.loop.sendCommand({ name: 'digest', subcommand: 'status', member: j.loop.member({ username: 'admin', permissions: ADMIN }) }).waitForReply();
    expect(status.content).toMatch(/posted without the verdict chart \(I'm missing Attach Files in #news\)/);
  });
});
