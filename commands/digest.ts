import { ApplicationCommandOptionType, type MessageComponentInteraction, PermissionFlagsBits } from 'discord.js';
import { SNOWFLAKE } from '../src/constants.js';
import type { Context } from '../src/context.js';
import { roleIdsOf } from '../src/discord/access.js';
import { defineCommand } from '../src/discord/command.js';
import { DIGEST_CHANNEL_TYPES, digestChannelProblem } from '../src/discord/digest-sender.js';
import { digestPreviewMessage, digestSetUp, digestSkipped, digestStatuses, digestTurnedOff, notifyToggled } from '../src/discord/messages/digest.js';
import { explainNotifyRoleProblems, notifyRoleProblems } from '../src/discord/notify-role.js';
import { replyPrivately } from '../src/discord/reply.js';
import { MAX_DIGEST_SCHEDULES } from '../src/digests/service.js';
import type { DigestSettings } from '../src/digests/types.js';
import { formatTime, matchZones, normaliseZone, parseTime } from '../src/digests/zones.js';
import { UserError } from '../src/errors.js';
import { t } from '../src/i18n/index.js';
import { GUILD_ONLY } from './shared.js';

const channelOption = (description: string) => ({ type: ApplicationCommandOptionType.Channel, name: 'channel', description, channel_types: DIGEST_CHANNEL_TYPES }) as const;

const definition = () =>
  ({
    name: 'digest',
    description: 'Set up the daily story digests for this server (Manage Server)',
    ...GUILD_ONLY,
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Post a digest every day at a local time in a channel (one schedule per channel)',
        options: [
          { ...channelOption('Where to post: a text, announcement or forum channel'), required: true },
          { type: ApplicationCommandOptionType.String, name: 'time', description: 'Local time, 24-hour HH:MM, e.g. 09:00', required: true, min_length: 3, max_length: 5 },
          { type: ApplicationCommandOptionType.String, name: 'timezone', description: 'Your time zone, e.g. Europe/Berlin (start typing)', required: true, autocomplete: true, max_length: 64 },
          { type: ApplicationCommandOptionType.Boolean, name: 'thread', description: 'Open a discussion thread on each digest (default: no; forum posts are threads)' },
          { type: ApplicationCommandOptionType.Role, name: 'notify_role', description: 'A role the digest mentions; members opt in with its Notify me button' },
          { type: ApplicationCommandOptionType.Boolean, name: 'no_notify', description: 'Stop mentioning the notify role (its Notify me buttons stop working)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: 'Channel, time, next and last digest of each schedule', options: [channelOption('Only this channel\'s schedule')] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'preview', description: 'See the next digest (only you)', options: [channelOption('The schedule to preview (default: the first)')] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'skip', description: 'Skip the next digest only; the one after comes as usual', options: [channelOption('The schedule to skip (needed when there are several)')] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Stop a schedule\'s digests (settings are kept)', options: [channelOption('The schedule to stop (needed when there are several)')] },
    ],
  }) as const;

/** The schedule a subcommand is about: the channel named, or the server's only one. */
async function pickSchedule(ctx: Context, guildId: string, channel: { id: string } | null): Promise<DigestSettings> {
  const all = await ctx.digests.list(guildId);
  if (all.length === 0) throw UserError.of('digest.notSetUp');
  if (channel) {
    const found = all.find((s) => s.channelId === channel.id);
    if (!found) throw UserError.of('digest.noScheduleThere', { channel: channel.id, channels: all.map((s) => `<#${s.channelId}>`).join(', ') });
    return found;
  }
  if (all.length > 1) throw UserError.of('digest.whichSchedule', { count: all.length, channels: all.map((s) => `<#${s.channelId}>`).join(', ') });
  return all[0]!;
}

