import { type APIInteractionGuildMember, ChannelType, type Guild, type GuildBasedChannel, type GuildMember, type Interaction, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

/** What a member may do in the channels of the guild an interaction came from. */
export interface MemberAccess {
  /** The member's permissions in a channel; null when the channel is gone or unknown. */
  permissionsIn(channelId: string): Readonly<PermissionsBitField> | null;
  /** Whether the member can view a channel; a gone or unknown channel is not viewable. */
  canView(channelId: string): boolean;
}

/**
 * In the interaction's own channel Discord says what the member may do (`memberPermissions`);
 * elsewhere it is worked out from the cached guild: roles, then the channel's overwrites. Without
 * a cached guild (or member) nothing outside the interaction's channel is allowed.
 */
export function memberAccess(interaction: Interaction): MemberAccess {
  const guild = interaction.guild;
  const member = interaction.inCachedGuild() ? interaction.member : null;
  const permissionsIn = (channelId: string): Readonly<PermissionsBitField> | null => {
    if (channelId === interaction.channelId) return interaction.memberPermissions;
    const channel = guild && member ? channelOf(guild, channelId) : undefined;
    return channel && member ? channel.permissionsFor(member) : null;
  };
  return {
    permissionsIn,
    canView(channelId) {
      if (channelId === interaction.channelId) return true;
      const permissions = permissionsIn(channelId);
      if (!permissions?.has(PermissionFlagsBits.ViewChannel)) return false;
      // A private thread shows to its members only, which the cache does not know: only to those who manage threads.
      const channel = guild ? channelOf(guild, channelId) : undefined;
      return channel?.type !== ChannelType.PrivateThread || permissions.has(PermissionFlagsBits.ManageThreads);
    },
  };
}

function channelOf(guild: Guild, channelId: string): GuildBasedChannel | undefined {
  return guild.channels.cache.get(channelId);
}

/** A member's role ids, whether discord.js cached the member (a GuildMember) or only has the raw payload. */
export function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
}
