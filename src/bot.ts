import { type Client, Events } from 'discord.js';
import { commands } from '../commands/index.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { createClient } from './discord/client.js';
import { createDigestSender } from './discord/digest-sender.js';
import { createPollBoard } from './discord/poll-board.js';
import { createRouter } from './discord/router.js';
import { createAudience } from './discord/audience.js';
import { latestHeadline } from './polls/headline.js';
import { PollRepository } from './polls/repository.js';
import { PollService } from './polls/service.js';
import { DigestService } from './digests/service.js';
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
  const clock = options.clock ?? systemClock;
  const client = createClient(config, options.shards ? { shards: options.shards, shardCount: options.shardCount ?? options.shards.length } : {});
  const board = createPollBoard(client, clock, logger.child({ module: 'polls' }));
  const repo = new PollRepository(store);
  const polls = new PollService({ repo, clock, logger: logger.child({ module: 'polls' }), onChange: board.onChange, onClose: board.onClose });
  const headline = { latest: (guildId: string, visible: (channelId: string) => boolean) => latestHeadline(repo, polls, guildId, visible) };
  const digests = new DigestService({ store, clock, logger: logger.child({ module: 'digests' }), pack, sender: createDigestSender(client), headline, audience: createAudience(client) });
  const ctx: Context = { config, logger, pack, store, clock, digests, polls };
  const route = createRouter(commands, ctx);

  client.on(Events.InteractionCreate, (interaction) => {
    void route(interaction);
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
  // The guilds in this client's cache are exactly the ones its shards own: schedule only those.
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      logger.info({ user: c.user.tag, guilds: c.guilds.cache.size, storyVersion: pack.version }, 'tamasha is online');
      const owned = [...c.guilds.cache.keys()];
      Promise.all([
        polls.load(owned).catch((error: unknown) => logger.error({ err: error }, 'could not load open polls')),
        digests.start(owned).catch((error: unknown) => logger.error({ err: error }, 'could not start the digest schedule')),
      ]).then(() => resolve());
    });
  });

  const stop = async () => {
    digests.stop();
    await polls.stop();
    await digests.idle();
    await client.destroy();
    await store.close();
  };
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { client, ctx, stop };
}
