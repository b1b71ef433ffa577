import { ApplicationCommandOptionType, type MessageComponentInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import { ArgumentInputError } from '../src/arguments/service.js';
import { type RankedArgument, type Side, TEXT_MAX } from '../src/arguments/types.js';
import { MAX_CHOICES } from '../src/constants.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/discord/command.js';
import { editPosted } from '../src/discord/edit.js';
import { ARGUE_FIELD, argueModal, type ArgumentLabels, argumentCard, argumentLink, rateLimitVars, reviewMessage, topMessage } from '../src/discord/messages/argue.js';
import { replyPrivately, updateOwnOrReplyPrivately } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { t } from '../src/i18n/index.js';
import { GUILD_ONLY, pageOf, PRIVATE_OPTION } from './shared.js';

const definition = () =>
  ({
    name: 'argue',
    description: 'Put your best argument on record, and see the strongest ones on each side',
    ...GUILD_ONLY,
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'add', description: 'Post an argument for a side of the story (a short form)' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'top',
        description: 'The strongest arguments, best first',
        options: [{ type: ApplicationCommandOptionType.String, name: 'side', description: 'Only this side (start typing)', autocomplete: true, max_length: 64 }, PRIVATE_OPTION],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'review', description: 'Reported and hidden arguments, to hide or restore (Manage Messages)' },
    ],
  }) as const;

const labelsOf =
  (ctx: Context) =>
  (r: RankedArgument): ArgumentLabels => ({
    side: ctx.arguments.sideLabel(r.argument.side) ?? '?',
    section: r.argument.sectionId === null ? null : (ctx.pack.story.sections.find((s) => s.id === r.argument.sectionId)?.title ?? null),
  });

function sideOf(ctx: Context, id: string | null): Side | null {
  if (id === null || id === 'all') return null;
  const side = ctx.arguments.sides.find((s) => s.id === id);
  if (!side) throw UserError.of('argue.badSide');
  return side;
}

/** Reviewing, hiding and restoring are for members with Manage Messages in the channel: the router checks it on the command and on every button. */
const MODERATOR = [PermissionFlagsBits.ManageMessages];

const REFUSALS = { side: 'argue.badSide', section: 'argue.badSection', empty: 'argue.empty', long: 'argue.tooLong' } as const;

/** The /argue add form, submitted: posts the card, or says why not (privately). */
async function submit(interaction: ModalSubmitInteraction<'cached' | 'raw'>, _args: string[], ctx: Context): Promise<void> {
  let side: string, text: string, sectionId: string | null;
  try {
    const { fields } = interaction;
    side = fields.getStringSelectValues(ARGUE_FIELD.side)[0] ?? '';
    text = fields.getTextInputValue(ARGUE_FIELD.text);
    sectionId = fields.getStringSelectValues(ARGUE_FIELD.section)[0] ?? null;
  } catch {
    throw UserError.of('argue.formOutdated');
  }
  let result;
  try {
    result = await ctx.arguments.add({ guildId: interaction.guildId, authorId: interaction.user.id, side, text, sectionId });
  } catch (error) {
    if (error instanceof ArgumentInputError) throw UserError.of(REFUSALS[error.reason], { max: TEXT_MAX });
    throw error;
  }
  if (result.kind === 'rate-limited') throw UserError.of('argue.rateLimited', rateLimitVars(result.retryAt));
  if (result.kind === 'duplicate') {
    const existing = (await ctx.arguments.get(interaction.guildId, result.existing.id)) ?? { argument: result.existing, upvotes: 0, reports: 0, score: 0 };
    throw UserError.of('argue.duplicate', { link: argumentLink(existing) ?? t(interaction.locale, 'argue.notPostedYet') });
  }
  const ranked = { argument: result.argument, upvotes: 0, reports: 0, score: 0 };
  const response = await interaction.reply({ ...argumentCard(ranked, labelsOf(ctx)(ranked), interaction.guildLocale ?? undefined), withResponse: true });
  const message = response.resource?.message;
  if (message) await ctx.arguments.attachMessage(interaction.guildId, result.argument.id, message.channelId, message.id);
}

/** The card of an argument as it is now, on its own message (best effort: the card may be gone). */
async function refreshCard(interaction: MessageComponentInteraction<'cached' | 'raw'>, ctx: Context, id: string): Promise<void> {
  const ranked = await ctx.arguments.get(interaction.guildId, id);
  const a = ranked?.argument;
  if (!ranked || !a?.channelId || !a.messageId) return;
  try {
    await editPosted(interaction.client, a.channelId, a.messageId, argumentCard(ranked, labelsOf(ctx)(ranked), interaction.guildLocale ?? undefined));
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: interaction.guildId, argumentId: id }, 'could not update an argument card');
  }
}

