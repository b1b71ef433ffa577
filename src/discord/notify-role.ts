import { type Guild, PermissionFlagsBits, type Role } from 'discord.js';

/**
 * What stops the bot from using `role` as a digest's notify role, each in words that say exactly
 * what to change in Server Settings; empty when nothing does. Checked when an admin picks the role
 * and again on every "Notify me" click (a server may change its roles in between).
 */
export function notifyRoleProblems(guild: Guild, role: Role | null | undefined): string[] {
  if (!role) return ['that role no longer exists: pick another with `/digest set … notify_role:`'];
  if (role.id === guild.id) return ['@everyone cannot be a notify role: create a role such as @Digest and pick that one'];
  if (role.managed) return [`@${role.name} belongs to an integration, so nobody can be given it: create a role such as @Digest and pick that one`];
  const me = guild.members.me;
  if (!me) return ["I can't see my own roles in this server yet: try again in a minute"];
  const mine = me.roles.highest;
  const problems: string[] = [];
  if (!me.permissions.has(PermissionFlagsBits.ManageRoles)) {
    problems.push(`I need the Manage Roles permission: in Server Settings → Roles → @${mine.name}, turn on Manage Roles`);
  }
  if (role.comparePositionTo(mine) >= 0) {
    problems.push(`my highest role @${mine.name} must be above @${role.name}: in Server Settings → Roles, drag @${mine.name} above @${role.name}`);
  }
  if (!role.mentionable && !me.permissions.has(PermissionFlagsBits.MentionEveryone)) {
    problems.push(`I can't mention @${role.name}: in Server Settings → Roles → @${role.name}, turn on "Allow anyone to @mention this role"`);
  }
  return problems;
}

/** The problems as one sentence for a private reply. */
export function explainNotifyRoleProblems(problems: readonly string[]): string {
  return `I can't use that notify role yet. ${problems.map((p, i) => `${problems.length > 1 ? `${i + 1}. ` : ''}${p.charAt(0).toUpperCase()}${p.slice(1)}.`).join('\n')}`;
}
