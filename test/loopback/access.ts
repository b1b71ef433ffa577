/**
 * Who may see and do what in a channel: server roles beyond @everyone and the bot's, and channel
 * permission overwrites for roles and members. Kept apart from state.ts, which only asks it for the
 * extra roles, the overwrites of a channel payload and a member's permissions in a channel.
 * The bot's own permissions stay modelled by `botDeny` (state.ts); these overwrites never limit it.
 */
import { OverwriteType, PermissionFlagsBits, type APIOverwrite, type APIRole, type RoleFlags } from 'discord-api-types/v10';

export interface RoleSpec {
  id: string;
  name: string;
  permissions: bigint;
  /** Default: after the roles added before it, above the bot's (positions 2, 3…). */
  position?: number;
  mentionable?: boolean;
}

export interface OverwriteSpec {
  /** A role id (the guild id for @everyone) or a member id. */
  id: string;
  type: 'role' | 'member';
  allow?: bigint;
  deny?: bigint;
}

const ALL = (1n << 53n) - 1n;

export class AccessModel {
  readonly #roles = new Map<string, RoleSpec[]>();
  readonly #overwrites = new Map<string, OverwriteSpec[]>();

  addRole(guildId: string, role: RoleSpec): void {
    this.#roles.set(guildId, [...(this.#roles.get(guildId) ?? []), role]);
  }

  /** Replaces the overwrite for the same id, as Discord's PUT /channels/:id/permissions/:overwrite does. */
  setOverwrite(channelId: string, overwrite: OverwriteSpec): void {
    const others = (this.#overwrites.get(channelId) ?? []).filter((o) => o.id !== overwrite.id);
    this.#overwrites.set(channelId, [...others, overwrite]);
  }

  rolePayloads(guildId: string, firstPosition: number): APIRole[] {
    return (this.#roles.get(guildId) ?? []).map((r, i) => ({
      id: r.id, name: r.name, permissions: r.permissions.toString(), position: r.position ?? firstPosition + i, managed: false, color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, mentionable: r.mentionable ?? false, flags: 0 as RoleFlags,
    }));
  }

  overwritePayloads(channelId: string): APIOverwrite[] {
    return (this.#overwrites.get(channelId) ?? []).map((o) => ({ id: o.id, type: o.type === 'role' ? OverwriteType.Role : OverwriteType.Member, allow: (o.allow ?? 0n).toString(), deny: (o.deny ?? 0n).toString() }));
  }

  /**
   * Discord's computation: base permissions (`base`, which stands for @everyone's, OR the member's
   * roles), Administrator grants everything, then the channel's @everyone, role and member
   * overwrites in that order. Used for the `permissions` of the member in an interaction payload.
   */
  permissionsIn(guildId: string, channelId: string, member: { id: string; roles: string[] }, base: bigint): bigint {
    const roles = (this.#roles.get(guildId) ?? []).filter((r) => member.roles.includes(r.id));
    let perms = roles.reduce((acc, r) => acc | r.permissions, base);
    if ((perms & PermissionFlagsBits.Administrator) !== 0n) return ALL;
    const overwrites = this.#overwrites.get(channelId) ?? [];
    const apply = (list: OverwriteSpec[]) => {
      const deny = list.reduce((acc, o) => acc | (o.deny ?? 0n), 0n);
      const allow = list.reduce((acc, o) => acc | (o.allow ?? 0n), 0n);
      perms = (perms & ~deny) | allow;
    };
    apply(overwrites.filter((o) => o.type === 'role' && o.id === guildId));
    apply(overwrites.filter((o) => o.type === 'role' && member.roles.includes(o.id)));
    apply(overwrites.filter((o) => o.type === 'member' && o.id === member.id));
    return perms;
  }
}
