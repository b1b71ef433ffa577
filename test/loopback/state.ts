/**
 * The loopback's model of Discord: users, guilds, channels, messages, registered commands, plus the
 * request / violation records tests assert on. Emits `change` after every mutation so waits re-check.
 */
import { EventEmitter } from 'node:events';
import { ChannelFlags, ChannelType, MessageType, PermissionFlagsBits, type APIApplicationCommand, type APIGuildForumTag, type APIAttachment, type APIEmbed, type APIMessage, type APIMessageTopLevelComponent, type APIRole, type APIUser, type RoleFlags } from 'discord-api-types/v10';
import { computePings, mentionFields, type Pings } from './mentions.js';
import { textDisplays } from './validate-v2.js';
import { FLAG_COMPONENTS_V2, FLAG_EPHEMERAL, FLAG_LOADING, FLAG_SUPPRESS_EMBEDS, FLAG_SUPPRESS_NOTIFICATIONS, validateMessage } from './validate.js';
import { AccessModel } from './access.js';
import { ApiError, SnowflakeFactory, snowflakeAt, isRecord, records, str, unknownChannel, unknownMessage, type ErrorTree, type Json } from './util.js';

export interface ChannelSpec {
  id?: string;
  name: string;
  /** Defaults to a text channel (0). */
  type?: ChannelType;
  parentId?: string;
  /** A forum's tags (ids are made up); `moderated` ones need Manage Threads to apply. */
  availableTags?: Array<{ name: string; moderated?: boolean }>;
  /** A forum that refuses a post without a tag (Discord's REQUIRE_TAG flag). */
  requireTag?: boolean;
}

export interface GuildSpec {
  id?: string;
  name?: string;
  ownerId?: string;
  /** Replaces the default `general` text + `announcements` channels. */
  channels?: ChannelSpec[];
  /** The server's preferred locale (`preferred_locale`, an interaction's `guild_locale`); default 'en-US'. */
  locale?: string;
}

export interface LoopbackChannel {
  id: string;
  guildId: string;
  name: string;
  type: ChannelType;
  parentId: string | null;
  /** Only the bot's member overwrite is modelled; that is all `denyPermission` needs. */
  botDeny: bigint;
  ownerId?: string;
  /** Channel flags (a forum's REQUIRE_TAG). */
  flags?: number;
  /** A forum's tags. */
  tags?: APIGuildForumTag[];
  /** A forum post's tags. */
  appliedTags?: string[];
}

export interface LoopbackGuild {
  id: string;
  name: string;
  ownerId: string;
  everyoneRoleId: string;
  botRoleId: string;
  /** Server-wide permissions the bot's role has beyond the defaults (Manage Roles…); see setBotRole. */
  botAllow: bigint;
  /** Position of the bot's role: it may manage roles below it only (default 1, just above @everyone). */
  botRolePosition: number;
  channels: LoopbackChannel[];
  /** The server's preferred locale, e.g. 'en-US', 'de', 'ja'. */
  locale: string;
  /** Id of the channel called `name`; throws listing the channels if there is none. */
  channelId(name: string): string;
}

