import { type Client, Events } from 'discord.js';
import { commands } from '../commands/index.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { createClient } from './discord/client.js';
import { createDigestSender } from './discord/digest-sender.js';
import { answerRestarting } from './discord/draining.js';
import { fatalCloseReason } from './discord/gateway-close.js';
import { createPollBoard } from './discord/poll-board.js';
import { createRouter } from './discord/router.js';
import { createAudience } from './discord/audience.js';
import { latestHeadline } from './polls/headline.js';
import { PollRepository } from './polls/repository.js';
import { PollService } from './polls/service.js';
import { DigestRepository } from './digests/repository.js';
import { DigestService } from './digests/service.js';
import type { Logger } from './logger.js';
import { checkStore, openStore, type Store } from './storage/store.js';
import { loadStoryPack } from './story/load.js';

export interface Bot {
  client: Client;
  ctx: Context;
  /** The store this process opened (tests inspect what was stored through a repository over it). */
  store: Store;
  /** Drains (new interactions are told to retry, those under way finish), then closes everything. Idempotent. */
  stop(): Promise<void>;
  /** Settles when Discord closed the gateway with a code discord.js will not retry: the bot can hear nothing more. */
  fatal: Promise<{ code: number; reason: string }>;
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
  await checkStore(config.databaseUrl);
  const store = openStore(config.databaseUrl, logger);
  const clock = options.clock ?? systemClock;
  const client = createClient(config, options.shards ? { shards: options.shards, shardCount: options.shardCount ?? options.shards.length } : {});
  const board = createPollBoard(client, clock, logger.child({ module: 'polls' }));
  const repo = new PollRepository(store);
  const polls = new PollService({ repo, clock, logger: logger.child({ module: 'polls' }), onChange: board.onChange, onClose: board.onClose });
  const headline = { latest: (guildId: string, visible: (channelId: string) => boolean) => latestHeadline(repo, polls, guildId, visible) };
  const digests = new DigestService({ repo: new DigestRepository(store), clock, logger: logger.child({ module: 'digests' }), pack, sender: createDigestSender(client), headline, audience: createAudience(client), sendsPerSecond: config.digestSendsPerSecond });
  const ctx: Context = { logger, pack, clock, digests, polls };
  const route = createRouter(commands, ctx);

  // While shutting down, interactions still arrive (the gateway stays up until those under way
  // are answered): each new one gets a short "restarting" answer instead of starting work.
  let draining = false;
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    if (draining) {
      answerRestarting(interaction).catch((error: unknown) => logger.warn({ err: error, interactionId: interaction.id }, 'could not answer an interaction during shutdown'));
      return;
    }
    const handled: Promise<void> = route(interaction)
      .catch((error: unknown) => logger.error({ err: error, interactionId: interaction.id }, 'interaction failed'))
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  let closedForGood: (f: { code: number; reason: string }) => void = () => undefined;
  const fatal = new Promise<{ code: number; reason: string }>((resolve) => (closedForGood = resolve));
  client.on(Events.ShardDisconnect, (event, shardId) => {
    const reason = fatalCloseReason(event.code);
    if (!reason) return logger.warn({ shardId, code: event.code }, 'gateway disconnected');
    logger.fatal({ shardId, code: event.code }, reason);
    closedForGood({ code: event.code, reason });
  });
  // The guilds in this client's cache are exactly the ones its shards own: schedule only those.
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      logger.info({ user: c.user.tag, guilds: c.guilds.cache.size, storyVersion: pack.version }, 'tamasha is online');
      const owned = [...c.guilds.cache.keys()];
      // Each part logs its own failure, so the whole never rejects.
      void Promise.all([
        polls.load(owned).catch((error: unknown) => logger.error({ err: error }, 'could not load open polls')),
        digests.start(owned).catch((error: unknown) => logger.error({ err: error }, 'could not start the digest schedule')),
      ]).then(() => resolve());
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      await Promise.allSettled([...inFlight]);
      digests.stop();
      await polls.stop();
      await digests.idle();
      await client.destroy();
      await store.close();
    })());
  try {
    // A close discord.js will not retry during login would otherwise leave the login waiting forever.
    const closed = fatal.then(({ reason }) => Promise.reject(new Error(reason)));
    closed.catch(() => undefined); // after login it is bot.fatal's to report, not an unhandled rejection
    await Promise.race([client.login(config.token).then(() => ready), closed]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { client, ctx, store, stop, fatal };
}
