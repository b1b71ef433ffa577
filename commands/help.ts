import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import { type Card, clip, COLORS } from '../src/card.js';
import type { Command } from '../src/discord/command.js';
import { toEmbed } from '../src/discord/embeds.js';
import { visibility } from '../src/discord/reply.js';
import type { StoryPack } from '../src/story/types.js';
import { GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

/** One line per subcommand, straight from the definitions, so help can't drift from what is registered. */
function usage(command: Command, pack: StoryPack): string {
  const definition = command.definition(pack);
  const subs = (definition.options ?? []).filter((o): o is Extract<APIApplicationCommandOption, { type: ApplicationCommandOptionType.Subcommand }> => o.type === ApplicationCommandOptionType.Subcommand);
  const lines = subs.length > 0 ? subs.map((s) => `\`/${definition.name} ${s.name}\` — ${s.description}`) : [`\`/${definition.name}\` — ${definition.description}`];
  const examples = command.examples.map((e) => `e.g. \`${e}\``).join('  ');
  return [...lines, examples].filter(Boolean).join('\n');
}

export function renderHelp(commands: readonly Command[], pack: StoryPack): Card {
  return {
    title: 'tamasha — talk about one story together',
    description: clip(`tamasha helps this server discuss one story: **${pack.story.title}**\n⚠️ ${pack.story.disclaimer}`, 4096),
    fields: commands.map((c) => ({ name: `/${c.name}`, value: clip(usage(c, pack), 1024) })),
    footer: 'Add private:true to most commands to see the answer on your own.',
    color: COLORS.help,
  };
}

/** /help needs the full command list, which itself includes /help: it is built from that list. */
export function helpCommand(all: () => readonly Command[]): Command {
  return {
    name: 'help',
    examples: ['/help'],
    definition: () => ({ name: 'help', description: 'What each tamasha command does', ...GUILD_ONLY, options: [PRIVATE_OPTION] }),
    async execute(interaction, ctx) {
      const flags = visibility(interaction.options.getBoolean('private') ?? false);
      await interaction.reply({ embeds: [toEmbed(renderHelp(all(), ctx.pack))], ...flags });
    },
  };
}
