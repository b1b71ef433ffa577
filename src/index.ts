import { type Bot, startBot } from './bot.js';
import type { Clock } from './clock.js';
import { configOrExit, loadConfig } from './config.js';
import { plannedShards } from './discord/client.js';
import { createLogger } from './logger.js';
import { installCrashHandlers, shutdownWithin } from './process-guards.js';
import { describeStartupError } from './startup-errors.js';

// Unlike the system clock's timers, this one keeps the process alive: a shutdown stuck on a promise
// nothing will settle must still end in exit 1 at the deadline, not in a quiet exit 0.
const deadlineClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Composition root: read config, start the bot, stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = configOrExit(loadConfig);
  // Every line names this process's shards, from the first one on.
  const logger = createLogger(config.logLevel, undefined, { secrets: [config.token] }).child({ shards: plannedShards(config.shards?.ids) });
  installCrashHandlers(logger);
  // Assigned before any signal can be handled (signals arrive through the event loop).
  let started: Promise<Bot> | undefined;
  let stopping = false;
  const shutdown = (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, 'shutting down');
    // Drains, then exits; exits non-zero anyway if anything hangs past the deadline. A signal during
    // start-up waits for the start to finish, then stops what it started, under the same deadline:
    // a start-up stuck on the store or the login must not keep the process up.
    shutdownWithin(async () => (await started)?.stop(), logger, deadlineClock, { exitCode });
  };
  // Handlers go in first: a signal that arrives while logging in must still end in a clean stop.
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Forked by `npm run shards`: if that parent is gone, nobody would restart or stop this process.
  if (process.send) process.once('disconnect', () => shutdown('parent process gone'));
  let bot: Bot;
  try {
    // SHARD_COUNT / SHARD_IDS: this process connects only its shards, and so owns only their servers.
    started = startBot(config, logger, config.shards ? { shards: config.shards.ids, shardCount: config.shards.count } : {});
    bot = await started;
  } catch (error) {
    process.stderr.write(`${describeStartupError(error)}\n`);
    logger.debug({ err: error }, 'start-up failed');
    process.exit(1);
  }
  // Deaf for good (token reset, intents): exit non-zero so a supervisor restarts or alerts.
  void bot.fatal.then(({ code }) => shutdown(`gateway closed with ${code}`, 1));
}

void main();
