import { ChannelType, type Client, type GuildBasedChannel, ThreadAutoArchiveDuration } from 'discord.js';
import type { DigestContent } from '../digests/render.js';
import type { DigestSender } from '../digests/service.js';
import { DeliveryError, type DigestSettings } from '../digests/types.js';
import { CHANNEL_GONE, deliveryFailureReason, discordErrorCode, UNKNOWN_CHANNEL } from './errors.js';
import { postedRecently } from './history.js';
import { digestPost, isDigestPost } from './messages/digest.js';
import { missingBotPermissions, POST_PERMISSIONS, THREAD_PERMISSIONS } from './permissions.js';

type DigestChannel = GuildBasedChannel & { type: ChannelType.GuildText | ChannelType.GuildAnnouncement };

function isDigestChannel(channel: GuildBasedChannel | null): channel is DigestChannel {
  return channel?.type === ChannelType.GuildText || channel?.type === ChannelType.GuildAnnouncement;
}

/** Why the bot can't post digests in `channel`, in words an admin can act on; null when it can. */
export function digestChannelProblem(channel: GuildBasedChannel | null, thread: boolean): string | null {
  if (!channel) return CHANNEL_GONE;
  if (!isDigestChannel(channel)) return `#${channel.name} is not a text or announcement channel`;
  const missing = missingBotPermissions(channel, thread ? [...POST_PERMISSIONS, ...THREAD_PERMISSIONS] : POST_PERMISSIONS);
  return missing.length > 0 ? `I'm missing ${missing.join(', ')} in #${channel.name}` : null;
}

/** Posts digests with discord.js; permanent failures become DeliveryErrors with a readable reason. */
export function createDigestSender(client: Client): DigestSender {
  return {
    async send(settings: DigestSettings, content: DigestContent, nonce: string) {
      try {
        const channel = await client.channels.fetch(settings.channelId).catch((error: unknown) => {
          if (discordErrorCode(error) === UNKNOWN_CHANNEL) return null;
          throw error;
        });
        const guildChannel = channel && 'guild' in channel ? channel : null;
        const problem = digestChannelProblem(guildChannel, settings.thread);
        if (problem || !isDigestChannel(guildChannel)) throw new DeliveryError(problem ?? 'the channel cannot take messages');
        // enforceNonce: if this send is a retry of one that reached Discord, Discord returns that message instead of posting twice.
        const message = await guildChannel.send(digestPost(content, nonce));
        if (settings.thread) await message.startThread({ name: content.threadName, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
      } catch (error) {
        const reason = deliveryFailureReason(error);
        if (reason) throw new DeliveryError(reason);
        throw error;
      }
    },
    async findPosted(settings: DigestSettings, nonce: string) {
      const channel = await client.channels.fetch(settings.channelId).catch(() => null);
      return postedRecently(client, channel, (m) => isDigestPost(m, nonce));
    },
  };
}
