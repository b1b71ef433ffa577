import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';

/** Every command is for servers: installed to a guild and usable in guild channels only. */
export const GUILD_ONLY = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
} as const;

/** Lets the member see the answer on their own; the router reads it for every command that has it. */
export const PRIVATE_OPTION = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'private',
  description: 'Show the answer only to you (default: everyone sees it)',
} as const;
