import { AttachmentBuilder, ButtonBuilder, ButtonStyle, type Message, roleMention, time, TimestampStyles } from 'discord.js';
import type { DigestContent } from '../../digests/render.js';
import type { DigestSettings } from '../../digests/types.js';
import { t } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';
import { type Block, cardPanel, layoutMessage, type LayoutMessage, messageTexts, text } from './layout.js';

const at = (ms: number, style: (typeof TimestampStyles)[keyof typeof TimestampStyles]) => time(new Date(ms), style);

/**
 * One digest schedule as /digest set and /digest status show it, in the admin's `locale`. The
 * recorded reasons of a problem are stored, and shown, in English.
 */
export function digestStatus(settings: DigestSettings, nextAt: number | null, locale?: string): string {
  const label = (key: Parameters<typeof t>[1]) => `**${t(locale, key)}:**`;
  const lines = [
    `${label('digest.statusChannel')} <#${settings.channelId}>${settings.thread ? ` ${t(locale, 'digest.withThread')}` : ''}`,
    `${label('digest.statusTime')} ${settings.time} ${settings.zone}`,
    ...(settings.notifyRoleId ? [`${label('digest.statusNotifies')} ${t(locale, 'digest.notifiesWho', { role: roleMention(settings.notifyRoleId) })}`] : []),
    ...(settings.skipDay ? [`${label('digest.statusSkipping')} ${t(locale, 'digest.skippingDay', { day: settings.skipDay })}`] : []),
    `${label('digest.statusLabel')} ${t(locale, settings.enabled ? 'digest.on' : 'digest.off')}`,
    `${label('digest.statusNext')} ${nextAt === null ? t(locale, 'digest.noneWhileOff') : `${at(nextAt, TimestampStyles.LongDateTime)} (${at(nextAt, TimestampStyles.RelativeTime)})`}`,
    `${label('digest.statusLast')} ${settings.lastSentAt === null ? t(locale, 'digest.noneYet') : t(locale, 'digest.lastDay', { when: at(settings.lastSentAt, TimestampStyles.LongDateTime), day: settings.daysSent })}`,
  ];
  if (settings.recordPending) lines.push(`**${t(locale, 'digest.storageProblem')}** ${at(settings.recordPending.at, TimestampStyles.RelativeTime)}: ${settings.recordPending.reason}.`);
  if (settings.lastWarning) lines.push(`**${t(locale, 'digest.lastWarning')}** ${at(settings.lastWarning.at, TimestampStyles.RelativeTime)}: ${settings.lastWarning.reason}.`);
  if (settings.lastError) lines.push(`**${t(locale, 'digest.lastFailed')}** ${at(settings.lastError.at, TimestampStyles.RelativeTime)}: ${settings.lastError.reason}. ${t(locale, 'digest.tryAgain')}`);
  return lines.join('\n');
}

/** Every schedule of a server, one block each, within a message's 2,000 characters. */
export function digestStatuses(list: ReadonlyArray<{ settings: DigestSettings; nextAt: number | null }>, locale?: string): string {
  const blocks = list.map(({ settings, nextAt }) => digestStatus(settings, nextAt, locale));
  const text = blocks.join('\n\n');
  if (text.length <= 2000) return text;
  const more = `\n\n${t(locale, 'digest.moreSchedules')}`;
  return `${text.slice(0, 2000 - more.length)}${more}`;
}

/** The answer to /digest skip. */
export function digestSkipped(settings: DigestSettings, day: string, already: boolean, nextAt: number | null, locale?: string): string {
  const next = nextAt === null ? '' : ` ${t(locale, 'digest.nextOne', { when: at(nextAt, TimestampStyles.LongDateTime) })}`;
  return `${t(locale, already ? 'digest.alreadySkipping' : 'digest.skipping', { day, channel: `<#${settings.channelId}>` })}${next}`;
}

/** The chart as the message's one upload, and the block that shows it (after the fields, before the small print). */
function chartParts(content: DigestContent): { blocks: Block[]; files: AttachmentBuilder[] } {
  const chart = content.chart;
  if (!chart) return { blocks: [], files: [] };
  return { blocks: [{ kind: 'image', file: chart.name, alt: chart.alt }], files: [new AttachmentBuilder(chart.png, { name: chart.name, description: chart.alt.slice(0, 1024) })] };
}

/** /digest preview: a line in the admin's `locale`, then the digest as the server will read it. */
export function digestPreviewMessage(content: DigestContent, locale?: string): LayoutMessage & { files: AttachmentBuilder[] } {
  const { blocks, files } = chartParts(content);
  return { ...layoutMessage([text(t(locale, 'digest.preview')), cardPanel(content.card, blocks)]), files };
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
export function notifySection(roleId: string, locale: string | undefined): Block {
  return {
    kind: 'section',
    texts: [t(locale, 'digest.notifyPrompt', { role: roleMention(roleId) })],
    button: new ButtonBuilder().setCustomId(notifyButtonId(roleId)).setLabel(t(locale, 'digest.notifyButton')).setEmoji('🔔').setStyle(ButtonStyle.Secondary),
  };
}

/**
 * The digest as posted (a forum post's first message too), its small print ending with the marker.
 * With the verdict's chart it uploads the PNG and shows it in a Media Gallery. With a notify role it mentions that role beside the "Notify me" button, and only that role can
 * ping (`allowed_mentions` names it alone).
 */
export function digestPost(content: DigestContent, nonce: string, notifyRoleId: string | null, locale: string | undefined = content.locale) {
  const footer = content.card.footer ? `${content.card.footer} · ${digestMarker(nonce)}` : digestMarker(nonce);
  const { blocks, files } = chartParts(content);
  if (!notifyRoleId) return { ...layoutMessage([cardPanel({ ...content.card, footer }, blocks)]), files };
  return { ...layoutMessage([cardPanel({ ...content.card, footer }, [...blocks, notifySection(notifyRoleId, locale)])]), files, allowedMentions: { parse: [] as [], roles: [notifyRoleId] } };
}

/** Replies to a click on "Notify me". */
export const notifyToggled = (roleId: string, added: boolean, locale?: string): string => t(locale, added ? 'digest.notifyOn' : 'digest.notifyOff', { role: roleMention(roleId) });

/** /digest set's answer: the schedule as saved. */
export function digestSetUp(settings: DigestSettings, nextAt: number | null, locale?: string): string {
  return `${t(locale, 'digest.onNow')}\n${digestStatus(settings, nextAt, locale)}`;
}

/** /digest off's answer. */
export function digestTurnedOff(channelId: string, locale?: string): string {
  return t(locale, 'digest.offNow', { channel: `<#${channelId}>` });
}
