import { type ChatInputCommandInteraction, type MessageComponentInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import type { Choice } from '../src/choices.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../src/constants.js';
import type { Context } from '../src/context.js';
import { DevelopmentInputError } from '../src/developments/service.js';
import { HEADLINE_MAX, SERVER_MAX, SOURCE_NAME_MAX } from '../src/developments/types.js';
import { sinceNote, standingLine, UPDATE_FIELD, updateModal, updateRemovedMessage, updatesMessage, withNote } from '../src/discord/messages/developments.js';
import type { LayoutMessage } from '../src/discord/messages/layout.js';
import { replyPrivately, updateOwnOrReplyPrivately } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { t } from '../src/i18n/index.js';
import { DEVELOPMENT_STATUSES, type DevelopmentStatus } from '../src/story/types.js';
import { pageOf } from './shared.js';

/**
 * /story updates, /story update add and /story update remove, and the "since publication" notes:
 * commands/story.ts and commands/take.ts call these, so those modules only gain a line each.
 */

/** Adding and removing a server's developments is for members with Manage Server: commands/story.ts declares it on both subcommands and on the form, and the router checks it. */
export const MANAGER = [PermissionFlagsBits.ManageGuild];

export async function showUpdates(interaction: { guildId: string; locale: string }, ctx: Context, page: number): Promise<LayoutMessage> {
  return updatesMessage(await ctx.developments.standing(interaction.guildId), await ctx.developments.page(interaction.guildId, page), interaction.locale);
}

export async function openUpdateForm(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: Context): Promise<void> {
  await interaction.showModal(updateModal(ctx.pack, interaction.locale));
}

const REFUSALS = { headline: ['updates.badHeadline', HEADLINE_MAX], source: ['updates.badSource', SOURCE_NAME_MAX], url: ['updates.badUrl', 0], linkCharacters: ['updates.linkCharacters', 0], touches: ['updates.badTouches', 0], full: ['updates.full', SERVER_MAX] } as const;

export async function submitUpdate(interaction: ModalSubmitInteraction<'cached' | 'raw'>, _args: string[], ctx: Context): Promise<void> {
  let headline: string, sourceName: string, sourceUrl: string, status: string, touches: string[];
  try {
    const { fields } = interaction;
    headline = fields.getTextInputValue(UPDATE_FIELD.headline);
    sourceName = fields.getTextInputValue(UPDATE_FIELD.source);
    sourceUrl = fields.getTextInputValue(UPDATE_FIELD.url);
    status = fields.getStringSelectValues(UPDATE_FIELD.status)[0] ?? '';
    touches = [...fields.getStringSelectValues(UPDATE_FIELD.touches)];
  } catch {
    throw UserError.of('updates.formOutdated');
  }
  if (!(DEVELOPMENT_STATUSES as readonly string[]).includes(status)) throw UserError.of('updates.formOutdated');
  const picked = (prefix: string) => touches.filter((v) => v.startsWith(prefix)).map((v) => v.slice(prefix.length));
  try {
    const added = await ctx.developments.add(interaction.guildId, interaction.user.id, { headline, sourceName, sourceUrl, status: status as DevelopmentStatus, sections: picked('section.'), stakeholders: picked('stakeholder.') });
    await replyPrivately(interaction, t(interaction.locale, 'updates.added', { id: added.id }));
  } catch (error) {
    if (!(error instanceof DevelopmentInputError)) throw error;
    const [key, max] = REFUSALS[error.reason];
    throw UserError.of(key, { max });
  }
}

export async function removeUpdate(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, id: string, ctx: Context): Promise<ReturnType<typeof updateRemovedMessage>> {
  const removed = await ctx.developments.remove(interaction.guildId, id);
  if (!removed) throw UserError.of('updates.notFound');
  return updateRemovedMessage(removed.headline, interaction.locale);
}

/** Autocomplete for /story update remove: this server's own developments, newest first. */
export async function updateChoices(guildId: string, typed: string, ctx: Context): Promise<Choice[]> {
  const own = (await ctx.developments.list(guildId)).filter((d) => d.origin === 'server');
  const lower = typed.toLowerCase();
  return own
    .filter((d) => d.headline.toLowerCase().includes(lower) || d.id.includes(lower))
    .slice(0, MAX_CHOICES)
    .map((d) => ({ name: `${d.date} · ${d.headline}`.slice(0, MAX_CHOICE_LENGTH), value: d.id }));
}

export async function turnUpdatesPage(interaction: MessageComponentInteraction<'cached' | 'raw'>, page: string | undefined, ctx: Context): Promise<void> {
  const message = await showUpdates(interaction, ctx, pageOf(page, 'story.noSuchPage'));
  await updateOwnOrReplyPrivately(interaction, message);
}

/** /story summary with the central claim's standing under it ("still an allegation as of …"). */
export async function withStanding(message: LayoutMessage, guildId: string, locale: string | undefined, ctx: Context): Promise<LayoutMessage> {
  return withNote(message, standingLine(await ctx.developments.standing(guildId), locale));
}

/** A section's or a take's message with the "since publication" note when a development touches it. */
export async function withSinceNote(message: LayoutMessage, guildId: string, touches: { section?: string; stakeholder?: string }, locale: string | undefined, ctx: Context): Promise<LayoutMessage> {
  const latest = await ctx.developments.touching(guildId, touches);
  return withNote(message, latest ? sinceNote(latest, locale) : null);
}
