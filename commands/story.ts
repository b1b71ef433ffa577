import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type EmbedBuilder,
  type InteractionReplyOptions,
  MessageFlags,
  type MessageComponentInteraction,
  StringSelectMenuBuilder,
} from 'discord.js';
import type { Context } from '../src/context.js';
import type { Command } from '../src/discord/command.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { toEmbed } from '../src/discord/embeds.js';
import { visibility } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { findSection, matchSections } from '../src/story/find.js';
import { renderContents, renderSectionPage, renderSummary, sectionPageCount } from '../src/story/render.js';
import type { StoryPack } from '../src/story/types.js';
import { GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

/** Where Previous and Next lead from a page: across page breaks and on into the next section. */
function neighbours(pack: StoryPack, sectionIndex: number, page: number) {
  const sections = pack.story.sections;
  const current = sections[sectionIndex];
  const pages = current ? sectionPageCount(current) : 1;
  const prev = page > 0 ? { s: sectionIndex, p: page - 1 } : sectionIndex > 0 ? { s: sectionIndex - 1, p: sectionPageCount(sections[sectionIndex - 1]!) - 1 } : null;
  const next = page < pages - 1 ? { s: sectionIndex, p: page + 1 } : sectionIndex < sections.length - 1 ? { s: sectionIndex + 1, p: 0 } : null;
  return { prev, next };
}

function sectionMessage(pack: StoryPack, sectionIndex: number, page: number): { embeds: EmbedBuilder[]; components: ActionRowBuilder<ButtonBuilder>[] } {
  const rendered = renderSectionPage(pack, sectionIndex, page);
  const { prev, next } = neighbours(pack, rendered.sectionIndex, rendered.page);
  const sections = pack.story.sections;
  // Disabled buttons still need distinct custom_ids within the message.
  const button = (label: string, target: { s: number; p: number } | null, fallback: string) =>
    new ButtonBuilder()
      .setLabel(label)
      .setStyle(ButtonStyle.Secondary)
      .setCustomId(target ? encodeCustomId('story', 'page', pack.version, sections[target.s]!.id, target.p) : encodeCustomId('story', fallback))
      .setDisabled(!target);
  return {
    embeds: [toEmbed(rendered.card)],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button('◀ Previous', prev, 'none-prev'), button('Next ▶', next, 'none-next'))],
  };
}

function contentsMessage(pack: StoryPack): InteractionReplyOptions {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(encodeCustomId('story', 'open', pack.version))
    .setPlaceholder('Open a section…')
    .addOptions(pack.story.sections.map((s, i) => ({ label: `${i + 1}. ${s.title}`.slice(0, 100), value: s.id, description: s.summary.slice(0, 100) })));
  return { embeds: [toEmbed(renderContents(pack))], components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] };
}

/** A component from a message built with another version of the story can't be trusted to point at the same text. */
function checkVersion(pack: StoryPack, version: string | undefined): void {
  if (version !== pack.version) throw new UserError('This message was made from an older version of the story. Run /story again to get the current one.');
}

/**
 * The person who ran the command turns the pages of their own message; anyone else gets the page
 * privately, so one member can't flip a shared message under everyone else.
 */
async function showPage(interaction: MessageComponentInteraction, ctx: Context, sectionIndex: number, page: number): Promise<void> {
  const message = sectionMessage(ctx.pack, sectionIndex, page);
  const owner = interaction.message.interactionMetadata?.user.id;
  if (owner === interaction.user.id || interaction.message.flags.has(MessageFlags.Ephemeral)) {
    await interaction.update({ embeds: message.embeds, components: message.components });
  } else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}

export const story: Command = {
  name: 'story',
  examples: ['/story summary length:detailed', '/story section section:what-happened', '/story sections'],
  definition: () => ({
    name: 'story',
    description: 'Read the story: a summary, the table of contents, or one section',
    ...GUILD_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'summary',
        description: 'The whole story in a few lines',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'length',
            description: 'Short (default) or detailed',
            choices: [
              { name: 'short', value: 'short' },
              { name: 'detailed', value: 'detailed' },
            ],
          },
          PRIVATE_OPTION,
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'section',
        description: "One section: our summary, then the article's own words",
        options: [
          { type: ApplicationCommandOptionType.String, name: 'section', description: 'Which section (start typing)', required: true, autocomplete: true },
          PRIVATE_OPTION,
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'sections', description: 'The table of contents, to open any section', options: [PRIVATE_OPTION] },
    ],
  }),

  async execute(interaction: ChatInputCommandInteraction, ctx: Context) {
    const flags = visibility(interaction.options.getBoolean('private') ?? false);
    const sub = interaction.options.getSubcommand(true);
    if (sub === 'summary') {
      const length = interaction.options.getString('length') === 'detailed' ? 'detailed' : 'short';
      await interaction.reply({ embeds: [toEmbed(renderSummary(ctx.pack, length))], ...flags });
    } else if (sub === 'section') {
      const index = findSection(ctx.pack, interaction.options.getString('section', true));
      await interaction.reply({ ...sectionMessage(ctx.pack, index, 0), ...flags });
    } else if (sub === 'sections') {
      await interaction.reply({ ...contentsMessage(ctx.pack), ...flags });
    } else throw new UserError(`Unknown subcommand "${sub}".`);
  },

  async autocomplete(interaction, ctx) {
    return matchSections(ctx.pack, interaction.options.getFocused());
  },

  components: {
    async page(interaction, [version, sectionId, page], ctx) {
      checkVersion(ctx.pack, version);
      const index = findSection(ctx.pack, sectionId ?? '');
      const pageNumber = Number(page);
      const pages = sectionPageCount(ctx.pack.story.sections[index]!);
      if (!Number.isInteger(pageNumber) || pageNumber < 0 || pageNumber >= pages) throw new UserError('That page does not exist. Run /story section again.');
      await showPage(interaction, ctx, index, pageNumber);
    },
    async open(interaction, [version], ctx) {
      checkVersion(ctx.pack, version);
      if (!interaction.isStringSelectMenu()) throw new UserError('This control is no longer active. Run /story sections again.');
      const index = findSection(ctx.pack, interaction.values[0] ?? '');
      await interaction.reply({ ...sectionMessage(ctx.pack, index, 0), flags: MessageFlags.Ephemeral });
    },
  },
};
