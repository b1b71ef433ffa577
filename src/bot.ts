import { type Client, Events } from 'discord.js';
import { commands } from '../commands/index.js';
import { type Clock, systemClock } from './clock.js';
import { retryDelay, START_RETRY_MAX_MS, START_RETRY_MIN_MS } from './constants.js';
import type { Context } from './context.js';
import { createClient } from './discord/client.js';
import { createDigestSender } from './discord/digest-sender.js';
import { answerRestarting } from './discord/draining.js';
import { fatalCloseReason, GatewayClosedError } from './discord/gateway-close.js';
import { createPollBoard } from './discord/poll-board.js';
import { createRouter, interactionLabel } from './discord/router.js';
import { observeRest, shardProblems, shardSnapshots } from './discord/observe.js';
import { Metrics } from './metrics.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { createAudience } from './discord/audience.js';
import { latestHeadline } from './polls/headline.js';
import { StorePollRepository } from './polls/repository.js';
import { PollService } from './polls/service.js';
import { StoreDigestRepository } from './digests/repository.js';
import { DigestService } from './digests/service.js';
import type { Logger } from './logger.js';
import { type Config, DEFAULTS, digestRate } from './config.js';
import { localDate, scheduledAt } from './digests/schedule.js';
import { answersOf } from './polls/ballot.js';
import type { StoredVote } from './polls/service.js';
import type { Ballot } from './polls/types.js';
import { StoreArgumentRepository } from './arguments/repository.js';
import { StoreDevelopmentRepository } from './developments/repository.js';
import { DevelopmentService } from './developments/service.js';
import { ArgumentService } from './arguments/service.js';
import { sidesOf } from './arguments/sides.js';
import { StoreVerdictRepository } from './verdict/repository.js';
import { VerdictService } from './verdict/service.js';
import type { SnapshotClock } from './verdict/types.js';
import { COLLECTIONS } from './storage/keys.js';
import { checkStore, openStore, type Store } from './storage/store.js';
import { trendChart } from './charts/trend.js';
import { digestDebate } from './digest-debate.js';
import { digestVerdict } from './digest-verdict.js';
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
  /** The port /metrics and /healthz are served on, when METRICS_PORT is set (0 binds a free one). */
  metricsPort?: number;
}

export interface BotOptions {
  clock?: Clock;
  /** discord.js shard ids for this process; the default lets discord.js run them all. */
  shards?: number[];
  shardCount?: number;
}

