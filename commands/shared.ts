import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import { UserError } from '../src/errors.js';
import type { BotKey } from '../src/i18n/index.js';
import type { StoryPack } from '../src/story/types.js';

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

/**
 * A component from a message built with another version of the story can't be trusted to point at
 * the same text: `refusal` tells the member which command to run again.
 */
export function checkStoryVersion(pack: Pick<StoryPack, 'version'>, version: string | undefined, refusal: BotKey): void {
  if (version !== pack.version) throw UserError.of(refusal);
}

/** A page number from a component's custom_id (0–9999); anything else is refused with `refusal`. */
export function pageOf(arg: string | undefined, refusal: BotKey): number {
  if (!/^\d{1,4}$/.test(arg ?? '')) throw UserError.of(refusal);
  return Number(arg);
}
