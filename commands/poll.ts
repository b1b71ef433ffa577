import { ApplicationCommandOptionType, type ChatInputCommandInteraction, type GuildMember, type APIInteractionGuildMember, MessageFlags, type MessageComponentInteraction, PermissionFlagsBits } from 'discord.js';
import { clip } from '../src/card.js';
import type { Context } from '../src/context.js';
import type { Command } from '../src/discord/command.js';
import { type MemberAccess, memberAccess } from '../src/discord/access.js';
import { missingAppPermissions, POST_PERMISSIONS } from '../src/discord/permissions.js';
import { pollMessage } from '../src/discord/poll-board.js';
import { UserError } from '../src/errors.js';
import { castVote } from '../src/polls/flow.js';
import { renderPoll } from '../src/polls/render.js';
import type { Poll } from '../src/polls/types.js';
import { ANSWER_MAX, QUESTION_MAX } from '../src/polls/validate.js';
import { toEmbed } from '../src/discord/embeds.js';
import { inert } from '../src/text/inert.js';
import { GUILD_ONLY } from './shared.js';

const PRIVATE = { flags: MessageFlags.Ephemeral } as const;
const CUSTOM_OPTIONS = ['answers', 'duration', 'hide_results', 'allow_change', 'voter_role'] as const;
// Later edits and the results post go through the channel, so the bot needs these there.
const NEEDED = [...POST_PERMISSIONS, PermissionFlagsBits.ReadMessageHistory];

function roleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

const link = (poll: Poll) => `https://discord.com/channels/${poll.guildId}/${poll.channelId}/${poll.messageId ?? ''}`;

async function start(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: Context): Promise<void> {
  const missing = missingAppPermissions(interaction.appPermissions, NEEDED);
  if (missing.length > 0) throw new UserError(`I can't run a poll in this channel: I'm missing ${missing.join(', ')} here. Ask an admin to allow it, or start the poll in another channel.`);
  const question = interaction.options.getString('question');
  const origin = { guildId: interaction.guildId, channelId: interaction.channelId, creatorId: interaction.user.id };
  let poll: Poll;
  if (question === null) {
    const stray = CUSTOM_OPTIONS.filter((name) => interaction.options.get(name) !== null);
    if (stray.length > 0) throw new UserError(`To run your own poll, give it a \`question\` too (you set ${stray.join(', ')}). Without options, /poll start runs the story's headline poll.`);
    poll = await ctx.polls.createHeadline(ctx.pack.headlinePoll, origin);
  } else {
    poll = await ctx.polls.create(
      {
        question,
        answers: interaction.options.getString('answers') ?? '',
        duration: interaction.options.getString('duration') ?? undefined,
        hideResults: interaction.options.getBoolean('hide_results') ?? false,
        allowChange: interaction.options.getBoolean('allow_change') ?? true,
        voterRoleId: interaction.options.getRole('voter_role')?.id ?? null,
      },
      origin,
    );
  }
  const tally = await ctx.polls.tally(poll);
  const response = await interaction.reply({ ...pollMessage(poll, tally, ctx.clock.now(), false), allowedMentions: { parse: [] }, withResponse: true });
  const message = response.resource?.message;
  if (message) await ctx.polls.attachMessage(poll, message.id);
}

export const poll: Command = {
  name: 'poll',
  examples: ['/poll start', '/poll start question:Should the code be open? answers:Yes, No, Not sure duration:3d', '/poll results poll:…'],
  definition: () => ({
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
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'end',
        description: 'Close a poll now (its creator, or members with Manage Messages)',
        options: [{ type: ApplicationCommandOptionType.String, name: 'poll', description: 'Which poll (start typing)', required: true, autocomplete: true, max_length: 16 }],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'results',
        description: 'Current standings of a poll (only you)',
        options: [{ type: ApplicationCommandOptionType.String, name: 'poll', description: 'Which poll (start typing)', required: true, autocomplete: true, max_length: 16 }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: "This server's open polls, with links (only you)" },
    ],
  }),

  async execute(interaction, ctx) {
    if (!interaction.inGuild()) throw new UserError('Polls are per server; use this in a server channel.');
    const sub = interaction.options.getSubcommand(true);
    if (sub === 'start') return start(interaction, ctx);
    if (sub === 'list') {
      const open = await ctx.polls.openPolls(interaction.guildId, memberAccess(interaction).canView);
      // The question is shown as text beside the link, never as link text that could pose as a URL.
      const lines = open.map((p) => `• ${inert(clip(p.question, 80))} — [open it](${link(p)}) — closes <t:${Math.floor(p.closesAt / 1000)}:R>`);
      await interaction.reply({ content: lines.length > 0 ? `**Open polls (${open.length}):**\n${lines.join('\n')}`.slice(0, 2000) : 'No polls are open here. Start one with `/poll start`.', allowedMentions: { parse: [] }, ...PRIVATE });
      return;
    }
    const pollId = interaction.options.getString('poll', true);
    if (sub === 'end') {
      // Closing edits the poll and posts the results before it returns: acknowledge first.
      await interaction.deferReply(PRIVATE);
      const access = memberAccess(interaction);
      const target = await viewablePoll(interaction.guildId, pollId, access, ctx);
      // Judged in the poll's channel: Manage Messages in the channel the command is typed in says nothing about it.
      const canManage = access.permissionsIn(target.channelId)?.has(PermissionFlagsBits.ManageMessages) ?? false;
      const { poll: closed, alreadyClosed } = await ctx.polls.end(interaction.guildId, pollId, interaction.user.id, canManage);
      await interaction.editReply(alreadyClosed ? 'That poll had already closed.' : `Closed the poll. The final results are on [its message](${link(closed)}).`);
      return;
    }
    if (sub === 'results') {
      const target = await viewablePoll(interaction.guildId, pollId, memberAccess(interaction), ctx);
      await interaction.reply({ embeds: [toEmbed(renderPoll(target, await ctx.polls.tally(target), ctx.clock.now()))], ...PRIVATE });
      return;
    }
    throw new UserError(`Unknown subcommand "${sub}".`);
  },

  async autocomplete(interaction, ctx) {
    if (!interaction.guildId) return [];
    const sub = interaction.options.getSubcommand(false);
    const choices = await ctx.polls.search(interaction.guildId, interaction.options.getFocused(), { includeClosed: sub === 'results', visible: memberAccess(interaction).canView });
    return choices.map((c) => ({ name: c.name, value: c.id }));
  },

  // castVote reads the action from the custom_id itself, so both buttons share one handler.
  components: { vote: click, retract: click },
};

/**
 * A poll of this guild in a channel the member can view. A poll they cannot view gets the same
 * answer as an unknown id, so its existence does not leak.
 */
async function viewablePoll(guildId: string, pollId: string, access: MemberAccess, ctx: Context): Promise<Poll> {
  const target = await ctx.polls.get(guildId, pollId);
  if (!access.canView(target.channelId)) throw new UserError('This poll no longer exists.');
  return target;
}

async function click(interaction: MessageComponentInteraction, _args: string[], ctx: Context): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('Polls work in servers only.');
  const outcome = await castVote(ctx.polls, { customId: interaction.customId, guildId: interaction.guildId, userId: interaction.user.id, memberRoleIds: roleIds(interaction.member) }, async (reply) => {
    await interaction.reply({ content: reply.content, allowedMentions: { parse: [] }, ...PRIVATE });
  });
  if (!outcome.ok && outcome.error) ctx.logger.error({ err: outcome.error, interactionId: interaction.id, guildId: interaction.guildId, customId: interaction.customId }, 'vote could not be stored');
}
