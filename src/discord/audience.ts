import { ChannelType, type Client, type Guild, type GuildBasedChannel, PermissionFlagsBits } from 'discord.js';

/**
 * Whether everyone who can view the digest channel can also view `channelId`, so the digest may
 * show what was said there (a poll's standings). `digestChannelId` null means "anyone in the
 * server" (a preview before set-up).
 *
 * The rule, judged on the ViewChannel bit only, from the cached guild:
 * - the same channel; or
 * - a channel open to every member: @everyone has View Channel and no overwrite on it denies it,
 *   so every member's roles, then overwrites, leave it allowed; or
 * - a channel whose overwrites say exactly what the digest channel's do about View Channel, for
 *   every role and member: a member's view of a channel depends only on their roles and those
 *   overwrites, so both channels are viewed by exactly the same members.
 * Threads are judged by their parent (a public thread shows to whoever sees the parent); a private
 * thread, a gone or unknown channel, or an uncached guild never qualify. The rule is conservative:
 * two channels with different overwrites that happen to reach the same members are not matched.
 */
export function createAudience(client: Client): (guildId: string, digestChannelId: string | null, channelId: string) => boolean {
  return (guildId, digestChannelId, channelId) => {
    if (channelId === digestChannelId) return true;
    const guild = client.guilds.cache.get(guildId);
    if (!guild) return false;
    const target = viewedAs(guild, channelId);
    if (!target) return false;
    if (openToEveryone(guild, target)) return true;
    const digest = digestChannelId === null ? undefined : viewedAs(guild, digestChannelId);
    return digest !== undefined && (digest.id === target.id || sameViewRule(digest, target));
  };
}

function viewedAs(guild: Guild, channelId: string): GuildBasedChannel | undefined {
  const channel = guild.channels.cache.get(channelId);
  if (!channel) return undefined;
  if (channel.type === ChannelType.PrivateThread) return undefined;
  if (channel.isThread()) return channel.parent ?? undefined;
  return channel;
}

/** View Channel state per overwrite id: 'allow', 'deny' or absent. */
function viewRule(channel: GuildBasedChannel): Map<string, 'allow' | 'deny'> {
  const rule = new Map<string, 'allow' | 'deny'>();
  if (!('permissionOverwrites' in channel)) return rule;
  for (const o of channel.permissionOverwrites.cache.values()) {
    if (o.deny.has(PermissionFlagsBits.ViewChannel)) rule.set(o.id, 'deny');
    else if (o.allow.has(PermissionFlagsBits.ViewChannel)) rule.set(o.id, 'allow');
  }
  return rule;
}

function openToEveryone(guild: Guild, channel: GuildBasedChannel): boolean {
  if (!guild.roles.everyone.permissions.has(PermissionFlagsBits.ViewChannel)) return false;
  return ![...viewRule(channel).values()].includes('deny');
}

function sameViewRule(a: GuildBasedChannel, b: GuildBasedChannel): boolean {
  const [ra, rb] = [viewRule(a), viewRule(b)];
  return ra.size === rb.size && [...ra].every(([id, state]) => rb.get(id) === state);
}
