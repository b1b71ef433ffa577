import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import type { Config } from './config.js';
import type { CommandDefinition } from './discord/command.js';
import { localizeCommand } from './i18n/commands.js';
import type { StoryPack } from './story/types.js';

export function commandDefinitions(pack: StoryPack): CommandDefinition[] {
  return commands.map((c) => localizeCommand(c.definition(pack)));
}

/** Replaces the registered commands with ours: in one server when guildId is set, else globally. */
export async function registerCommands(config: Pick<Config, 'token' | 'clientId' | 'guildId' | 'apiUrl'>, pack: StoryPack): Promise<CommandDefinition[]> {
  const body = commandDefinitions(pack);
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
  await rest.put(route, { body });
  return body;
}