export interface LoopbackMember {
  id: string;
  username: string;
  user: APIUser;
  roles: string[];
  /** Permissions in the interaction's channel, as Discord sends them (decimal string). */
  permissions: string;
  /** The language of the member's Discord client, sent as `interaction.locale`. */
  locale: string;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * What Discord sends as an interaction's `attachment_size_limit` for a server without boosts, and
 * the most it accepts per file there: a larger upload is refused with 413 / 40005.
 */
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface RecordedRequest {
  /** Arrival time, epoch ms (fractional): the global rate limit counts by it. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  status: number;
  /** The JSON answered, if any. */
  response: unknown;
}

export interface RateLimitedRequest {
  method: string;
  path: string;
  /** Arrival time, epoch ms (fractional). */
  at: number;
  /** Seconds the 429 told the client to wait (`retry_after`). */
  retryAfter: number;
  scope: 'global';
}

export interface Violation {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  errors?: ErrorTree;
}

/** What a fresh guild's @everyone may do (a subset of Discord's defaults that matters to a bot). */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.SendPolls;
/** discord-api-types has no zero member for this bitfield enum. */
const NO_ROLE_FLAGS = 0 as RoleFlags;
const BOT_ROLE_PERMISSIONS = PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

const THREAD_TYPES = new Set<ChannelType>([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);
export const isThread = (c: LoopbackChannel): boolean => THREAD_TYPES.has(c.type);

/** Guild ids are fixed and one millisecond apart, so consecutive guilds land on consecutive shards. */
const GUILD_ID_BASE_MS = Date.UTC(2024, 0, 1);

export interface StateOptions {
  token: string;
  applicationId: string;
  guilds: GuildSpec[];
  now: () => number;
  /** Clock of the enforce_nonce window; defaults to `now`. */
  nonceClock?: () => number;
}

export class LoopbackState extends EventEmitter {
  readonly ids = new SnowflakeFactory();
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly now: () => number;
  readonly users = new Map<string, APIUser>();
  readonly members = new Map<string, LoopbackMember>();
  readonly guilds: LoopbackGuild[] = [];
  readonly channels = new Map<string, LoopbackChannel>();
  /** Insertion-ordered, so per-channel listings come out in send order. */
  readonly messages = new Map<string, APIMessage>();
  globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly requests: RecordedRequest[] = [];
  readonly unhandled: Array<{ method: string; path: string }> = [];
  readonly violations: Violation[] = [];
  /** REST calls answered 429 by the global rate limit. */
  readonly rateLimited: RateLimitedRequest[] = [];
  /** Extra roles and channel overwrites for members (access.ts). */
  readonly access = new AccessModel();
  /** The bytes of every attachment still on a message, by attachment id, as the bot uploaded them. */
  readonly files = new Map<string, RecordedFile>();
  /** What each message pinged when it was posted (mentions.ts); edits notify no one, so they keep it. */
  readonly pings = new Map<string, Pings>();
  /** One-shot refusals a test queued (Loopback.refuseNext), taken by the first request that matches. */
  readonly refusals: Array<{ method: string; path: RegExp; error: ApiError }> = [];
  /** Members reached through the roles each message pinged, at the time it was posted. */
  readonly roleReach = new Map<string, string[]>();
  /** Indexes so lookups stay O(1) with thousands of guilds and messages (GUILD_CREATE, nonce checks). */
  readonly #guildsById = new Map<string, LoopbackGuild>();
  readonly #messageIdsByChannel = new Map<string, Set<string>>();
  /** `channel:nonce` → the message first posted with it and when (by the nonce clock). */
  readonly #nonces = new Map<string, { messageId: string; at: number }>();
  readonly #nonceClock: () => number;

  constructor(opts: StateOptions) {
    super();
    this.setMaxListeners(0);
    this.token = opts.token;
    this.applicationId = opts.applicationId;
    this.now = opts.now;
    this.#nonceClock = opts.nonceClock ?? opts.now;
    this.botUser = { id: opts.applicationId, username: 'loopback-bot', discriminator: '0', global_name: null, avatar: null, bot: true };
    this.users.set(this.botUser.id, this.botUser);
    opts.guilds.forEach((spec, i) => this.#addGuild(spec, i));
  }

  changed(): void {
    this.emit('change');
  }

  #addGuild(spec: GuildSpec, index: number): void {
    const id = spec.id ?? snowflakeAt(GUILD_ID_BASE_MS + index);
    const specs = spec.channels ?? [{ name: 'general' }, { name: 'announcements', type: ChannelType.GuildAnnouncement }];
    const channels = specs.map((c): LoopbackChannel => ({
      id: c.id ?? this.ids.next(), guildId: id, name: c.name, type: c.type ?? ChannelType.GuildText, parentId: c.parentId ?? null, botDeny: 0n,
      ...(c.requireTag ? { flags: ChannelFlags.RequireTag } : {}),
      ...(c.availableTags ? { tags: c.availableTags.map((t) => ({ id: this.ids.next(), name: t.name, moderated: t.moderated ?? false, emoji_id: null, emoji_name: null })) } : {}),
    }));
    for (const c of channels) this.channels.set(c.id, c);
    const guild: LoopbackGuild = {
      id,
      name: spec.name ?? `Loopback Guild ${index + 1}`,
      ownerId: spec.ownerId ?? this.ids.next(),
      everyoneRoleId: id,
      botRoleId: this.ids.next(),
      botAllow: 0n,
      botRolePosition: 1,
      channels,
      locale: spec.locale ?? 'en-US',
      channelId(name) {
        const found = this.channels.find((c) => c.name === name);
        if (!found) throw new Error(`Guild ${this.name} has no channel "${name}" (has: ${this.channels.map((c) => c.name).join(', ')})`);
        return found.id;
      },
    };
    this.guilds.push(guild);
    this.#guildsById.set(id, guild);
  }

  guild(id: string): LoopbackGuild | undefined {
    return this.#guildsById.get(id);
  }

  channel(id: string): LoopbackChannel {
    const channel = this.channels.get(id);
    if (!channel) throw unknownChannel();
    return channel;
  }

  message(channelId: string, messageId: string): APIMessage {
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channelId) throw unknownMessage();
    return message;
  }

  messagesIn(channelId: string): APIMessage[] {
    const ids = this.#messageIdsByChannel.get(channelId);
    if (!ids) return [];
    const list: APIMessage[] = [];
    for (const id of ids) {
      const message = this.messages.get(id);
      if (message) list.push(message);
    }
    return list;
  }

  /** Stores (or replaces, keeping its place) a message; the only way messages enter `messages`. */
  #store(message: APIMessage): void {
    this.messages.set(message.id, message);
    let ids = this.#messageIdsByChannel.get(message.channel_id);
    if (!ids) this.#messageIdsByChannel.set(message.channel_id, (ids = new Set()));
    ids.add(message.id);
  }

