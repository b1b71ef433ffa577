import { isBotKey, t } from '../i18n/index.js';
import { type GuildBasedChannel, PermissionFlagsBits, PermissionsBitField, type PermissionResolvable } from 'discord.js';

export const POST_PERMISSIONS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks] as const;
/** In a forum, Send Messages is what Discord's settings call "Create Posts". */
export const FORUM_POST_PERMISSIONS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks] as const;
export const THREAD_PERMISSIONS = [PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads] as const;

/** A permission's name as Discord's settings show it, in `locale`: "ManageGuild" → "Manage Server", "Server verwalten". */
export function permissionName(flag: string, locale?: string): string {
  const key = `permission.${flag}`;
  return isBotKey(key) ? t(locale, key) : flag.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** The bot's permissions in `channel` that are missing from `wanted`, by display name in `locale`. */
export function missingBotPermissions(channel: GuildBasedChannel, wanted: readonly PermissionResolvable[], locale?: string): string[] {
  const me = channel.guild.members.me;
  const have = me ? channel.permissionsFor(me) : null;
  const needed = new PermissionsBitField(wanted);
  return (have ? have.missing(needed) : needed.toArray()).map((flag) => permissionName(flag, locale));
}

/** Which of `wanted` the bot lacks where an interaction happened (from its app_permissions), by display name in `locale`. */
export function missingAppPermissions(appPermissions: Readonly<PermissionsBitField>, wanted: readonly bigint[], locale?: string): string[] {
  return appPermissions.missing(wanted).map((flag) => permissionName(flag, locale));
}
