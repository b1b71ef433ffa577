import { ApplicationCommandOptionType } from 'discord.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../src/constants.js';
import { defineCommand } from '../src/discord/command.js';
import { compareMessage, takeMessage } from '../src/discord/messages/story.js';
import { UserError } from '../src/errors.js';
import { findStakeholder } from '../src/story/find.js';
import type { StoryPack } from '../src/story/types.js';
import { withSinceNote } from './story-updates.js';
import { GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

function stakeholderOption<const N extends string>(pack: StoryPack, name: N, description: string) {
  return {
    type: ApplicationCommandOptionType.String,
    name,
    description,
    required: true,
    choices: pack.stakeholders.slice(0, MAX_CHOICES).map((h) => ({ name: h.name.slice(0, MAX_CHOICE_LENGTH), value: h.id })),
  } as const;
}

const definition = (pack: StoryPack) =>
  ({
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
  }) as const;

export const take = defineCommand(definition, {
  name: 'take',
  examples: ['/take view stakeholder:OpenAI', '/take compare a:xAI and Elon Musk b:OpenAI private:true'],
  visibility: 'public',
  handlers: {
    async view({ interaction, options, ctx, reply }) {
      const who = findStakeholder(ctx.pack, options.stakeholder);
      await reply(await withSinceNote(takeMessage(ctx.pack, who, interaction.locale), interaction.guildId, { stakeholder: who.id }, interaction.locale, ctx));
    },
    async compare({ interaction, options, ctx, reply }) {
      const a = findStakeholder(ctx.pack, options.a);
      const b = findStakeholder(ctx.pack, options.b);
      if (a.id === b.id) throw UserError.of('take.sameTwice', { name: a.name });
      await reply(compareMessage(ctx.pack, a, b, interaction.locale));
    },
  },
});
