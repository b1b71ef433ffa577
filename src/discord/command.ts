import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Context } from '../context.js';
import type { StoryPack } from '../story/types.js';

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

export type ComponentHandler = (interaction: MessageComponentInteraction, args: string[], ctx: Context) => Promise<void>;

/** One slash command: its definition and its thin handlers. Each lives in commands/<name>.ts. */
export interface Command {
  name: string;
  /** Built from the story pack, so choices follow the data; validated by @discordjs/builders' rules in tests. */
  definition(pack: StoryPack): CommandDefinition;
  /** Text for /help: one example per line. */
  examples: string[];
  execute(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
  /** Returns choices; the router answers, trimmed to Discord's 25. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<ApplicationCommandOptionChoiceData[]>;
  /** Handlers for this command's buttons and menus, keyed by the custom_id action. */
  components?: Record<string, ComponentHandler>;
}
