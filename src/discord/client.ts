import type { RESTOptions } from '@discordjs/rest';
import { Client, GatewayIntentBits, Options, type ClientOptions } from 'discord.js';
import type { Config } from '../config.js';

/**
 * Interactions arrive with the Guilds intent alone, so the bot asks for nothing more. Caches the
 * bot never reads are switched off; guilds, channels, roles and permission overwrites stay, since
 * permission checks need them.
 */
export function createClient(config: Pick<Config, 'apiUrl' | 'apiProxy'>, extra: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      ApplicationCommandManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      VoiceStateManager: 0,
    }),
    allowedMentions: { parse: [] },
    rest: restOptions(config),
    ...extra,
  });
}

/**
 * The shard ids a client of this process will run, worked out as discord.js does before it is
 * built: given ids, else the SHARDS variable a ShardingManager sets for its children, else shard 0.
 * For the logger's `shards` field, so even the lines written before the client exists carry it.
 */
export function plannedShards(shards?: readonly number[], env: Record<string, string | undefined> = process.env): number[] | 'auto' {
  if (shards) return [...shards];
  if (env.SHARDS) {
    const parsed: unknown = JSON.parse(env.SHARDS);
    return parsed === 'auto' ? 'auto' : [parsed].flat().map(Number);
  }
  return [0];
}

/**
 * Behind the REST proxy the proxy alone keeps the global 50/s for every process. A second limiter
 * here would only queue this process's own calls in front of the proxy's queue (interaction
 * follow-ups and edits included, which @discordjs/rest counts against its global limit though Discord
 * does not), and never stop a 429: N processes at 50/s each are still N × 50/s together.
 */
export function restOptions(config: Pick<Config, 'apiUrl' | 'apiProxy'>): Partial<RESTOptions> {
  return {
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    ...(config.apiProxy ? { globalRequestsPerSecond: Number.POSITIVE_INFINITY } : {}),
  };
}
