import { type Message, time, TimestampStyles } from 'discord.js';
import type { DigestContent } from '../../digests/render.js';
import type { DigestSettings } from '../../digests/types.js';
import { cardPanel, layoutMessage, type LayoutMessage, messageTexts, text } from './layout.js';

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

export const digestPreviewMessage = (content: DigestContent): LayoutMessage => layoutMessage([text('This is what the next digest will look like:'), cardPanel(content.card)]);

/** The digest's marker, at the end of its small print: how a restarted bot recognises its own earlier post. */
export const digestMarker = (nonce: string): string => `ref ${nonce}`;

/** Whether a message is the digest posted with this nonce (before Components V2 the marker ended an embed's footer). */
export function isDigestPost(message: Pick<Message, 'content' | 'components' | 'embeds'>, nonce: string): boolean {
  const mark = digestMarker(nonce);
  return messageTexts(message).some((t) => t.endsWith(mark)) || message.embeds.some((e) => e.footer?.text.endsWith(mark) ?? false);
}

/** The digest as posted in the channel, its small print ending with the marker. */
export function digestPost(content: DigestContent, nonce: string) {
  const footer = content.card.footer ? `${content.card.footer} · ${digestMarker(nonce)}` : digestMarker(nonce);
  return { ...layoutMessage([cardPanel({ ...content.card, footer })]), nonce, enforceNonce: true };
}
