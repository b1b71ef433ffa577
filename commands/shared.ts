import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';

/** Every command is for servers: installed to a guild and usable in guild channels only. */
export const GUILD_ONLY: { contexts: InteractionContextType[]; integration_types: ApplicationIntegrationType[] } = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

export const PRIVATE_OPTION = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'private',
  description: 'Show the answer only to you (default: everyone sees it)',
} as const;
