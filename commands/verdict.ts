import { ApplicationCommandOptionType, type MessageComponentInteraction } from 'discord.js';
import { shiftsChart } from '../src/charts/shifts.js';
import { trendChart } from '../src/charts/trend.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/discord/command.js';
import { chartMessage, forgetPrompt, forgottenMessage, readingAnswer, retractConfirmation, stanceConfirmation, verdictMessage } from '../src/discord/messages/verdict.js';
import { isPrivate, replyPrivately, visibility } from '../src/discord/reply.js';
import { UserError } from '../src/errors.js';
import { MAX_TREND_DAYS } from '../src/verdict/service.js';
import { t, tc } from '../src/i18n/index.js';
import { MIN_GROUP } from '../src/verdict/types.js';
import { checkStoryVersion, GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

const DEFAULT_TREND_DAYS = 14;

const definition = () =>
  ({
    name: 'verdict',
    description: "Where the server stands on the story's headline question, and how that moves",
    ...GUILD_ONLY,
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'now', description: 'Where the server stands now; state, change or retract your stance', options: [PRIVATE_OPTION] },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'trend',
        description: "The server's verdict day by day, as a chart",
        options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: `How many days back (2 to ${MAX_TREND_DAYS}; default ${DEFAULT_TREND_DAYS})`, min_value: 2, max_value: MAX_TREND_DAYS }, PRIVATE_OPTION],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'shifts', description: 'Did reading the story change minds? Anonymous before/after counts', options: [PRIVATE_OPTION] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'forget', description: 'Delete everything tamasha keeps under your name in this server (asks first)' },
    ],
  }) as const;

export const verdict = defineCommand(definition, {
  name: 'verdict',
  examples: ['/verdict now', '/verdict trend days:30', '/verdict shifts', '/verdict forget'],
  visibility: { now: 'public', trend: 'public', shifts: 'public', forget: 'private' },
  handlers: {
    async now({ interaction, ctx, reply }) {
      await reply(verdictMessage(ctx.pack, await ctx.verdict.standing(interaction.guildId), ctx.clock.now(), interaction.locale));
    },
    async trend({ interaction, options, ctx, defer }) {
      // Reading the snapshots and drawing can take a moment: acknowledge within Discord's 3 seconds.
      await defer();
      const trend = await ctx.verdict.trend(interaction.guildId, options.days ?? DEFAULT_TREND_DAYS);
      if (!trend.days.some((d) => d.counts)) {
        await interaction.editReply(t(interaction.locale, 'verdict.noSnapshot'));
        return;
      }
      // The chart's own words (its default title) stay English: its font (DejaVu Sans) has no Japanese or Devanagari.
      const chart = await trendChart(trend);
      await interaction.editReply(chartMessage(chart, tc(interaction.locale, 'verdict.trendHeading', trend.days.length), 'verdict-trend'));
    },
    async shifts({ interaction, ctx, defer }) {
      await defer();
      const shifts = await ctx.verdict.shifts(interaction.guildId);
      if (shifts.shifts.length === 0) {
        await interaction.editReply(t(interaction.locale, 'verdict.noShifts', { min: MIN_GROUP }));
        return;
      }
      const chart = await shiftsChart(shifts);
      await interaction.editReply(chartMessage(chart, t(interaction.locale, 'verdict.shiftsHeading', { min: MIN_GROUP }), 'verdict-shifts'));
    },
    async forget({ interaction, reply }) {
      await reply(forgetPrompt(interaction.locale));
    },
  },
  components: {
    state: (i, args, ctx) => state(i, args, ctx),
    retract: async (i, args, ctx) => {
      checkStoryVersion(ctx.pack, args[0], 'verdict.stale');
      await replyPrivately(i, retractConfirmation(await ctx.verdict.retract(i.guildId, i.user.id), ctx.verdict.labels, i.locale));
    },
    before: (i, args, ctx) => reading(i, 'before', args, ctx),
    after: (i, args, ctx) => reading(i, 'after', args, ctx),
    forget: async (i, _args, ctx) => {
      // Every poll and argument of the server is looked at: acknowledge first (Discord's 3 s). The
      // prompt is private to the member, so it is updated in place.
      if (isPrivate(i.message)) await i.deferUpdate();
      else await i.deferReply(visibility(true));
      await ctx.verdict.forget(i.guildId, i.user.id);
      await ctx.polls.forgetMember(i.guildId, i.user.id);
      await ctx.arguments.forgetMember(i.guildId, i.user.id);
      await i.editReply(forgottenMessage(i.locale));
    },
  },
});

/** A headline answer's index from a button's custom_id; anything that names no answer is refused. */
function answerOf(arg: string | undefined, ctx: Context): number {
  const answer = Number(arg);
  if (!/^\d+$/.test(arg ?? '') || answer >= ctx.verdict.labels.length) throw UserError.of('verdict.notAnAnswer');
  return answer;
}

async function state(interaction: MessageComponentInteraction<'cached' | 'raw'>, args: string[], ctx: Context): Promise<void> {
  checkStoryVersion(ctx.pack, args[0], 'verdict.stale');
  const answer = answerOf(args[1], ctx);
  const result = await ctx.verdict.state(interaction.guildId, interaction.user.id, answer);
  await replyPrivately(interaction, stanceConfirmation(result, ctx.verdict.labels, answer, interaction.locale));
}

/** A reading prompt's button (sent by /story, see readingPrompt): records the answer, once. */
async function reading(interaction: MessageComponentInteraction<'cached' | 'raw'>, phase: 'before' | 'after', args: string[], ctx: Context): Promise<void> {
  checkStoryVersion(ctx.pack, args[0], 'verdict.stale');
  const answer = args[1] === 'none' ? null : answerOf(args[1], ctx);
  const { guildId, user } = interaction;
  const recorded = phase === 'before' ? await ctx.verdict.recordBefore(guildId, user.id, answer) : await ctx.verdict.recordAfter(guildId, user.id, answer);
  const content = readingAnswer(phase, recorded, answer === null ? null : (ctx.verdict.labels[answer] ?? '?'), interaction.locale);
  if (isPrivate(interaction.message)) await interaction.update({ content, components: [] });
  else await replyPrivately(interaction, content);
}
