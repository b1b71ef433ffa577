import { ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { toEmbed } from '../src/discord/embeds.js';
import { visibility } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { findStakeholder } from '../src/story/find.js';
import { renderCompare, renderTake } from '../src/story/render.js';
import type { StoryPack } from '../src/story/types.js';
import { GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

function stakeholderOption(pack: StoryPack, name: string, description: string) {
  return {
    type: ApplicationCommandOptionType.String as const,
    name,
    description,
    required: true,
    choices: pack.stakeholders.slice(0, 25).map((h) => ({ name: h.name.slice(0, 100), value: h.id })),
  };
}

export const take: Command = {
  name: 'take',
  examples: ['/take view stakeholder:OpenAI', '/take compare a:xAI and Elon Musk b:OpenAI private:true'],
  definition: (pack) => ({
    name: 'take',
    description: "A stakeholder's view of the story, or two side by side",
    ...GUILD_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'view',
        description: "One stakeholder's position, stakes, likely next move and the article's words",
        options: [stakeholderOption(pack, 'stakeholder', 'Whose view'), PRIVATE_OPTION],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'compare',
        description: 'Two stakeholders side by side',
        options: [stakeholderOption(pack, 'a', 'The first stakeholder'), stakeholderOption(pack, 'b', 'The second stakeholder'), PRIVATE_OPTION],
      },
    ],
  }),

  async execute(interaction, ctx) {
    const flags = visibility(interaction.options.getBoolean('private') ?? false);
    if (interaction.options.getSubcommand(true) === 'view') {
      const holder = findStakeholder(ctx.pack, interaction.options.getString('stakeholder', true));
      await interaction.reply({ embeds: [toEmbed(renderTake(ctx.pack, holder))], ...flags });
      return;
    }
    const a = findStakeholder(ctx.pack, interaction.options.getString('a', true));
    const b = findStakeholder(ctx.pack, interaction.options.getString('b', true));
    if (a.id === b.id) throw new UserError(`Pick two different stakeholders to compare; you picked ${a.name} twice. For one view, use /take view.`);
    await interaction.reply({ embeds: [toEmbed(renderCompare(ctx.pack, a, b))], ...flags });
  },
};