export const digest = defineCommand(definition, {
  name: 'digest',
  examples: ['/digest set channel:#news time:09:00 timezone:Europe/Berlin thread:true notify_role:@Digest', '/digest skip channel:#news', '/digest status'],
  visibility: 'private',
  handlers: {
    async set({ interaction, options, ctx, reply }) {
      const { hour, minute } = parseTime(options.time);
      const zone = normaliseZone(options.timezone);
      const thread = options.thread ?? false;
      const guild = interaction.guild;
      const channel = guild?.channels.cache.get(options.channel.id) ?? null;
      const problem = digestChannelProblem(channel, thread, interaction.locale);
      if (problem) throw new UserError(t('en', 'digest.cantPostThere', { problem: digestChannelProblem(channel, thread) ?? problem }), { key: 'digest.cantPostThere', vars: { problem } });
      const existing = await ctx.digests.list(interaction.guildId);
      if (!existing.some((s) => s.channelId === options.channel.id) && existing.length >= MAX_DIGEST_SCHEDULES) {
        throw UserError.of('digest.tooManySchedules', { max: MAX_DIGEST_SCHEDULES });
      }
      const role = options.notify_role;
      if (role && options.no_notify) throw UserError.of('digest.notifyEither');
      if (role && guild) {
        const problems = notifyRoleProblems(guild, guild.roles.cache.get(role.id), interaction.locale);
        if (problems.length > 0) throw UserError.of('digest.notSavedAgain', { problems: explainNotifyRoleProblems(problems, interaction.locale) });
      }
      const settings = await ctx.digests.configure(interaction.guildId, {
        channelId: options.channel.id, time: formatTime({ hour, minute }), zone, thread, ...(role ? { notifyRoleId: role.id } : options.no_notify ? { notifyRoleId: null } : {}),
      });
      await reply({ content: digestSetUp(settings, ctx.digests.nextRunAt(settings), interaction.locale) });
    },
    async status({ interaction, options, ctx, reply }) {
      const list = options.channel ? [await pickSchedule(ctx, interaction.guildId, options.channel)] : await ctx.digests.list(interaction.guildId);
      if (list.length === 0) throw UserError.of('digest.notSetUp');
      await reply({ content: digestStatuses(list.map((s) => ({ settings: s, nextAt: ctx.digests.nextRunAt(s) })), interaction.locale) });
    },
    async preview({ interaction, options, ctx, reply }) {
      const all = await ctx.digests.list(interaction.guildId);
      const chosen = options.channel ? await pickSchedule(ctx, interaction.guildId, options.channel) : all[0];
      await reply(digestPreviewMessage(await ctx.digests.preview(interaction.guildId, chosen?.channelId ?? null), interaction.locale));
    },
    async skip({ interaction, options, ctx, reply }) {
      const schedule = await pickSchedule(ctx, interaction.guildId, options.channel);
      if (!schedule.enabled) throw UserError.of('digest.offNothingToSkip', { channel: schedule.channelId });
      const skipped = await ctx.digests.skip(interaction.guildId, schedule.channelId);
      if (!skipped) throw UserError.of('digest.notSetUp');
      await reply({ content: digestSkipped(skipped.settings, skipped.day, skipped.already, ctx.digests.nextRunAt(skipped.settings), interaction.locale) });
    },
    async off({ interaction, options, ctx, reply }) {
      const schedule = await pickSchedule(ctx, interaction.guildId, options.channel);
      await ctx.digests.disable(interaction.guildId, schedule.channelId);
      await reply({ content: digestTurnedOff(schedule.channelId, interaction.locale) });
    },
  },

  async autocomplete(interaction) {
    return matchZones(interaction.options.getFocused());
  },

  components: { notify: toggleNotifyRole },
});

/**
 * "Notify me": adds the notify role to the member who clicked, or removes it if they have it. The
 * role id in the custom_id is trusted only if it is the notify role of one of this server's
 * schedules now; the bot's right to hand it out is checked before asking Discord.
 */
async function toggleNotifyRole(interaction: MessageComponentInteraction<'cached' | 'raw'>, args: string[], ctx: Context): Promise<void> {
  const roleId = args.length === 1 && SNOWFLAKE.test(args[0]!) ? args[0]! : null;
  const schedules = await ctx.digests.list(interaction.guildId);
  if (!roleId || !schedules.some((s) => s.notifyRoleId === roleId)) throw UserError.of('digest.notifyInactive');
  const guild = interaction.guild;
  if (!guild) throw UserError.of('digest.rolesNotSeen');
  const problems = notifyRoleProblems(guild, guild.roles.cache.get(roleId), interaction.locale);
  if (problems.length > 0) throw UserError.of('digest.askAdmin', { problems: explainNotifyRoleProblems(problems, interaction.locale) });
  const has = roleIdsOf(interaction.member).includes(roleId);
  const userId = interaction.user.id;
  if (has) await guild.members.removeRole({ user: userId, role: roleId, reason: 'Notify me: opted out of the digest' });
  else await guild.members.addRole({ user: userId, role: roleId, reason: 'Notify me: opted in to the digest' });
  await replyPrivately(interaction, notifyToggled(roleId, !has, interaction.locale));
}