  #forget(messageId: string): void {
    const message = this.messages.get(messageId);
    if (!message) return;
    this.messages.delete(messageId);
    for (const attachment of message.attachments) this.files.delete(attachment.id);
    this.#messageIdsByChannel.get(message.channel_id)?.delete(messageId);
  }

  roles(guild: LoopbackGuild): APIRole[] {
    const role = (id: string, name: string, permissions: bigint, position: number, managed: boolean): APIRole => ({
      id, name, permissions: permissions.toString(), position, managed, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false, mentionable: false, flags: NO_ROLE_FLAGS, ...(managed ? { tags: { bot_id: this.botUser.id } } : {}),
    });
    return [role(guild.everyoneRoleId, '@everyone', EVERYONE_PERMISSIONS, 0, false), role(guild.botRoleId, this.botUser.username, BOT_ROLE_PERMISSIONS | guild.botAllow, guild.botRolePosition, true), ...this.access.rolePayloads(guild.id, 2)];
  }

  /** The bot's server-wide permissions (its roles, no channel overwrites). */
  botGuildPermissions(guild: LoopbackGuild): bigint {
    return EVERYONE_PERMISSIONS | BOT_ROLE_PERMISSIONS | guild.botAllow;
  }

  /** The bot's effective permissions in a channel: roles, then its member overwrite (threads use the parent's). */
  botPermissions(channelId: string): bigint {
    const channel = this.channel(channelId);
    const source = isThread(channel) && channel.parentId ? this.channels.get(channel.parentId) ?? channel : channel;
    const guild = this.guild(channel.guildId);
    return (guild ? this.botGuildPermissions(guild) : EVERYONE_PERMISSIONS | BOT_ROLE_PERMISSIONS) & ~source.botDeny;
  }

  requirePermission(channelId: string, needed: bigint): void {
    if ((this.botPermissions(channelId) & needed) !== needed) throw new ApiError(403, 50013, 'Missing Permissions');
  }

  channelPayload(c: LoopbackChannel): Json {
    const overwrites = [...(c.botDeny ? [{ id: this.botUser.id, type: 1, allow: '0', deny: c.botDeny.toString() }] : []), ...this.access.overwritePayloads(c.id)];
    const base: Json = { id: c.id, type: c.type, guild_id: c.guildId, name: c.name, parent_id: c.parentId, flags: c.flags ?? 0 };
    if (isThread(c)) {
      return { ...base, owner_id: c.ownerId, ...(c.appliedTags ? { applied_tags: c.appliedTags } : {}), member_count: 1, message_count: this.messagesIn(c.id).length, total_message_sent: this.messagesIn(c.id).length, rate_limit_per_user: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() } };
    }
    const position = this.guild(c.guildId)?.channels.indexOf(c) ?? 0;
    const forum = c.type === ChannelType.GuildForum
      ? { available_tags: c.tags ?? [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0, default_thread_rate_limit_per_user: 0, default_auto_archive_duration: 1440 }
      : {};
    return { ...base, position, permission_overwrites: overwrites, topic: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null, ...forum };
  }

  memberPayload(member: LoopbackMember): Json {
    return { user: member.user, roles: member.roles, permissions: member.permissions, joined_at: new Date(GUILD_ID_BASE_MS).toISOString(), nick: null, avatar: null, banner: null, deaf: false, mute: false, flags: 0, pending: false, premium_since: null, communication_disabled_until: null };
  }

  botMemberPayload(guild: LoopbackGuild): Json {
    return { user: this.botUser, roles: [guild.botRoleId], joined_at: new Date(GUILD_ID_BASE_MS).toISOString(), nick: null, avatar: null, banner: null, deaf: false, mute: false, flags: 0, pending: false, premium_since: null, communication_disabled_until: null };
  }

  /** The GUILD_CREATE / GET /guilds/:id shape discord.js builds a full Guild from. */
  guildPayload(guild: LoopbackGuild, forGateway: boolean): Json {
    const channels = guild.channels.filter((c) => !isThread(c));
    const payload: Json = {
      id: guild.id, name: guild.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null, owner_id: guild.ownerId,
      afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
      roles: this.roles(guild), emojis: [], stickers: [], features: [], mfa_level: 0, application_id: null, system_channel_id: channels[0]?.id ?? null,
      system_channel_flags: 0, rules_channel_id: null, public_updates_channel_id: null, safety_alerts_channel_id: null, vanity_url_code: null,
      premium_tier: 0, premium_subscription_count: 0, preferred_locale: guild.locale, nsfw_level: 0, premium_progress_bar_enabled: false, max_members: 500000, max_video_channel_users: 25,
    };
    if (!forGateway) return payload;
    return {
      ...payload, joined_at: new Date(GUILD_ID_BASE_MS).toISOString(), large: false, unavailable: false, member_count: 1 + this.members.size,
      voice_states: [], members: [this.botMemberPayload(guild)], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
      channels: channels.map((c) => this.channelPayload(c)), threads: guild.channels.filter(isThread).map((c) => this.channelPayload(c)),
    };
  }

  /** A message with nothing in it yet (the deferred "thinking…" message starts like this). */
  blankMessage(channelId: string, extra: Partial<APIMessage> = {}): APIMessage {
    const message = this.#blank(channelId, extra);
    this.#store(message);
    this.changed();
    return message;
  }

  #blank(channelId: string, extra: Partial<APIMessage>): APIMessage {
    return {
      id: this.ids.next(), channel_id: channelId, author: this.botUser, content: '', timestamp: new Date().toISOString(), edited_timestamp: null,
      tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, type: MessageType.Default, ...extra,
    };
  }

  /**
   * Validates a message body and stores the result. `files` come from multipart uploads; `existing` makes
   * this an edit with Discord's PATCH semantics (omitted fields are kept, null clears).
   */
  writeMessage(body: Json, files: RecordedFile[], at: { channelId: string; existing?: APIMessage; extra?: Partial<APIMessage>; errorBase?: Array<string | number> }): APIMessage {
    const prev = at.existing;
    const field = (key: string, cleared: unknown): unknown => (body[key] === undefined ? undefined : (body[key] ?? cleared));
    const attachments = this.#attachments(body, files, prev?.attachments ?? []);
    // Only these flags are settable by the sender; ephemerality is fixed once the message exists.
    const settable = (typeof body.flags === 'number' ? body.flags : (prev?.flags ?? 0)) & (FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2 | FLAG_EPHEMERAL);
    const flags = prev ? ((prev.flags ?? 0) & FLAG_EPHEMERAL) | (settable & ~FLAG_EPHEMERAL) : settable;
    const merged = {
      content: field('content', '') ?? prev?.content,
      embeds: field('embeds', []) ?? prev?.embeds,
      components: field('components', []) ?? prev?.components,
      attachments: attachments.length,
      attachmentNames: attachments.map((a) => a.filename),
      flags,
      ...(prev ? { previousFlags: prev.flags ?? 0 } : {}),
    };
    validateMessage(body, merged, at.errorBase);
    const reference = !prev && isRecord(body.message_reference) ? this.#reference(body.message_reference, at.channelId, at.errorBase ?? []) : undefined;
    const message: APIMessage = {
      ...(prev ?? this.#blank(at.channelId, { tts: body.tts === true, type: reference ? MessageType.Reply : MessageType.Default })),
      ...at.extra,
      content: typeof merged.content === 'string' ? merged.content : '',
      // Validated above; like Discord, the loopback echoes back what the bot sent.
      embeds: (Array.isArray(merged.embeds) ? merged.embeds : []) as APIEmbed[],
      components: (Array.isArray(merged.components) ? merged.components : []) as APIMessageTopLevelComponent[],
      attachments,
      flags,
      edited_timestamp: prev ? new Date().toISOString() : null,
      ...reference,
    };
    // A new message notifies, and so does the edit that turns a deferred "thinking…" message into the reply.
    if (!prev || ((prev.flags ?? 0) & FLAG_LOADING) !== 0) this.#recordPings(message, body, at.errorBase);
    this.#store(message);
    this.changed();
    return message;
  }

  #recordPings(message: APIMessage, body: Json, errorBase: Array<string | number> | undefined): void {
    const guild = this.guild(this.channels.get(message.channel_id)?.guildId ?? '');
    const pings = computePings({
      // In a Components V2 message the Text Displays are the content, and they ping as content does.
      content: [message.content, ...textDisplays(message.components)].join('\n'), allowedMentions: body.allowed_mentions, authorId: message.author.id,
      repliedAuthorId: message.referenced_message?.author.id, guildRoleIds: guild ? this.roles(guild).map((r) => r.id) : [], ...(errorBase ? { errorBase } : {}),
    });
    // Who a role mention reached: the members holding a pinged role when it was posted.
    this.roleReach.set(message.id, [...this.members.values()].filter((m) => m.roles.some((r) => pings.roles.includes(r))).map((m) => m.id));
    this.pings.set(message.id, pings);
    Object.assign(message, mentionFields(pings, (id) => this.users.get(id)));
  }

  #attachments(body: Json, files: RecordedFile[], previous: APIAttachment[]): APIAttachment[] {
    const listed = records(body.attachments);
    const kept = 'attachments' in body ? previous.filter((a) => listed.some((l) => String(l.id) === a.id)) : previous;
    const tooLarge = files.find((file) => file.data.length > ATTACHMENT_SIZE_LIMIT);
    if (tooLarge) throw new ApiError(413, 40005, 'Request entity too large');
    const uploaded = files.map((file, i): APIAttachment => {
      const id = this.ids.next();
      this.files.set(id, file);
      const meta = listed.find((l) => String(l.id) === String(i));
      return {
        id, filename: str(meta?.filename) ?? file.filename, size: file.data.length, content_type: file.contentType,
        url: `https://cdn.discordapp.invalid/attachments/${id}/${file.filename}`, proxy_url: `https://media.discordapp.invalid/attachments/${id}/${file.filename}`,
        ...(typeof meta?.description === 'string' ? { description: meta.description } : {}),
      };
    });
    return [...kept, ...uploaded];
  }

  #reference(ref: Json, channelId: string, errorBase: Array<string | number>): Partial<APIMessage> {
    const messageId = str(ref.message_id) ?? '';
    const refChannel = str(ref.channel_id) ?? channelId;
    const target = this.messages.get(messageId);
    if ((!target || target.channel_id !== refChannel) && ref.fail_if_not_exists !== false) {
      throw new ApiError(400, 50035, 'Invalid Form Body', nest([...errorBase, 'message_reference'], { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] }));
    }
    const guildId = this.channels.get(refChannel)?.guildId;
    return { message_reference: { type: 0, message_id: messageId, channel_id: refChannel, ...(guildId ? { guild_id: guildId } : {}) }, referenced_message: target ?? null };
  }

  /**
   * enforce_nonce: the bot's message posted in this channel with `nonce` within `windowMs` of the
   * nonce clock, if it still exists. Past the window a repeated nonce posts again, as on Discord.
   */
  recallNonce(channelId: string, nonce: string | number, windowMs: number): APIMessage | undefined {
    const seen = this.#nonces.get(`${channelId}:${nonce}`);
    if (!seen || this.#nonceClock() - seen.at >= windowMs) return undefined;
    const message = this.messages.get(seen.messageId);
    return message?.author.id === this.botUser.id ? message : undefined;
  }

  rememberNonce(channelId: string, nonce: string | number, messageId: string): void {
    this.#nonces.set(`${channelId}:${nonce}`, { messageId, at: this.#nonceClock() });
  }

  deleteMessage(messageId: string): APIMessage | undefined {
    const message = this.messages.get(messageId);
    this.#forget(messageId);
    this.changed();
    return message;
  }

  /** Removes the channel, its threads and their messages. Returns the removed channel. */
  deleteChannel(channelId: string): LoopbackChannel {
    const channel = this.channel(channelId);
    const guild = this.guild(channel.guildId);
    const doomed = new Set([channelId, ...[...this.channels.values()].filter((c) => c.parentId === channelId && isThread(c)).map((c) => c.id)]);
    for (const id of doomed) this.channels.delete(id);
    if (guild) guild.channels = guild.channels.filter((c) => !doomed.has(c.id));
    for (const id of doomed) {
      for (const messageId of this.#messageIdsByChannel.get(id) ?? []) this.messages.delete(messageId);
      this.#messageIdsByChannel.delete(id);
    }
    this.changed();
    return channel;
  }

  addChannel(channel: LoopbackChannel): void {
    this.channels.set(channel.id, channel);
    this.guild(channel.guildId)?.channels.push(channel);
    this.changed();
  }

  /** Global commands plus the guild's own, guild ones first (they shadow globals of the same name). */
  commandsFor(guildId: string): APIApplicationCommand[] {
    return [...(this.guildCommands.get(guildId) ?? []), ...this.globalCommands];
  }
}

function nest(path: Array<string | number>, leaf: ErrorTree): ErrorTree {
  return path.reduceRight<ErrorTree>((inner, key) => ({ [String(key)]: inner }), leaf);
}
