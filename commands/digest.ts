import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits } from 'discord.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/discord/command.js';
import { digestChannelProblem } from '../src/discord/digest-sender.js';
import { digestPreviewMessage, digestStatus } from '../src/discord/messages/digest.js';
import type { DigestSettings } from '../src/digests/types.js';
import { formatTime, matchZones, normaliseZone, parseTime } from '../src/digests/zones.js';
import { UserError } from '../src/errors.js';
import { GUILD_ONLY } from './shared.js';

const definition = () =>
  ({
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
  }) as const;

async function requireSettings(ctx: Context, guildId: string): Promise<DigestSettings> {
  const settings = await ctx.digests.get(guildId);
  if (!settings) throw new UserError('Daily digests are not set up here yet. Use `/digest set` to choose a channel and a time.');
  return settings;
}

export const digest = defineCommand(definition, {
  name: 'digest',
  examples: ['/digest set channel:#news time:09:00 timezone:Europe/Berlin thread:true', '/digest status'],
  visibility: 'private',
  handlers: {
    async set({ interaction, options, ctx, reply }) {
      const { hour, minute } = parseTime(options.time);
      const zone = normaliseZone(options.timezone);
      const thread = options.thread ?? false;
      const channel = interaction.guild?.channels.cache.get(options.channel.id) ?? null;
      const problem = digestChannelProblem(channel, thread);
      if (problem) throw new UserError(`I can't post digests there: ${problem}. Fix that (or pick another channel) and run /digest set again.`);
      const settings = await ctx.digests.configure(interaction.guildId, { channelId: options.channel.id, time: formatTime({ hour, minute }), zone, thread });
      await reply({ content: `Daily digests are on.\n${digestStatus(settings, ctx.digests.nextRunAt(settings))}` });
    },
    async status({ interaction, ctx, reply }) {
      const settings = await requireSettings(ctx, interaction.guildId);
      await reply({ content: digestStatus(settings, ctx.digests.nextRunAt(settings)) });
    },
    async preview({ interaction, ctx, reply }) {
      await reply(digestPreviewMessage(await ctx.digests.preview(interaction.guildId)));
    },
    async off({ interaction, ctx, reply }) {
      await requireSettings(ctx, interaction.guildId);
      await ctx.digests.disable(interaction.guildId);
      await reply({ content: 'Daily digests are off. Your channel and time are kept: `/digest set` turns them back on.' });
    },
  },

  async autocomplete(interaction) {
    return matchZones(interaction.options.getFocused());
  },
});
