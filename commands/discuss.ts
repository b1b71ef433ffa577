import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits, ThreadAutoArchiveDuration } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { topicMessage } from '../src/discord/messages/story.js';
import { THREAD_PERMISSIONS } from '../src/discord/permissions.js';
import { UserError } from '../src/errors.js';
import { inert } from '../src/text/inert.js';
import { findTopic, matchTopics } from '../src/story/topics.js';
import { GUILD_ONLY } from './shared.js';

/** Discord's cap on a thread's name. */
const THREAD_NAME_MAX = 100;

const definition = () =>
  ({
    name: 'discuss',
    description: 'Open a public thread here on a section or a stakeholder',
    ...GUILD_ONLY,
    options: [{ type: ApplicationCommandOptionType.String, name: 'topic', description: 'A section or a stakeholder (start typing)', required: true, autocomplete: true, max_length: 100 }],
  }) as const;

export const discuss = defineCommand(definition, {
  name: 'discuss',
  examples: ['/discuss topic:For OpenAI', '/discuss topic:Open-source advocates'],
  visibility: 'public',
  botPermissions: {
    run: {
      permissions: [...THREAD_PERMISSIONS, PermissionFlagsBits.EmbedLinks],
      refusal: 'discuss.botMissing',
    },
  },
  handlers: {
    async run({ interaction, options, ctx, replyWithMessage }) {
      const topic = findTopic(ctx.pack, options.topic, interaction.locale);
      const channel = interaction.channel;
      if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
        throw UserError.of('discuss.needsTextChannel');
      }
      const message = await replyWithMessage(topicMessage(ctx.pack, topic, inert(interaction.user.displayName), interaction.locale));
      if (!message) throw new Error('Discord returned no message for the /discuss reply');
      await message.startThread({ name: topic.title.slice(0, THREAD_NAME_MAX), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    },
  },

  async autocomplete(interaction, ctx) {
    return matchTopics(ctx.pack, interaction.options.getFocused());
  },
});
