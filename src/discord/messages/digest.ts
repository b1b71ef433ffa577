import { ActionRowBuilder, ButtonBuilder, ButtonStyle, roleMention, time, TimestampStyles } from 'discord.js';
import type { DigestContent } from '../../digests/render.js';
import type { DigestSettings } from '../../digests/types.js';
import { encodeCustomId } from '../custom-id.js';
import { toEmbed } from './embed.js';

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

export const digestPreviewMessage = (content: DigestContent) => ({ content: 'This is what the next digest will look like:', embeds: [toEmbed(content.card)] });

/** The digest's marker, at the end of its footer: how a restarted bot recognises its own earlier post. */
export const digestMarker = (nonce: string): string => `ref ${nonce}`;

/** The "Notify me" button's custom_id: it toggles `roleId`, re-checked against the server's digest settings on each click. */
export const notifyButtonId = (roleId: string): string => encodeCustomId('digest', 'notify', roleId);

/** A row with the "Notify me" button that adds or removes `roleId`. */
export function notifyRow(roleId: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(notifyButtonId(roleId)).setLabel('Notify me').setEmoji('🔔').setStyle(ButtonStyle.Secondary));
}

/**
 * The digest as posted (a forum post's first message too), its footer ending with the marker. With a
 * notify role it mentions that role, and only that role can ping (`allowed_mentions` names it alone).
 */
export function digestPost(content: DigestContent, nonce: string, notifyRoleId: string | null) {
  const embed = toEmbed(content.card);
  const mark = ` · ${digestMarker(nonce)}`;
  embed.setFooter({ text: `${(content.card.footer ?? '').slice(0, 2048 - mark.length)}${mark}` });
  if (!notifyRoleId) return { embeds: [embed], allowedMentions: { parse: [] } };
  return { content: roleMention(notifyRoleId), embeds: [embed], components: [notifyRow(notifyRoleId)], allowedMentions: { parse: [], roles: [notifyRoleId] } };
}

/** Replies to a click on "Notify me". */
export const notifyToggled = (roleId: string, added: boolean): string =>
  added ? `You'll be notified: you now have ${roleMention(roleId)}, which the digest mentions. Click Notify me again to stop.` : `You won't be notified any more: ${roleMention(roleId)} was removed. Click Notify me again to opt back in.`;
