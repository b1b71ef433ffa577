import { ApplicationCommandOptionType, type ChatInputCommandInteraction, type MessageComponentInteraction } from 'discord.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/discord/command.js';
import { contentsMessage, sectionMessage, summaryMessage } from '../src/discord/messages/story.js';
import { readingPrompt } from '../src/discord/messages/verdict.js';
import { replyPrivately, updateOwnOrReplyPrivately, withVisibility } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { findSection, matchSections } from '../src/story/find.js';
import { sectionPageCount } from '../src/story/render.js';
import { checkStoryVersion, GUILD_ONLY, PRIVATE_OPTION } from './shared.js';
import { MANAGER, openUpdateForm, removeUpdate, showUpdates, submitUpdate, turnUpdatesPage, updateChoices, withSinceNote, withStanding } from './story-updates.js';

const definition = () =>
  ({
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
        options: [{ type: ApplicationCommandOptionType.String, name: 'section', description: 'Which section (start typing)', required: true, autocomplete: true }, PRIVATE_OPTION],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'sections', description: 'The table of contents, to open any section', options: [PRIVATE_OPTION] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'updates', description: 'What has happened since publication, newest first', options: [PRIVATE_OPTION] },
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: 'update',
        description: "Manage this server's developments (Manage Server)",
        options: [
          { type: ApplicationCommandOptionType.Subcommand, name: 'add', description: 'Add a sourced development (a form)' },
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: 'remove',
            description: "Remove one of this server's developments",
            options: [{ type: ApplicationCommandOptionType.String, name: 'id', description: 'Which development (start typing)', required: true, autocomplete: true, max_length: 32 }],
          },
        ],
      },
    ],
  }) as const;

/** A section's page, turned by whoever ran the command (anyone else gets it privately). */
async function showPage(interaction: MessageComponentInteraction, ctx: Context, sectionIndex: number, page: number): Promise<void> {
  const message = sectionMessage(ctx.pack, sectionIndex, page, interaction.locale);
  // A page posted before Components V2 is an embed: the update that lays it out anew clears it.
  await updateOwnOrReplyPrivately(interaction, message, { ...message, content: null, embeds: [] });
}

/**
 * After the story is shown: asks the member, privately, where they stand before reading (once, if
 * they have no stance) or, once they reach the last section or a day later, again after reading. Sent
 * as a follow-up, after the reply; a failure to ask is logged, never shown, and the question may be
 * asked next time.
 */
async function askReading(interaction: ChatInputCommandInteraction<'cached' | 'raw'> | MessageComponentInteraction<'cached' | 'raw'>, ctx: Context, sectionIndex: number | null): Promise<void> {
  const { guildId } = interaction;
  const finished = sectionIndex === ctx.pack.story.sections.length - 1;
  try {
    const phase = await ctx.verdict.promptFor(guildId, interaction.user.id, finished);
    if (!phase) return;
    try {
      await interaction.followUp(withVisibility(readingPrompt(ctx.pack, phase, interaction.locale), true));
    } catch (error) {
      await ctx.verdict.promptFailed(guildId, interaction.user.id, phase).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    ctx.logger.warn({ err: error, guildId, interactionId: interaction.id }, 'could not ask the member where they stand on the story');
  }
}

export const story = defineCommand(definition, {
  name: 'story',
  examples: ['/story summary length:detailed', '/story section section:what-happened', '/story sections', '/story updates', '/story update add'],
  visibility: { summary: 'public', section: 'public', sections: 'public', updates: 'public', 'update add': 'private', 'update remove': 'private' },
  memberPermissions: { 'update add': MANAGER, 'update remove': MANAGER },
  handlers: {
    async summary({ interaction, options, ctx, reply }) {
      await reply(await withStanding(summaryMessage(ctx.pack, options.length === 'detailed' ? 'detailed' : 'short', interaction.locale), interaction.guildId, interaction.locale, ctx));
      await askReading(interaction, ctx, null);
    },
    async section({ interaction, options, ctx, reply }) {
      const index = findSection(ctx.pack, options.section);
      await reply(await withSinceNote(sectionMessage(ctx.pack, index, 0, interaction.locale), interaction.guildId, { section: ctx.pack.story.sections[index]!.id }, interaction.locale, ctx));
      await askReading(interaction, ctx, index);
    },
    async sections({ interaction, ctx, reply }) {
      await reply(contentsMessage(ctx.pack, interaction.locale));
    },
    async updates({ interaction, ctx, reply }) {
      await reply(await showUpdates(interaction, ctx, 0));
    },
    'update add': ({ interaction, ctx }) => openUpdateForm(interaction, ctx),
    async 'update remove'({ interaction, options, ctx, reply }) {
      await reply(await removeUpdate(interaction, options.id, ctx));
    },
  },
  modals: { update: { run: submitUpdate, memberPermissions: MANAGER } },

  async autocomplete(interaction, ctx, sub) {
    if (sub === 'update remove') return updateChoices(interaction.guildId, interaction.options.getFocused(), ctx);
    return matchSections(ctx.pack, interaction.options.getFocused());
  },

  components: {
    updates: (interaction, [page], ctx) => turnUpdatesPage(interaction, page, ctx),
    async page(interaction, [version, sectionId, page], ctx) {
      checkStoryVersion(ctx.pack, version, 'story.olderVersion');
      const index = findSection(ctx.pack, sectionId ?? '');
      const pageNumber = Number(page);
      const pages = sectionPageCount(ctx.pack.story.sections[index]!);
      if (!Number.isInteger(pageNumber) || pageNumber < 0 || pageNumber >= pages) throw UserError.of('story.noSuchPage');
      await showPage(interaction, ctx, index, pageNumber);
      await askReading(interaction, ctx, index);
    },
    async open(interaction, [version], ctx) {
      checkStoryVersion(ctx.pack, version, 'story.olderVersion');
      if (!interaction.isStringSelectMenu()) throw UserError.of('story.controlInactive');
      const index = findSection(ctx.pack, interaction.values[0] ?? '');
      await replyPrivately(interaction, sectionMessage(ctx.pack, index, 0, interaction.locale));
      await askReading(interaction, ctx, index);
    },
  },
});
