import { ConfigError, loadConfig, readEnvFile } from './config.js';
import { createLogger } from './logger.js';
import { describeStartupError } from './startup-errors.js';
import { startBot } from './bot.js';

/** Composition root: read config, start the bot, stop cleanly on a signal. */
async function main(): Promise<void> {
  readEnvFile();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let bot;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    process.stderr.write(`${describeStartupError(error)}\n`);
    logger.debug({ err: error }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
