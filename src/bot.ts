import { type Client, Events } from 'discord.js';
import { commands } from '../commands/index.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { createClient } from './discord/client.js';
import { createRouter } from './discord/router.js';
import type { Logger } from './logger.js';
import { openStore } from './storage/store.js';
import { loadStoryPack } from './story/load.js';

export interface Bot {
  client: Client;
  ctx: Context;
  stop(): Promise<void>;
}

export interface BotOptions {
  clock?: Clock;
  /** discord.js shard ids for this process; the default lets discord.js run them all. */
  shards?: number[];
  shardCount?: number;
}

/** Wires config → story pack → store → client → router, and logs in. Throws on any failure. */
export async function startBot(config: Config, logger: Logger, options: BotOptions = {}): Promise<Bot> {
  const pack = loadStoryPack(config.storyDir);
  const store = openStore(config.databaseUrl, logger);
  const ctx: Context = { config, logger, pack, store, clock: options.clock ?? systemClock };
  const client = createClient(config, options.shards ? { shards: options.shards, shardCount: options.shardCount ?? options.shards.length } : {});
  const route = createRouter(commands, ctx);

  client.on(Events.InteractionCreate, (interaction) => {
    void route(interaction);
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size, storyVersion: pack.version }, 'tamasha is online');
  });

  const stop = async () => {
    await client.destroy();
    await store.close();
  };
  try {
    await client.login(config.token);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { client, ctx, stop };
}
