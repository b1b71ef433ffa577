import { ChannelType, type Client, type ForumChannel, type GuildBasedChannel, type GuildForumTag, type Message, MessageFlags, type NewsChannel, PermissionFlagsBits, SnowflakeUtil, type TextChannel, ThreadAutoArchiveDuration } from 'discord.js';
import { DAY } from '../constants.js';
import type { DigestContent } from '../digests/render.js';
import type { DigestSender } from '../digests/service.js';
import { DeliveryError, type DigestSettings } from '../digests/types.js';
import { CHANNEL_GONE, deliveryFailureReason, discordErrorCode, friendlyDiscordError, UNKNOWN_CHANNEL, UNKNOWN_MESSAGE } from './errors.js';
import { checkHistoryReadable, findSince, HistoryUnreadableError, throwHistoryError } from './history.js';
import { digestPost, isDigestPost } from './messages/digest.js';
import { t } from '../i18n/index.js';
import { FORUM_POST_PERMISSIONS, missingBotPermissions, permissionName, POST_PERMISSIONS, THREAD_PERMISSIONS } from './permissions.js';

/** Where a digest can go: a text channel, an announcement channel (published too) or a forum (one post a day). */
type DigestChannel = TextChannel | NewsChannel | ForumChannel;

/** The channel types /digest set offers. */
export const DIGEST_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;

function isDigestChannel(channel: GuildBasedChannel | null): channel is DigestChannel {
  return channel?.type === ChannelType.GuildText || channel?.type === ChannelType.GuildAnnouncement || channel?.type === ChannelType.GuildForum;
}

/** Tag names that say "this is the digest", matched as words anywhere in the tag's name, case-insensitively. */
const DIGEST_TAG = /\b(digest|daily)\b/i;

/**
 * The tag a forum digest post carries. A tag named like "Digest" or "Daily" if the forum has one;
 * otherwise none, unless the forum requires a tag on every post, then its first usable tag (another
 * tag would mislabel the post, so it is used only when the forum leaves no choice). A moderated tag
 * is usable only with Manage Threads. Null: post without a tag (or, when required, none is usable).
 */
export function forumTag(forum: ForumChannel): GuildForumTag | null {
  const me = forum.guild.members.me;
  const canModerate = me ? (forum.permissionsFor(me)?.has(PermissionFlagsBits.ManageThreads) ?? false) : false;
  const usable = forum.availableTags.filter((tag) => !tag.moderated || canModerate);
  return usable.find((tag) => DIGEST_TAG.test(tag.name)) ?? (requiresTag(forum) ? (usable[0] ?? null) : null);
}

const requiresTag = (forum: ForumChannel): boolean => forum.flags.has('RequireTag');

/** Why the bot can't post digests in `channel`, in words an admin can act on (in `locale`; stored reasons in English); null when it can. */
export function digestChannelProblem(channel: GuildBasedChannel | null, thread: boolean, locale?: string): string | null {
  if (!channel) return CHANNEL_GONE;
  if (!isDigestChannel(channel)) return t(locale, 'digest.notDigestChannel', { channel: channel.name });
  if (channel.type === ChannelType.GuildForum) {
    // In a forum, Send Messages is "Create Posts"; each post is its own thread, so `thread` changes nothing.
    const sendMessages = permissionName('SendMessages', locale);
    const missing = missingBotPermissions(channel, FORUM_POST_PERMISSIONS, locale).map((name) => (name === sendMessages ? t(locale, 'digest.createPosts') : name));
    if (missing.length > 0) return t(locale, 'digest.missingIn', { missing: missing.join(', '), channel: channel.name });
    if (requiresTag(channel) && !forumTag(channel)) return t(locale, 'digest.tagRequired', { channel: channel.name });
    return null;
  }
  const missing = missingBotPermissions(channel, thread ? [...POST_PERMISSIONS, ...THREAD_PERMISSIONS] : POST_PERMISSIONS, locale);
  return missing.length > 0 ? t(locale, 'digest.missingIn', { missing: missing.join(', '), channel: channel.name }) : null;
}

