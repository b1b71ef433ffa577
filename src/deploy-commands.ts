import { ConfigError, DEFAULTS, loadConfig, readEnvFile } from './config.js';
import { commandDefinitions, registerCommands } from './deploy.js';
import { describeStartupError } from './startup-errors.js';
import { loadStoryPack } from './story/load.js';

/**
 * `npm run deploy-commands`: registers the slash commands to DISCORD_GUILD_ID when set (instant,
 * for development), else globally. `--dry-run` prints the JSON and calls nothing, so it needs no token.
 */
async function main(argv: string[]): Promise<number> {
  readEnvFile();
  try {
    if (argv.includes('--dry-run')) {
      const body = commandDefinitions(loadStoryPack(process.env.STORY_DIR ?? DEFAULTS.storyDir));
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      process.stderr.write(`dry run: ${body.length} commands (${body.map((c) => `/${c.name}`).join(', ')}); nothing was sent to Discord.\n`);
      return 0;
    }
    const config = loadConfig(process.env);
    const body = await registerCommands(config, loadStoryPack(config.storyDir));
    const where = config.guildId ? `server ${config.guildId} (available at once)` : 'every server (global commands can take up to an hour to appear)';
    process.stdout.write(`Registered ${body.length} commands (${body.map((c) => `/${c.name}`).join(', ')}) for ${where}.\n`);
    return 0;
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : describeStartupError(error).replace('tamasha cannot start', 'could not register the commands');
    process.stderr.write(`${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