async function moderate(interaction: MessageComponentInteraction<'cached' | 'raw'>, hidden: boolean, id: string | undefined, ctx: Context): Promise<void> {
  const changed = id ? await ctx.arguments.setHidden(interaction.guildId, id, hidden) : undefined;
  if (!changed) throw UserError.of('argue.gone');
  // The review list is private to the moderator: it is updated in place, and the card in the channel follows.
  await interaction.update(reviewMessage(await ctx.arguments.reviewList(interaction.guildId, 0), labelsOf(ctx), interaction.locale));
  await refreshCard(interaction, ctx, changed.id);
  await replyPrivately(interaction, t(interaction.locale, hidden ? 'argue.hidden' : 'argue.restored'));
}

export const argue = defineCommand(definition, {
  name: 'argue',
  examples: ['/argue add', '/argue top', '/argue top side:Villain', '/argue review'],
  visibility: { add: 'public', top: 'public', review: 'private' },
  memberPermissions: { review: MODERATOR },
  handlers: {
    async add({ interaction, ctx }) {
      // Said before the member types anything; the submit checks again (two forms may be open at once).
      const retryAt = await ctx.arguments.nextPostAt(interaction.guildId, interaction.user.id);
      if (retryAt !== null) throw UserError.of('argue.rateLimited', rateLimitVars(retryAt));
      await interaction.showModal(argueModal(ctx.pack, ctx.arguments.sides, interaction.locale));
    },
    async top({ interaction, options, ctx, reply }) {
      const side = sideOf(ctx, options.side);
      await reply(topMessage(await ctx.arguments.top(interaction.guildId, side?.id ?? null, 0), side, labelsOf(ctx), interaction.locale));
    },
    async review({ interaction, ctx, reply }) {
      await reply(reviewMessage(await ctx.arguments.reviewList(interaction.guildId, 0), labelsOf(ctx), interaction.locale));
    },
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    return ctx.arguments.sides
      .filter((s) => s.label.toLowerCase().includes(typed))
      .slice(0, MAX_CHOICES)
      .map((s) => ({ name: s.label, value: s.id }));
  },

  components: {
    async up(interaction, [id], ctx) {
      const result = id ? await ctx.arguments.toggleUpvote(interaction.guildId, id, interaction.user.id) : { kind: 'gone' as const };
      if (result.kind === 'gone') throw UserError.of('argue.gone');
      const ranked = await ctx.arguments.get(interaction.guildId, id!);
      if (ranked) await interaction.update(argumentCard(ranked, labelsOf(ctx)(ranked), interaction.guildLocale ?? undefined));
      await replyPrivately(interaction, t(interaction.locale, result.kind === 'upvoted' ? 'argue.upvoted' : 'argue.withdrawn'));
    },
    async report(interaction, [id], ctx) {
      const result = id ? await ctx.arguments.report(interaction.guildId, id, interaction.user.id) : 'gone';
      if (result === 'gone') throw UserError.of('argue.gone');
      await replyPrivately(interaction, t(interaction.locale, result === 'reported' ? 'argue.reported' : 'argue.alreadyReported'));
    },
    hide: { run: (interaction, [id], ctx) => moderate(interaction, true, id, ctx), memberPermissions: MODERATOR },
    restore: { run: (interaction, [id], ctx) => moderate(interaction, false, id, ctx), memberPermissions: MODERATOR },
    async top(interaction, [sideId, page], ctx) {
      const side = sideOf(ctx, sideId ?? null);
      const message = topMessage(await ctx.arguments.top(interaction.guildId, side?.id ?? null, pageOf(page, 'argue.gone')), side, labelsOf(ctx), interaction.locale);
      // Whoever ran /argue top turns its pages; anyone else gets the page privately.
      await updateOwnOrReplyPrivately(interaction, message);
    },
    review: {
      async run(interaction, [page], ctx) {
        await interaction.update(reviewMessage(await ctx.arguments.reviewList(interaction.guildId, pageOf(page, 'argue.gone')), labelsOf(ctx), interaction.locale));
      },
      memberPermissions: MODERATOR,
    },
  },
  modals: { add: submit },
});
