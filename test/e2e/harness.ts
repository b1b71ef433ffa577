import { rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Bot, type BotOptions, startBot } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { registerCommands } from '../../src/deploy.js';
import { createLogger } from '../../src/logger.js';
import { loadStoryPack } from '../../src/story/load.js';
import { type GuildSpec, type Loopback, type LoopbackOptions, startLoopbackDiscord } from '../loopback/index.js';
import { fakeToken } from '../helpers/token.js';

export const APP_ID = '1100000000000000001';
export const TOKEN = fakeToken(APP_ID);

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A running bot logged into a loopback Discord, with its commands registered and its logs captured. */
export interface Journey {
  loop: Loopback;
  bot: Bot;
  guildId: string;
  channelId: string;
  logs: LogLine[];
  /** The same lines exactly as the logger wrote them (what would reach stdout). */
  rawLogs: string[];
  /** The first log line, already written or still to come, matching `predicate`. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  config: Config;
  /** Stops the bot (keeping the loopback) — for restart journeys. */
  restart(options?: BotOptions): Promise<Bot>;
  close(): Promise<void>;
}

export interface JourneyOptions extends BotOptions {
  guilds?: GuildSpec[];
  databaseUrl?: string;
  loop?: LoopbackOptions;
  /** Serve /metrics and /healthz (0: a free port, read back from bot.metricsPort). */
  metricsPort?: number;
  /** The story pack to serve (default `data`). */
  storyDir?: string;
}

export async function startJourney(options: JourneyOptions = {}): Promise<Journey> {
  // With a fake clock, Discord's nonce window follows it too: a simulated long downtime is past it.
  const nonceClock = options.clock ? { nonceClock: () => options.clock!.now() } : {};
  const loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID, ...(options.guilds ? { guilds: options.guilds } : {}), ...nonceClock, ...options.loop });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logged = new EventEmitter();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLogs.push(line);
        logs.push(JSON.parse(line) as LogLine);
      }
      logged.emit('line');
      done();
    },
  });
  const waitForLog = (predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = logs.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        logged.off('line', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        logged.off('line', check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a log line matching ${predicate.toString().slice(0, 120)}`));
      }, timeoutMs);
      logged.on('line', check);
      check();
    });
  const guildId = loop.guilds[0]!.id;
  const config: Config = { token: TOKEN, clientId: APP_ID, guildId, databaseUrl: options.databaseUrl ?? 'memory:', logLevel: 'debug', apiUrl: loop.apiUrl, storyDir: options.storyDir ?? 'data', ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }) };
  const logger = createLogger('debug', sink, { secrets: [TOKEN] });
  await registerCommands(config, loadStoryPack(config.storyDir));
  let bot = await startBot(config, logger, options);
  await loop.waitForReady();
  const journey: Journey = {
    loop,
    bot,
    guildId,
    channelId: loop.guilds[0]!.channels[0]!.id,
    logs,
    rawLogs,
    waitForLog,
    config,
    async restart(next = options) {
      await bot.stop();
      bot = await startBot(config, logger, next);
      journey.bot = bot;
      return bot;
    },
    async close() {
      await bot.stop();
      await loop.close();
    },
  };
  return journey;
}

export interface UseJourneyOptions {
  /** A temporary folder of the file's (its SQLite files): removed after the last test. */
  dir?: string;
  /** Runs after each test, before the loopback is checked for violations (e.g. healing injected faults). */
  afterEach?: () => void;
}

/**
 * One journey for a whole test file: started before its first test, checked for Discord violations after
 * each, closed after the last. Returns a stand-in that reads the running journey, so tests write `j.loop`.
 */
export function useJourney(options: JourneyOptions = {}, use: UseJourneyOptions = {}): Journey {
  let current: Journey | undefined;
  beforeAll(async () => {
    current = await startJourney(options);
  });
  afterEach(() => {
    use.afterEach?.();
    current?.loop.assertNoViolations();
  });
  afterAll(async () => {
    await current?.close();
    if (use.dir) rmSync(use.dir, { recursive: true, force: true });
  });
  return new Proxy({} as Journey, {
    get(_, key) {
      if (!current) throw new Error('the journey is not running: use it inside a test or a hook');
      return Reflect.get(current, key);
    },
  });
}
