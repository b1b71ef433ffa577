import { AttachmentBuilder, ButtonBuilder, ButtonStyle, type Message, roleMention, time, TimestampStyles } from 'discord.js';
import type { DigestContent } from '../../digests/render.js';
import type { DigestSettings } from '../../digests/types.js';
import { encodeCustomId } from '../custom-id.js';
import { type Block, cardPanel, layoutMessage, type LayoutMessage, messageTexts, text } from './layout.js';

const at = (ms: number, style: (typeof TimestampStyles)[keyof typeof TimestampStyles]) => time(new Date(ms), style);

/** One digest schedule as /digest set and /digest status show it. */
export function digestStatus(settings: DigestSettings, nextAt: number | null): string {
  const lines = [
    `**Channel:** <#${settings.channelId}>${settings.thread ? ' (with a thread for each day)' : ''}`,
    `**Time:** ${settings.time} ${settings.zone}`,
    ...(settings.notifyRoleId ? [`**Notifies:** members with ${roleMention(settings.notifyRoleId)} (they opt in and out with the digest's Notify me button)`] : []),
    ...(settings.skipDay ? [`**Skipping:** the digest of ${settings.skipDay}`] : []),
    `**Status:** ${settings.enabled ? 'on' : 'off — `/digest set` turns it back on'}`,
    `**Next digest:** ${nextAt === null ? 'none while off' : `${at(nextAt, TimestampStyles.LongDateTime)} (${at(nextAt, TimestampStyles.RelativeTime)})`}`,
    `**Last digest:** ${settings.lastSentAt === null ? 'none yet' : `${at(settings.lastSentAt, TimestampStyles.LongDateTime)} (day ${settings.daysSent})`}`,
  ];
  if (settings.recordPending) lines.push(`**Storage problem** ${at(settings.recordPending.at, TimestampStyles.RelativeTime)}: ${settings.recordPending.reason}.`);
  if (settings.lastWarning) lines.push(`**Last digest posted with a problem** ${at(settings.lastWarning.at, TimestampStyles.RelativeTime)}: ${settings.lastWarning.reason}.`);
  if (settings.lastError) lines.push(`**Last attempt failed** ${at(settings.lastError.at, TimestampStyles.RelativeTime)}: ${settings.lastError.reason}. I'll try again at the next day's time.`);
  return lines.join('\n');
}

/** Every schedule of a server, one block each, within a message's 2,000 characters. */
export function digestStatuses(list: ReadonlyArray<{ settings: DigestSettings; nextAt: number | null }>): string {
  const blocks = list.map(({ settings, nextAt }) => digestStatus(settings, nextAt));
  const text = blocks.join('\n\n');
  if (text.length <= 2000) return text;
  const more = `\n\n…and more: \`/digest status channel:\` shows one schedule in full.`;
  return `${text.slice(0, 2000 - more.length)}${more}`;
}

/** The answer to /digest skip. */
export function digestSkipped(settings: DigestSettings, day: string, already: boolean, nextAt: number | null): string {
  const next = nextAt === null ? '' : ` The next one is ${at(nextAt, TimestampStyles.LongDateTime)}.`;
  return `${already ? 'Already skipping' : 'Skipping'} the digest of ${day} in <#${settings.channelId}>; only that day is skipped.${next}`;
}

/** The chart as the message's one upload, and the block that shows it (after the fields, before the small print). */
function chartParts(content: DigestContent): { blocks: Block[]; files: AttachmentBuilder[] } {
  const chart = content.chart;
  if (!chart) return { blocks: [], files: [] };
  return { blocks: [{ kind: 'image', file: chart.name, alt: chart.alt }], files: [new AttachmentBuilder(chart.png, { name: chart.name, description: chart.alt.slice(0, 1024) })] };
}

export function digestPreviewMessage(content: DigestContent): LayoutMessage & { files: AttachmentBuilder[] } {
  const { blocks, files } = chartParts(content);
  return { ...layoutMessage([text('This is what the next digest will look like:'), cardPanel(content.card, blocks)]), files };
}

/** The digest's marker, at the end of its small print: how a restarted bot recognises its own earlier post. */
export const digestMarker = (nonce: string): string => `ref ${nonce}`;

/** Whether a message is the digest posted with this nonce (before Components V2 the marker ended an embed's footer). */
export function isDigestPost(message: Pick<Message, 'content' | 'components' | 'embeds'>, nonce: string): boolean {
  const mark = digestMarker(nonce);
  return messageTexts(message).some((t) => t.endsWith(mark)) || message.embeds.some((e) => e.footer?.text.endsWith(mark) ?? false);
}

/** The "Notify me" button's custom_id: it toggles `roleId`, re-checked against the server's digest settings on each click. */
export const notifyButtonId = (roleId: string): string => encodeCustomId('digest', 'notify', roleId);

/** A section offering the "Notify me" button that adds or removes `roleId`. */
function notifySection(roleId: string): Block {
  return {
    kind: 'section',
    texts: [`🔔 ${roleMention(roleId)} is pinged with each digest. Want it, or want out?`],
    button: new ButtonBuilder().setCustomId(notifyButtonId(roleId)).setLabel('Notify me').setEmoji('🔔').setStyle(ButtonStyle.Secondary),
  };
}

/**
 * The digest as posted (a forum post's first message too), its small print ending with the marker.
 * With the verdict's chart it uploads the PNG and shows it in a Media Gallery. With a notify role it mentions that role beside the "Notify me" button, and only that role can
 * ping (`allowed_mentions` names it alone).
 */
export function digestPost(content: DigestContent, nonce: string, notifyRoleId: string | null) {
  const footer = content.card.footer ? `${content.card.footer} · ${digestMarker(nonce)}` : digestMarker(nonce);
  const { blocks, files } = chartParts(content);
  if (!notifyRoleId) return { ...layoutMessage([cardPanel({ ...content.card, footer }, blocks)]), files };
  return { ...layoutMessage([cardPanel({ ...content.card, footer }, [...blocks, notifySection(notifyRoleId)])]), files, allowedMentions: { parse: [] as [], roles: [notifyRoleId] } };
}

/** Replies to a click on "Notify me". */
export const notifyToggled = (roleId: string, added: boolean): string =>
  added ? `You'll be notified: you now have ${roleMention(roleId)}, which the digest mentions. Click Notify me again to stop.` : `You won't be notified any more: ${roleMention(roleId)} was removed. Click Notify me again to opt back in.`;
