import { type Bot, startBot } from './bot.js';
import { type Config, ConfigError, loadConfig, readEnvFile } from './config.js';
import { createLogger } from './logger.js';
import { describeStartupError } from './startup-errors.js';

/** Composition root: read config, start the bot, stop cleanly on a signal. */
async function main(): Promise<void> {
  readEnvFile();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, undefined, { secrets: [config.token] });
  let bot: Bot | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A signal during start-up waits for the start to finish, then stops what it started.
    if (!bot) return;
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  // Handlers go in first: a signal that arrives while logging in must still end in a clean stop.
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    process.stderr.write(`${describeStartupError(error)}\n`);
    logger.debug({ err: error }, 'start-up failed');
    process.exit(1);
  }
  if (stopping) {
    stopping = false;
    shutdown('signal during start-up');
  }
}

void main();
