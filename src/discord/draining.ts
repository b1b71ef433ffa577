import type { Interaction } from 'discord.js';
import { replyPrivately } from './reply.js';

export const RESTARTING = 'tamasha is restarting. Please try again in a moment.';

/**
 * The answer to an interaction that arrives while the process shuts down: short, private, and
 * sent at once, so the member is not left with "the application did not respond".
 */
export async function answerRestarting(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isRepliable()) await replyPrivately(interaction, RESTARTING);
}
