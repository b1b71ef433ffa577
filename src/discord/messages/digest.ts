import { time, TimestampStyles } from 'discord.js';
import type { DigestContent } from '../../digests/render.js';
import type { DigestSettings } from '../../digests/types.js';
import { toEmbed } from './embed.js';

const at = (ms: number, style: (typeof TimestampStyles)[keyof typeof TimestampStyles]) => time(new Date(ms), style);

/** A guild's digest settings as /digest set and /digest status show them. */
export function digestStatus(settings: DigestSettings, nextAt: number | null): string {
  const lines = [
    `**Channel:** <#${settings.channelId}>${settings.thread ? ' (with a thread for each day)' : ''}`,
    `**Time:** ${settings.time} ${settings.zone}`,
    `**Status:** ${settings.enabled ? 'on' : 'off — `/digest set` turns it back on'}`,
    `**Next digest:** ${nextAt === null ? 'none while off' : `${at(nextAt, TimestampStyles.LongDateTime)} (${at(nextAt, TimestampStyles.RelativeTime)})`}`,
    `**Last digest:** ${settings.lastSentAt === null ? 'none yet' : `${at(settings.lastSentAt, TimestampStyles.LongDateTime)} (day ${settings.daysSent})`}`,
  ];
  if (settings.recordPending) lines.push(`**Storage problem** ${at(settings.recordPending.at, TimestampStyles.RelativeTime)}: ${settings.recordPending.reason}.`);
  if (settings.lastError) lines.push(`**Last attempt failed** ${at(settings.lastError.at, TimestampStyles.RelativeTime)}: ${settings.lastError.reason}. I'll try again at the next day's time.`);
  return lines.join('\n');
}

export const digestPreviewMessage = (content: DigestContent) => ({ content: 'This is what the next digest will look like:', embeds: [toEmbed(content.card)] });

/** The digest's marker, at the end of its footer: how a restarted bot recognises its own earlier post. */
export const digestMarker = (nonce: string): string => `ref ${nonce}`;

/** The digest as posted in the channel, its footer ending with the marker. */
export function digestPost(content: DigestContent, nonce: string) {
  const embed = toEmbed(content.card);
  const mark = ` · ${digestMarker(nonce)}`;
  embed.setFooter({ text: `${(content.card.footer ?? '').slice(0, 2048 - mark.length)}${mark}` });
  return { embeds: [embed], nonce, enforceNonce: true, allowedMentions: { parse: [] } };
}