/** Posts digests with discord.js; permanent failures become DeliveryErrors with a readable reason. */
export function createDigestSender(client: Client): DigestSender {
  const fetchChannel = (channelId: string) =>
    client.channels.fetch(channelId).catch((error: unknown) => {
      if (discordErrorCode(error) === UNKNOWN_CHANNEL) return null;
      throw error;
    });
  return {
    async send(settings: DigestSettings, content: DigestContent, nonce: string) {
      try {
        const channel = await fetchChannel(settings.channelId);
        const guildChannel = channel && 'guild' in channel ? channel : null;
        const problem = digestChannelProblem(guildChannel, settings.thread);
        if (problem || !isDigestChannel(guildChannel)) throw new DeliveryError(problem ?? 'the channel cannot take messages');
        // The chart is an upload: without Attach Files the digest goes out without it, and /digest status says why.
        const cannotAttach = content.chart !== null && missingBotPermissions(guildChannel, [PermissionFlagsBits.AttachFiles]).length > 0;
        const chartWarning = cannotAttach ? `posted without the verdict chart (I'm missing Attach Files in #${guildChannel.name})` : undefined;
        const post = digestPost(cannotAttach ? { ...content, chart: null } : content, nonce, settings.notifyRoleId, content.locale);
        if (guildChannel.type === ChannelType.GuildForum) {
          // A forum post has no nonce; the claim, and the marker findPosted looks for, keep it to one a day.
          const tag = forumTag(guildChannel);
          await guildChannel.threads.create({ name: content.threadName, message: post, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay, ...(tag ? { appliedTags: [tag.id] } : {}) });
          return chartWarning;
        }
        // enforceNonce: if this send is a retry of one that reached Discord, Discord returns that message instead of posting twice.
        const message = await guildChannel.send({ ...post, nonce, enforceNonce: true });
        if (settings.thread) await message.startThread({ name: content.threadName, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
        const published = guildChannel.type === ChannelType.GuildAnnouncement ? await publish(message) : undefined;
        return [chartWarning, published].filter(Boolean).join('; ') || undefined;
      } catch (error) {
        const reason = deliveryFailureReason(error);
        if (reason) throw new DeliveryError(reason);
        throw error;
      }
    },
    async findPosted(settings: DigestSettings, nonce: string) {
      const channel = await client.channels.fetch(settings.channelId).catch(() => null);
      const marked = (m: Message) => isDigestPost(m, nonce);
      try {
        if (channel?.type === ChannelType.GuildForum) return await forumPosted(client, channel, marked);
        const found = await findSince(client, channel, earliestPost(settings), marked);
        // An attempt interrupted between posting and publishing: finish it (publishing twice is refused, never doubled).
        if (found && channel?.type === ChannelType.GuildAnnouncement) await publish(found);
        return found !== null;
      } catch (error) {
        // Could not look: it may have been posted, so it is not posted again; /digest status says why.
        if (error instanceof HistoryUnreadableError) throw new DeliveryError(`could not check whether an interrupted attempt already posted this digest (${error.message}), so it was not posted again`);
        throw error;
      }
    },
  };
}

/**
 * The earliest instant the day's digest can have been posted: the start of its local day in the
 * zone furthest ahead of UTC (the zone may have changed since), so a search from it finds the post.
 */
function earliestPost(settings: DigestSettings): number {
  const day = settings.sending?.day ?? settings.lastSentDay;
  const midnightUtc = day ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return Number.isNaN(midnightUtc) ? 0 : midnightUtc - DAY;
}

/**
 * Publishes an announcement to the servers that follow the channel. The digest is already posted:
 * a failure here is a warning for /digest status, never a reason to post it again.
 */
async function publish(message: Message): Promise<string | undefined> {
  if (message.flags.has(MessageFlags.Crossposted)) return undefined; // a retried send Discord answered with the first post
  try {
    await message.crosspost();
    return undefined;
  } catch (error) {
    const why = friendlyDiscordError(error) ?? (error instanceof Error ? error.message : String(error));
    return `posted, but not published to the servers that follow the channel (${why.replace(/\.$/, '')})`;
  }
}

/** Whether one of the bot's forum posts of the last two days starts with a message `matches` accepts. */
async function forumPosted(client: Client, forum: ForumChannel, matches: (m: Message) => boolean): Promise<boolean> {
  const since = Date.now() - 2 * DAY;
  checkHistoryReadable(forum, ` in #${forum.name}`);
  const { threads } = await forum.threads.fetchActive(false);
  for (const thread of threads.values()) {
    if (thread.ownerId !== client.user?.id || SnowflakeUtil.timestampFrom(thread.id) < since) continue;
    const starter = await thread.fetchStarterMessage().catch((error: unknown) => {
      if (discordErrorCode(error) === UNKNOWN_MESSAGE) return null; // the post's first message was deleted
      throwHistoryError(error, 'Discord refused to show the post', ` in #${forum.name}`);
    });
    if (starter && matches(starter)) return true;
  }
  return false;
}
