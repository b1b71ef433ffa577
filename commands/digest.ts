import { ApplicationCommandOptionType, ChannelType, MessageFlags, PermissionFlagsBits, time, TimestampStyles } from 'discord.js';
import type { Context } from '../src/context.js';
import { toEmbed } from '../src/discord/embeds.js';
import type { Command } from '../src/discord/command.js';
import { digestChannelProblem } from '../src/discord/digest-sender.js';
import type { DigestSettings } from '../src/digests/types.js';
import { formatTime, matchZones, normaliseZone, parseTime } from '../src/digests/zones.js';
import { UserError } from '../src/errors.js';
import { GUILD_ONLY } from './shared.js';

const seconds = (ms: number) => new Date(ms);

function statusLines(settings: DigestSettings, nextAt: number | null): string {
  const lines = [
    `**Channel:** <#${settings.channelId}>${settings.thread ? ' (with a thread for each day)' : ''}`,
    `**Time:** ${settings.time} ${settings.zone}`,
    `**Status:** ${settings.enabled ? 'on' : 'off — `/digest set` turns it back on'}`,
    `**Next digest:** ${nextAt === null ? 'none while off' : `${time(seconds(nextAt), TimestampStyles.LongDateTime)} (${time(seconds(nextAt), TimestampStyles.RelativeTime)})`}`,
    `**Last digest:** ${settings.lastSentAt === null ? 'none yet' : `${time(seconds(settings.lastSentAt), TimestampStyles.LongDateTime)} (day ${settings.daysSent})`}`,
  ];
  if (settings.recordPending) lines.push(`**Storage problem** ${time(seconds(settings.recordPending.at), TimestampStyles.RelativeTime)}: ${settings.recordPending.reason}.`);
  if (settings.lastError) lines.push(`**Last attempt failed** ${time(seconds(settings.lastError.at), TimestampStyles.RelativeTime)}: ${settings.lastError.reason}. I'll try again at the next day's time.`);
  return lines.join('\n');
}

async function requireSettings(ctx: Context, guildId: string): Promise<DigestSettings> {
  const settings = await ctx.digests.get(guildId);
  if (!settings) throw new UserError('Daily digests are not set up here yet. Use `/digest set` to choose a channel and a time.');
  return settings;
}

export const digest: Command = {
  name: 'digest',
  examples: ['/digest set channel:#news time:09:00 timezone:Europe/Berlin thread:true', '/digest status'],
  definition: () => ({
    name: 'digest',
    description: 'Set up the daily story digest for this server (Manage Server)',
    ...GUILD_ONLY,
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Post a digest every day at a local time in a channel',
        options: [
          { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where to post', required: true, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
          { type: ApplicationCommandOptionType.String, name: 'time', description: 'Local time, 24-hour HH:MM, e.g. 09:00', required: true, min_length: 3, max_length: 5 },
          { type: ApplicationCommandOptionType.String, name: 'timezone', description: 'Your time zone, e.g. Europe/Berlin (start typing)', required: true, autocomplete: true, max_length: 64 },
          { type: ApplicationCommandOptionType.Boolean, name: 'thread', description: 'Open a discussion thread on each digest (default: no)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: 'Channel, time, next and last digest' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'preview', description: 'See the next digest (only you)' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Stop the digests (settings are kept)' },
    ],
  }),

  async execute(interaction, ctx) {
    const guildId = interaction.guildId;
    if (!guildId) throw new UserError('Digests are set per server; use this in a server channel.');
    const sub = interaction.options.getSubcommand(true);
    const privately = { flags: MessageFlags.Ephemeral } as const;
    if (sub === 'set') {
      const { hour, minute } = parseTime(interaction.options.getString('time', true));
      const zone = normaliseZone(interaction.options.getString('timezone', true));
      const thread = interaction.options.getBoolean('thread') ?? false;
      const picked = interaction.options.getChannel('channel', true);
      const channel = interaction.guild?.channels.cache.get(picked.id) ?? null;
      const problem = digestChannelProblem(channel, thread);
      if (problem) throw new UserError(`I can't post digests there: ${problem}. Fix that (or pick another channel) and run /digest set again.`);
      const settings = await ctx.digests.configure(guildId, { channelId: picked.id, time: formatTime({ hour, minute }), zone, thread });
      await interaction.reply({ content: `Daily digests are on.\n${statusLines(settings, ctx.digests.nextRunAt(settings))}`, ...privately });
    } else if (sub === 'status') {
      const settings = await requireSettings(ctx, guildId);
      await interaction.reply({ content: statusLines(settings, ctx.digests.nextRunAt(settings)), ...privately });
    } else if (sub === 'preview') {
      const preview = await ctx.digests.preview(guildId);
      await interaction.reply({ content: 'This is what the next digest will look like:', embeds: [toEmbed(preview.card)], ...privately });
    } else if (sub === 'off') {
      await requireSettings(ctx, guildId);
      await ctx.digests.disable(guildId);
      await interaction.reply({ content: 'Daily digests are off. Your channel and time are kept: `/digest set` turns them back on.', ...privately });
    } else throw new UserError(`Unknown subcommand "${sub}".`);
  },

  async autocomplete(interaction) {
    return matchZones(interaction.options.getFocused());
  },
};