/** Wires config → story pack → store → client → router, and logs in. Throws on any failure. */
export async function startBot(config: Config, parentLogger: Logger, options: BotOptions = {}): Promise<Bot> {
  const client = createClient(config, options.shards ? { shards: options.shards, shardCount: options.shardCount ?? options.shards.length } : {});
  // Every line names the shards (index.ts binds them before start-up; a bot started otherwise, here).
  const logger = 'shards' in parentLogger.bindings() ? parentLogger : parentLogger.child({ shards: client.options.shards });
  const pack = loadStoryPack(config.storyDir);
  await checkStore(config.databaseUrl);
  // On PostgreSQL, pg_stat_activity then shows which shard process holds each connection.
  const shards = client.options.shards;
  const store = openStore(config.databaseUrl, logger, { applicationName: Array.isArray(shards) ? `tamasha shards ${shards.join(',')}` : 'tamasha' });
  const clock = options.clock ?? systemClock;
  const metrics = config.metricsPort === undefined ? undefined : new Metrics(() => shardSnapshots(client));
  if (metrics) observeRest(client, metrics);
  const board = createPollBoard(client, clock, logger.child({ module: 'polls' }));
  const repo = new StorePollRepository(store);
  const verdictLog = logger.child({ module: 'verdict' });
  const verdict: VerdictService = new VerdictService({
    repo: new StoreVerdictRepository(store),
    clock,
    logger: verdictLog,
    headline: pack.headlinePoll,
    historyDays: config.verdictHistoryDays ?? DEFAULTS.verdictHistoryDays,
    // The server's digest time and zone when it has a digest (of several schedules, the enabled one
    // with the lowest channel id, so every process picks the same); the verdict never reads digests itself.
    snapshotClock: async (guildId): Promise<SnapshotClock | null> => {
      const settings = (await digests.list(guildId)).filter((s) => s.enabled).sort((a, b) => a.channelId.length - b.channelId.length || (a.channelId < b.channelId ? -1 : 1))[0];
      return settings ? { dayOf: (instant) => localDate(settings.zone, instant), at: (day) => scheduledAt(settings, day) } : null;
    },
  });
  const audience = createAudience(client);
  // A vote on a headline poll counts as a stance (after the vote is stored; its failure is the verdict's, logged).
  // The verdict is public: a vote in a channel @everyone cannot view (a moderators' room) stays out of it.
  const countAsStance = ({ poll, userId, ballot, previous }: StoredVote) => {
    if (!poll.headline || !audience(poll.guildId, null, poll.channelId)) return;
    // A headline poll has one answer per ballot; a ballot of several (not made by the pack) is no stance.
    const label = (b: Ballot | null) => (b !== null && answersOf(b).length === 1 ? (poll.answers[answersOf(b)[0]!]?.label ?? null) : null);
    verdict.fromHeadlineVote(poll.guildId, userId, label(ballot), label(previous)).catch((error: unknown) => verdictLog.warn({ err: error, guildId: poll.guildId, pollId: poll.id }, 'a headline vote could not be counted as a stance'));
  };
  const polls = new PollService({
    repo,
    clock,
    logger: logger.child({ module: 'polls' }),
    onChange: board.onChange,
    onClose: board.onClose,
    onVoteStored: (kind, vote) => {
      metrics?.voteCommitted(kind);
      countAsStance(vote);
    },
  });
  const headline = { latest: (guildId: string, visible: (channelId: string) => boolean) => latestHeadline(repo, polls, guildId, visible) };
  const sides = sidesOf(pack);
  const debate = new ArgumentService({ repo: new StoreArgumentRepository(store), clock, sides, sectionIds: pack.story.sections.map((s) => s.id) });
  const developments = new DevelopmentService(new StoreDevelopmentRepository(store), pack, clock);
  const digests: DigestService = new DigestService({ repo: new StoreDigestRepository(store), clock, logger: logger.child({ module: 'digests' }), pack, sender: createDigestSender(client), headline, audience, locale: (guildId) => client.guilds.cache.get(guildId)?.preferredLocale, debate: digestDebate(debate, sides, developments), verdict: digestVerdict(verdict, (trend) => trendChart(trend, 'Where the server stands: the last week'), verdictLog), sendsPerSecond: digestRate(config), onDelivered: (outcome, lateMs) => metrics?.digest(outcome, lateMs / 1000) });
  const ctx: Context = { logger, pack, clock, digests, polls, verdict, arguments: debate, developments };
  const route = createRouter(commands, ctx, ({ command, outcome }) => metrics?.interaction(command, outcome));
  const known = new Set(commands.map((c) => c.name));

  // While shutting down, interactions still arrive (the gateway stays up until those under way
  // are answered): each new one gets a short "restarting" answer instead of starting work.
  let draining = false;
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    if (draining) {
      metrics?.interaction(interactionLabel(interaction, known), 'draining');
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
  /**
   * Runs a start-up part; if the store cannot be read then, tries again (15 s, doubling up to 5 min)
   * until it loads or the bot stops, instead of leaving schedules unarmed until a restart. Resolves
   * after the first attempt either way, so start-up is never held up by the store.
   */
  const keepTrying = async (what: string, run: () => Promise<void>): Promise<void> => {
    let failures = 0;
    const attempt = async (): Promise<boolean> => {
      try {
        await run();
        if (failures > 0) logger.info({ attempts: failures + 1 }, `could ${what} after all`);
        return true;
      } catch (error) {
        failures++;
        const retryInMs = retryDelay(failures, START_RETRY_MIN_MS, START_RETRY_MAX_MS);
        logger.error({ err: error, retryInMs }, `could not ${what}; trying again`);
        clock.setTimer(retryInMs, () => {
          if (stopping === undefined) void attempt();
        });
        return false;
      }
    };
    await attempt();
  };
  // The guilds in this client's cache are exactly the ones its shards own: schedule only those.
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      logger.info({ user: c.user.tag, guilds: c.guilds.cache.size, storyVersion: pack.version }, 'tamasha is online');
      const owned = [...c.guilds.cache.keys()];
      let unread = owned;
      const loadPolls = async () => {
        unread = await polls.load(unread);
        if (unread.length > 0) throw new Error(`the polls of ${unread.length} server(s) could not be read`);
      };
      // Each part logs its own failure and is tried again until it loads, so the whole never rejects.
      void Promise.all([
        keepTrying('load open polls', loadPolls),
        keepTrying('start the digest schedule', () => digests.start(owned)),
        keepTrying('start the verdict snapshots', () => verdict.start(owned)),
      ]).then(() => resolve());
    });
  });

  let server: MetricsServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      await Promise.allSettled([...inFlight]);
      digests.stop();
      verdict.stop();
      await polls.stop();
      await digests.idle();
      await verdict.idle();
      await debate.idle();
      await client.destroy();
      await store.close();
      await server?.close();
    })());
  try {
    if (metrics && config.metricsPort !== undefined) {
      // Opened before login: until the shards are ready, /healthz answers 503 and says why.
      const probe = store.collection<unknown>(COLLECTIONS.polls);
      const storeProblems = () => withinMs(probe.get('healthz'), 2_000).then(() => [], (error: unknown) => [`store: ${error instanceof Error ? error.message : String(error)}`]);
      server = await startMetricsServer({ port: config.metricsPort, registry: metrics.registry, health: async () => ({ problems: [...shardProblems(client), ...(await storeProblems())] }) });
      logger.info({ port: server.port }, 'serving /metrics and /healthz on 127.0.0.1');
    }
    // A close discord.js will not retry during login would otherwise leave the login waiting forever.
    const closed = fatal.then(({ code, reason }) => Promise.reject(new GatewayClosedError(code, reason)));
    closed.catch(() => undefined); // after login it is bot.fatal's to report, not an unhandled rejection
    await Promise.race([client.login(config.token).then(() => ready), closed]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { client, ctx, store, stop, fatal, ...(server ? { metricsPort: server.port } : {}) };
}

/** Rejects when `promise` takes longer than `ms`: a hung store must make /healthz fail, not hang. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
