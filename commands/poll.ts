import { ApplicationCommandOptionType, type ChatInputCommandInteraction, type MessageComponentInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import type { Context } from '../src/context.js';
import { defineCommand, type Invocation, type OptionsOf } from '../src/discord/command.js';
import { type MemberAccess, memberAccess, roleIdsOf } from '../src/discord/access.js';
import { pollExportMessage } from '../src/discord/messages/poll-export.js';
import { openPollsMessage, pollLink, pollMessage, standingsMessage } from '../src/discord/messages/poll.js';
import { DRAFT_MINUTES, newPollModal, refusedFormMessage } from '../src/discord/messages/poll-modal.js';
import { POST_PERMISSIONS } from '../src/discord/permissions.js';
import { draftsOf, pollInputOf, readPollForm } from '../src/discord/poll-form.js';
import { replyPrivately } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { t } from '../src/i18n/index.js';
import { castVote } from '../src/polls/flow.js';
import type { Poll, PollOrigin } from '../src/polls/types.js';
import { ANSWER_MAX, ANSWERS_MAX, QUESTION_MAX } from '../src/polls/validate.js';
import { GUILD_ONLY } from './shared.js';

const pollOption = { type: ApplicationCommandOptionType.String, name: 'poll', description: 'Which poll (start typing)', required: true, autocomplete: true, max_length: 16 } as const;

const definition = () =>
  ({
    name: 'poll',
    description: 'Community polls: the story\'s "folk hero or villain?" or your own question',
    ...GUILD_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'start',
        description: 'Start the headline poll (no options) or your own poll',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'question', description: 'Your question (leave empty for the story\'s headline poll)', max_length: QUESTION_MAX },
          { type: ApplicationCommandOptionType.String, name: 'answers', description: `2 to 10 answers, separated by commas or | (each up to ${ANSWER_MAX} characters)`, max_length: 600 },
          { type: ApplicationCommandOptionType.String, name: 'duration', description: 'How long it runs: 90m, 12h, 7d (1 minute to 32 days; default 24h)', max_length: 20 },
          { type: ApplicationCommandOptionType.Boolean, name: 'hide_results', description: 'Show results only when the poll closes (default: no)' },
          { type: ApplicationCommandOptionType.Boolean, name: 'allow_change', description: 'Let members change or retract their vote (default: yes)' },
          { type: ApplicationCommandOptionType.Role, name: 'voter_role', description: 'Only members with this role may vote' },
          { type: ApplicationCommandOptionType.Integer, name: 'max_choices', description: 'How many answers each member may pick (default: 1)', min_value: 1, max_value: ANSWERS_MAX },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'new', description: 'Start your own poll by filling in a form' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'end', description: 'Close a poll now (its creator, or members with Manage Messages)', options: [pollOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'results', description: 'Current standings of a poll (only you)', options: [pollOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'export', description: 'A poll as a CSV file: answers, counts, standings over time; never who voted (only you)', options: [pollOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: "This server's open polls, with links (only you)" },
    ],
  }) as const;

type Definition = ReturnType<typeof definition>;

/** Where a poll starts, and the server's language (`guild_locale`) that everyone reads it in from then on. */
async function originOf(interaction: ChatInputCommandInteraction<'cached' | 'raw'> | ModalSubmitInteraction<'cached' | 'raw'>, ctx: Context): Promise<PollOrigin> {
  const origin = { guildId: interaction.guildId, channelId: interaction.channelId ?? '', creatorId: interaction.user.id };
  const notifyRoleId = await notifyRoleOf(ctx, origin.guildId, origin.channelId);
  return { ...origin, ...(interaction.guildLocale ? { locale: interaction.guildLocale } : {}), ...(notifyRoleId ? { notifyRoleId } : {}) };
}

/**
 * The role the server's digest pings, offered on the poll as "Notify me": the schedule in this channel's,
 * else the first one's. A digest store that cannot be read costs the poll its button, not its start.
 */
async function notifyRoleOf(ctx: Context, guildId: string, channelId: string): Promise<string | undefined> {
  try {
    const roles = (await ctx.digests.list(guildId)).filter((s) => s.enabled && s.notifyRoleId);
    return (roles.find((s) => s.channelId === channelId) ?? roles[0])?.notifyRoleId ?? undefined;
  } catch (error) {
    ctx.logger.warn({ err: error, guildId }, 'could not read the digest notify role for a new poll');
    return undefined;
  }
}

async function start({ interaction, options, ctx, replyWithMessage }: Invocation<OptionsOf<Definition, 'start'>>): Promise<void> {
  const { question, ...custom } = options;
  const origin = await originOf(interaction, ctx);
  let poll: Poll;
  if (question === null) {
    const stray = Object.entries(custom).flatMap(([name, value]) => (value === null ? [] : [name]));
    if (stray.length > 0) throw UserError.of('poll.customNeedsQuestion', { options: stray.join(', ') });
    poll = await ctx.polls.createHeadline(ctx.pack.headlinePoll, origin);
  } else {
    poll = await ctx.polls.create(
      {
        question,
        answers: custom.answers ?? '',
        duration: custom.duration ?? undefined,
        hideResults: custom.hide_results ?? false,
        allowChange: custom.allow_change ?? true,
        maxChoices: custom.max_choices,
        voterRoleId: custom.voter_role?.id ?? null,
      },
      origin,
    );
  }
  const message = await replyWithMessage(pollMessage(poll, await ctx.polls.tally(poll), ctx.clock.now(), false));
  if (message) await ctx.polls.attachMessage(poll, message.id);
}

// Later edits and the results post go through the channel, so the bot needs these there (for
// /poll start, /poll new and its form: the router checks them).
const START_PERMISSIONS = {
  permissions: [...POST_PERMISSIONS, PermissionFlagsBits.ReadMessageHistory],
  refusal: 'poll.botMissing' as const,
};

/**
 * The /poll new form, submitted (the router has checked the bot's START_PERMISSIONS): validated by
 * /poll start's rules. A refused form is kept, and the private answer says what to fix with a
 * button that shows the form again as typed.
 */
async function submitForm(interaction: ModalSubmitInteraction<'cached' | 'raw'>, _args: string[], ctx: Context): Promise<'user_error' | undefined> {
  const draft = readPollForm(interaction);
  const drafts = draftsOf(ctx);
  if (!interaction.channelId) throw UserError.of('poll.fromChannel');
  const origin = await originOf(interaction, ctx);
  let created: Poll;
  try {
    created = await ctx.polls.create(pollInputOf(draft), origin);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    drafts.keep(interaction.guildId, interaction.user.id, draft);
    await replyPrivately(interaction, refusedFormMessage(error.textIn(interaction.locale), interaction.locale));
    return 'user_error';
  }
  drafts.drop(interaction.guildId, interaction.user.id);
  const response = await interaction.reply({ ...pollMessage(created, await ctx.polls.tally(created), ctx.clock.now(), false), withResponse: true });
  if (response.resource?.message) await ctx.polls.attachMessage(created, response.resource.message.id);
  return undefined;
}

export const poll = defineCommand(definition, {
  name: 'poll',
  examples: ['/poll new', '/poll start', '/poll start question:Should the code be open? answers:Yes, No, Not sure duration:3d max_choices:2', '/poll results poll:…', '/poll export poll:…'],
  visibility: { start: 'public', new: 'public', end: 'private', results: 'private', export: 'private', list: 'private' },
  botPermissions: { start: START_PERMISSIONS, new: START_PERMISSIONS },
  handlers: {
    start,
    async new({ interaction }) {
      await interaction.showModal(newPollModal(undefined, interaction.locale));
    },
    async end({ interaction, options, ctx, defer }) {
      // Closing edits the poll and posts the results before it returns: acknowledge first.
      await defer();
      const access = memberAccess(interaction);
      const target = await viewablePoll(interaction.guildId, options.poll, access, ctx);
      // Judged in the poll's channel: Manage Messages in the channel the command is typed in says nothing about it.
      const canManage = access.permissionsIn(target.channelId)?.has(PermissionFlagsBits.ManageMessages) ?? false;
      const { poll: closed, alreadyClosed } = await ctx.polls.end(interaction.guildId, options.poll, interaction.user.id, canManage);
      await interaction.editReply(alreadyClosed ? t(interaction.locale, 'poll.endedAlready') : t(interaction.locale, 'poll.endedNow', { link: pollLink(closed) }));
    },
    async results({ interaction, options, ctx, reply }) {
      const target = await viewablePoll(interaction.guildId, options.poll, memberAccess(interaction), ctx);
      await reply(standingsMessage(target, await ctx.polls.tally(target), ctx.clock.now(), interaction.locale));
    },
    // Only the member who asked gets the file: it is theirs to share, and a channel is no place for a data dump.
    async export({ interaction, options, ctx, defer }) {
      await defer(); // the votes are read from the store, which may take a moment on a large poll
      const target = await viewablePoll(interaction.guildId, options.poll, memberAccess(interaction), ctx);
      await interaction.editReply(pollExportMessage(target, await ctx.polls.export(target), interaction.attachmentSizeLimit, interaction.locale));
    },
    async list({ interaction, ctx, reply }) {
      await reply(openPollsMessage(await ctx.polls.openPolls(interaction.guildId, memberAccess(interaction).canView), interaction.locale));
    },
  },

  async autocomplete(interaction, ctx, sub) {
    const choices = await ctx.polls.search(interaction.guildId, interaction.options.getFocused(), { includeClosed: sub === 'results' || sub === 'export', visible: memberAccess(interaction).canView });
    return choices.map((c) => ({ name: c.name, value: c.id }));
  },

  // castVote reads the action itself, so the buttons and the menu share one handler.
  components: {
    vote: (i, args, ctx) => click(i, 'vote', args, ctx),
    choose: (i, args, ctx) => click(i, 'choose', args, ctx),
    retract: (i, args, ctx) => click(i, 'retract', args, ctx),
    async edit(interaction, _args, ctx) {
      const draft = draftsOf(ctx).get(interaction.guildId, interaction.user.id);
      if (!draft) throw UserError.of('poll.formExpired', { minutes: DRAFT_MINUTES });
      await interaction.showModal(newPollModal(draft, interaction.locale));
    },
  },
  modals: { new: { run: submitForm, botPermissions: START_PERMISSIONS } },
});

/**
 * A poll of this guild in a channel the member can view. A poll they cannot view gets the same
 * answer as an unknown id, so its existence does not leak.
 */
async function viewablePoll(guildId: string, pollId: string, access: MemberAccess, ctx: Context): Promise<Poll> {
  const target = await ctx.polls.get(guildId, pollId);
  if (!access.canView(target.channelId)) throw UserError.of('poll.gone');
  return target;
}

async function click(interaction: MessageComponentInteraction<'cached' | 'raw'>, action: string, args: string[], ctx: Context): Promise<'user_error' | 'failed' | undefined> {
  const values = interaction.isStringSelectMenu() ? interaction.values : [];
  const outcome = await castVote(ctx.polls, { action, args, values, guildId: interaction.guildId, userId: interaction.user.id, memberRoleIds: roleIdsOf(interaction.member), locale: interaction.locale }, (reply) => replyPrivately(interaction, reply.content));
  if (!outcome.ok && outcome.error) ctx.logger.error({ err: outcome.error, incident: outcome.incident, interactionId: interaction.id, guildId: interaction.guildId, userId: interaction.user.id, customId: interaction.customId }, 'vote could not be stored');
  // Answered here rather than thrown (the member's reply is already sent): tell the router's count.
  return outcome.ok ? undefined : outcome.error ? 'failed' : 'user_error';
}
