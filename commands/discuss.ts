import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits, ThreadAutoArchiveDuration } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { toEmbed } from '../src/discord/embeds.js';
import { missingAppPermissions, THREAD_PERMISSIONS } from '../src/discord/permissions.js';
import { UserError } from '../src/errors.js';
import { inert } from '../src/text/inert.js';
import { findTopic, matchTopics, renderTopic } from '../src/story/topics.js';
import { GUILD_ONLY } from './shared.js';

const NEEDED = [...THREAD_PERMISSIONS, PermissionFlagsBits.EmbedLinks];

export const discuss: Command = {
  name: 'discuss',
  examples: ['/discuss topic:For OpenAI', '/discuss topic:Open-source advocates'],
  definition: () => ({
    name: 'discuss',
    description: 'Open a public thread here on a section or a stakeholder',
    ...GUILD_ONLY,
    options: [{ type: ApplicationCommandOptionType.String, name: 'topic', description: 'A section or a stakeholder (start typing)', required: true, autocomplete: true, max_length: 100 }],
  }),

  async execute(interaction, ctx) {
    const topic = findTopic(ctx.pack, interaction.options.getString('topic', true));
    const channel = interaction.channel;
    if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
      throw new UserError('Discussions open as threads, so use /discuss in a text or announcement channel.');
    }
    const missing = missingAppPermissions(interaction.appPermissions, NEEDED);
    if (missing.length > 0) throw new UserError(`I can't open a thread here: I'm missing ${missing.join(', ')} in this channel. Ask an admin to allow it.`);
    const response = await interaction.reply({ embeds: [toEmbed(renderTopic(ctx.pack, topic, inert(interaction.user.displayName, 'plain')))], withResponse: true });
    const message = response.resource?.message;
    if (!message) throw new Error('Discord returned no message for the /discuss reply');
    await message.startThread({ name: topic.title.slice(0, 100), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
  },

  async autocomplete(interaction, ctx) {
    return matchTopics(ctx.pack, interaction.options.getFocused());
  },
};
