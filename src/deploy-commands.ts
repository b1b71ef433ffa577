import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import { ConfigError, DEFAULTS, loadConfig, readEnvFile } from './config.js';
import { describeStartupError } from './startup-errors.js';
import { loadStoryPack } from './story/load.js';

/**
 * Registers the slash commands: to DISCORD_GUILD_ID when set (instant, for development), else
 * globally. `--dry-run` prints the JSON and calls nothing, so it needs no token.
 */
async function main(argv: string[]): Promise<number> {
  readEnvFile();
  const dryRun = argv.includes('--dry-run');
  try {
    const storyDir = dryRun ? (process.env.STORY_DIR ?? DEFAULTS.storyDir) : undefined;
    const config = dryRun ? undefined : loadConfig(process.env);
    const pack = loadStoryPack(config?.storyDir ?? storyDir ?? DEFAULTS.storyDir);
    const body = commands.map((c) => c.definition(pack));
    if (!config) {
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      process.stderr.write(`dry run: ${body.length} commands (${body.map((c) => `/${c.name}`).join(', ')}); nothing was sent to Discord.\n`);
      return 0;
    }
    const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
    const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
    await rest.put(route, { body });
    const where = config.guildId ? `server ${config.guildId} (available at once)` : 'every server (global commands can take up to an hour to appear)';
    process.stdout.write(`Registered ${body.length} commands (${body.map((c) => `/${c.name}`).join(', ')}) for ${where}.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : describeStartupError(error).replace('tamasha cannot start', 'could not register the commands')}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
