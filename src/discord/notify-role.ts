import { type Guild, PermissionFlagsBits, type Role } from 'discord.js';
import { t } from '../i18n/index.js';

/**
 * What stops the bot from using `role` as a digest's notify role, each a sentence in `locale` that
 * says exactly what to change in Server Settings (named as Discord's settings name it there); empty
 * when nothing does. Checked when an admin picks the role and again on every "Notify me" click (a
 * server may change its roles in between).
 */
export function notifyRoleProblems(guild: Guild, role: Role | null | undefined, locale?: string): string[] {
  if (!role) return [t(locale, 'notify.roleGone')];
  if (role.id === guild.id) return [t(locale, 'notify.everyone')];
  if (role.managed) return [t(locale, 'notify.managed', { role: role.name })];
  const me = guild.members.me;
  if (!me) return [t(locale, 'notify.cantSeeSelf')];
  const mine = me.roles.highest;
  const problems: string[] = [];
  if (!me.permissions.has(PermissionFlagsBits.ManageRoles)) problems.push(t(locale, 'notify.needManageRoles', { mine: mine.name }));
  if (role.comparePositionTo(mine) >= 0) problems.push(t(locale, 'notify.rolePosition', { mine: mine.name, role: role.name }));
  if (!role.mentionable && !me.permissions.has(PermissionFlagsBits.MentionEveryone)) problems.push(t(locale, 'notify.cantMention', { role: role.name }));
  return problems;
}

/** The problems as one message for a private reply, numbered when there are several. */
export function explainNotifyRoleProblems(problems: readonly string[], locale?: string): string {
  return `${t(locale, 'notify.intro')} ${problems.map((p, i) => `${problems.length > 1 ? `${i + 1}. ` : ''}${p}`).join('\n')}`;
}
