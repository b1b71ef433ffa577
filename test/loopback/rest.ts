/** Bot-token REST routes: discovery, users, guilds, channels, messages, threads, command registration. */
import { ChannelFlags, ChannelType, GatewayIntentBits, MessageFlags, PermissionFlagsBits, type APIApplicationCommand, type APIMessage } from 'discord-api-types/v10';
import type { Gateway } from './gateway.js';
import type { RequestContext, Router } from './server.js';
import { isThread, type LoopbackChannel, type LoopbackGuild, type LoopbackState } from './state.js';
import { ApiError, isRecord, num, str, unknownMessage, type Json } from './util.js';
import { FLAG_EPHEMERAL, validateCommands, validateThreadName } from './validate.js';

export interface RestDeps {
  state: LoopbackState;
  gateway: Gateway;
  gatewayUrl: () => string;
  recommendedShards: number;
}

const ok = (body: unknown, status = 200): { status: number; body: unknown } => ({ status, body });

const NONCE_WINDOW_MS = 5 * 60_000;

export function registerRestRoutes(router: Router, { state, gateway, gatewayUrl, recommendedShards }: RestDeps): void {
  const guildOf = (ctx: RequestContext): LoopbackGuild => {
    const guild = state.guild(ctx.param('guild'));
    if (!guild) throw new ApiError(404, 10004, 'Unknown Guild');
    return guild;
  };
  const appOf = (ctx: RequestContext): void => {
    if (ctx.param('app') !== state.applicationId) throw new ApiError(403, 50001, 'Missing Access');
  };
  /** Ephemeral messages belong to the interaction webhook; channel routes cannot see them. */
  const channelMessage = (ctx: RequestContext): APIMessage => {
    const message = state.message(ctx.param('channel'), ctx.param('message'));
    if ((message.flags ?? 0) & FLAG_EPHEMERAL) throw unknownMessage();
    return message;
  };
  const sendPermission = (channel: LoopbackChannel): bigint => (isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages);

  router.add('GET', '/gateway/bot', () =>
    ok({ url: gatewayUrl(), shards: recommendedShards, session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 16 } }),
  );
  router.add('GET', '/applications/@me', () =>
    ok({ id: state.applicationId, name: state.botUser.username, icon: null, description: '', summary: '', bot_public: true, bot_require_code_grant: false, verify_key: '0'.repeat(64), flags: 0, bot: state.botUser, owner: state.botUser, team: null, approximate_guild_count: state.guilds.length, tags: [], integration_types_config: { 0: {} } }),
  );
  router.add('GET', '/users/@me', () => ok(state.botUser));
  router.add('GET', '/users/:user', (ctx) => {
    const user = state.users.get(ctx.param('user'));
    if (!user) throw new ApiError(404, 10013, 'Unknown User');
    return ok(user);
  });

  router.add('GET', '/guilds/:guild', (ctx) => {
    const guild = guildOf(ctx);
    const counts = ctx.query.get('with_counts') === 'true' ? { approximate_member_count: 1 + state.members.size, approximate_presence_count: 1 } : {};
    return ok({ ...state.guildPayload(guild, false), ...counts });
  });
  router.add('GET', '/guilds/:guild/channels', (ctx) => ok(guildOf(ctx).channels.filter((c) => !isThread(c)).map((c) => state.channelPayload(c))));
  router.add('GET', '/guilds/:guild/members/:user', (ctx) => {
    const guild = guildOf(ctx);
    if (ctx.param('user') === state.botUser.id) return ok(state.botMemberPayload(guild));
    const member = state.members.get(ctx.param('user'));
    if (!member) throw new ApiError(404, 10007, 'Unknown Member');
    const { permissions: _inChannelOnly, ...rest } = state.memberPayload(member);
    return ok(rest);
  });
  router.add('GET', '/channels/:channel', (ctx) => ok(state.channelPayload(state.channel(ctx.param('channel')))));

  router.add('POST', '/channels/:channel/messages', (ctx) => {
    const channel = state.channel(ctx.param('channel'));
    if (channel.type === ChannelType.GuildForum) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    state.requirePermission(channel.id, sendPermission(channel));
    if (Array.isArray(ctx.fields.embeds) && ctx.fields.embeds.length > 0) state.requirePermission(channel.id, PermissionFlagsBits.EmbedLinks);
    if (ctx.files.length > 0) state.requirePermission(channel.id, PermissionFlagsBits.AttachFiles);
    // enforce_nonce: a repeated nonce from the same author within a few minutes returns the first message.
    const nonce = ctx.fields.enforce_nonce === true ? ctx.fields.nonce : undefined;
    if (typeof nonce === 'string' || typeof nonce === 'number') {
      const earlier = state.recallNonce(channel.id, nonce, NONCE_WINDOW_MS);
      if (earlier) return ok(earlier);
    }
    // Only interaction responses can be ephemeral.
    const body = typeof ctx.fields.flags === 'number' ? { ...ctx.fields, flags: ctx.fields.flags & ~FLAG_EPHEMERAL } : ctx.fields;
    const message = state.writeMessage(body, ctx.files, { channelId: channel.id });
    if (typeof nonce === 'string' || typeof nonce === 'number') {
      message.nonce = nonce;
      state.rememberNonce(channel.id, nonce, message.id);
    }
    gateway.messageEvent('MESSAGE_CREATE', message);
    return ok(message);
  });
  router.add('GET', '/channels/:channel/messages', (ctx) => {
    const channel = state.channel(ctx.param('channel'));
    state.requirePermission(channel.id, PermissionFlagsBits.ReadMessageHistory);
    const [before, after] = [ctx.query.get('before'), ctx.query.get('after')].map((id) => (id ? BigInt(id) : undefined));
    const limit = Math.min(100, Number(ctx.query.get('limit') ?? 50));
    const list = state.messagesIn(channel.id).filter((m) => !((m.flags ?? 0) & FLAG_EPHEMERAL) && (before === undefined || BigInt(m.id) < before) && (after === undefined || BigInt(m.id) > after));
    // Newest first, like Discord. With `after` alone, Discord answers the `limit` messages right
    // after it (so a reader pages forward from the newest id of each answer), still newest first.
    const page = after !== undefined && before === undefined ? list.slice(0, limit) : list.slice(-limit);
    return ok(page.reverse());
  });
  router.add('GET', '/channels/:channel/messages/:message', (ctx) => {
    state.requirePermission(ctx.param('channel'), PermissionFlagsBits.ReadMessageHistory);
    return ok(channelMessage(ctx));
  });
  router.add('PATCH', '/channels/:channel/messages/:message', (ctx) => {
    const existing = channelMessage(ctx);
    if (existing.author.id !== state.botUser.id) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
    const message = state.writeMessage(ctx.fields, ctx.files, { channelId: existing.channel_id, existing });
    gateway.messageEvent('MESSAGE_UPDATE', message);
    return ok(message);
  });
  router.add('DELETE', '/channels/:channel/messages/:message', (ctx) => {
    const existing = channelMessage(ctx);
    if (existing.author.id !== state.botUser.id) state.requirePermission(existing.channel_id, PermissionFlagsBits.ManageMessages);
    state.deleteMessage(existing.id);
    gateway.messageDeleted(existing);
    return { status: 204 };
  });

  router.add('POST', '/channels/:channel/messages/:message/crosspost', (ctx) => {
    const message = channelMessage(ctx);
    if (state.channel(message.channel_id).type !== ChannelType.GuildAnnouncement) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    // Publishing one's own message takes Send Messages; anyone else's, Manage Messages.
    state.requirePermission(message.channel_id, message.author.id === state.botUser.id ? PermissionFlagsBits.SendMessages : PermissionFlagsBits.ManageMessages);
    if ((message.flags ?? 0) & MessageFlags.Crossposted) throw new ApiError(400, 40033, 'This message has already been crossposted.');
    message.flags = (message.flags ?? 0) | MessageFlags.Crossposted;
    state.changed();
    gateway.messageEvent('MESSAGE_UPDATE', message);
    return ok(message);
  });

  const createThread = (ctx: RequestContext, parent: LoopbackChannel, fromMessage: APIMessage | undefined): { status: number; body: unknown } => {
    validateThreadName(ctx.fields.name);
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    const announcement = parent.type === ChannelType.GuildAnnouncement;
    const type = announcement ? ChannelType.AnnouncementThread : fromMessage ? ChannelType.PublicThread : (num(ctx.fields.type) ?? ChannelType.PrivateThread);
    state.requirePermission(parent.id, type === ChannelType.PrivateThread ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads);
    // A thread started from a message shares the message's id, as on Discord.
    const thread: LoopbackChannel = { id: fromMessage?.id ?? state.ids.next(), guildId: parent.guildId, name: str(ctx.fields.name) ?? '', type, parentId: parent.id, botDeny: 0n, ownerId: state.botUser.id };
    if (state.channels.has(thread.id)) throw new ApiError(400, 160004, 'A thread has already been created for this message');
    state.addChannel(thread);
    const payload = state.channelPayload(thread);
    gateway.dispatchGuildEvent(thread.guildId, 'THREAD_CREATE', { ...payload, newly_created: true }, GatewayIntentBits.Guilds);
    return ok(payload, 201);
  };
  router.add('POST', '/channels/:channel/threads', (ctx) => {
    const parent = state.channel(ctx.param('channel'));
    return parent.type === ChannelType.GuildForum ? createForumPost(ctx, parent) : createThread(ctx, parent, undefined);
  });

  /** A forum post: a public thread and its first message (same id), with the forum's tags checked as Discord does. */
  const createForumPost = (ctx: RequestContext, forum: LoopbackChannel): { status: number; body: unknown } => {
    validateThreadName(ctx.fields.name);
    // In a forum, Send Messages is "Create Posts".
    state.requirePermission(forum.id, PermissionFlagsBits.SendMessages);
    const body = ctx.fields.message;
    if (!isRecord(body)) throw new ApiError(400, 50035, 'Invalid Form Body', { message: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } });
    if (Array.isArray(body.embeds) && body.embeds.length > 0) state.requirePermission(forum.id, PermissionFlagsBits.EmbedLinks);
    const tags = Array.isArray(ctx.fields.applied_tags) ? ctx.fields.applied_tags.map(String) : [];
    const known = forum.tags ?? [];
    if (tags.length > 5 || tags.some((id) => !known.some((t) => t.id === id))) {
      throw new ApiError(400, 50035, 'Invalid Form Body', { applied_tags: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of the forum\'s tags, at most 5' }] } });
    }
    if (tags.some((id) => known.find((t) => t.id === id)?.moderated) && (state.botPermissions(forum.id) & PermissionFlagsBits.ManageThreads) === 0n) throw new ApiError(403, 50013, 'Missing Permissions');
    if (((forum.flags ?? 0) & ChannelFlags.RequireTag) !== 0 && tags.length === 0) throw new ApiError(400, 40067, 'A tag is required to create a forum post in this channel');
    const thread: LoopbackChannel = { id: state.ids.next(), guildId: forum.guildId, name: str(ctx.fields.name) ?? '', type: ChannelType.PublicThread, parentId: forum.id, botDeny: 0n, ownerId: state.botUser.id, appliedTags: tags };
    state.addChannel(thread);
    let message: APIMessage;
    try {
      message = state.writeMessage(body, ctx.files, { channelId: thread.id, extra: { id: thread.id }, errorBase: ['message'] });
    } catch (error) {
      state.deleteChannel(thread.id); // a refused first message creates no post
      throw error;
    }
    const payload = state.channelPayload(thread);
    gateway.dispatchGuildEvent(thread.guildId, 'THREAD_CREATE', { ...payload, newly_created: true }, GatewayIntentBits.Guilds);
    gateway.messageEvent('MESSAGE_CREATE', message);
    return ok({ ...payload, message }, 201);
  };

  router.add('GET', '/guilds/:guild/threads/active', (ctx) => ok({ threads: guildOf(ctx).channels.filter(isThread).map((c) => state.channelPayload(c)), members: [] }));

  /** Adding or removing a member's role: Manage Roles, and only roles below the bot's own (as Discord checks). */
  const memberRole = (ctx: RequestContext, add: boolean): { status: number } => {
    const guild = guildOf(ctx);
    const role = state.roles(guild).find((r) => r.id === ctx.param('role'));
    if (!role) throw new ApiError(404, 10011, 'Unknown Role');
    const member = state.members.get(ctx.param('user'));
    if (!member) throw new ApiError(404, 10007, 'Unknown Member');
    const perms = state.botGuildPermissions(guild);
    const canManage = (perms & PermissionFlagsBits.Administrator) !== 0n || (perms & PermissionFlagsBits.ManageRoles) !== 0n;
    if (!canManage || role.managed || role.id === guild.everyoneRoleId || role.position >= guild.botRolePosition) throw new ApiError(403, 50013, 'Missing Permissions');
    member.roles = add ? [...new Set([...member.roles, role.id])] : member.roles.filter((r) => r !== role.id);
    state.changed();
    return { status: 204 };
  };
  router.add('PUT', '/guilds/:guild/members/:user/roles/:role', (ctx) => memberRole(ctx, true));
  router.add('DELETE', '/guilds/:guild/members/:user/roles/:role', (ctx) => memberRole(ctx, false));
  router.add('POST', '/channels/:channel/messages/:message/threads', (ctx) => createThread(ctx, state.channel(ctx.param('channel')), channelMessage(ctx)));

  const storeCommands = (list: Json[], previous: APIApplicationCommand[], guildId?: string): APIApplicationCommand[] =>
    list.map((cmd) => {
      const type = num(cmd.type) ?? 1;
      const kept = previous.find((p) => p.name === cmd.name && p.type === type);
      // Validated by validateCommands; stored as Discord echoes it, with the fields Discord fills in.
      return {
        default_member_permissions: null, nsfw: false, contexts: null, integration_types: [0], description: '', ...cmd,
        id: kept?.id ?? state.ids.next(), application_id: state.applicationId, version: state.ids.next(), type, ...(guildId ? { guild_id: guildId } : {}),
      } as APIApplicationCommand;
    });
  router.add('GET', '/applications/:app/commands', (ctx) => (appOf(ctx), ok(state.globalCommands)));
  router.add('PUT', '/applications/:app/commands', (ctx) => {
    appOf(ctx);
    state.globalCommands = storeCommands(validateCommands(ctx.body), state.globalCommands);
    state.changed();
    return ok(state.globalCommands);
  });
  router.add('GET', '/applications/:app/guilds/:guild/commands', (ctx) => (appOf(ctx), ok(state.guildCommands.get(guildOf(ctx).id) ?? [])));
  router.add('PUT', '/applications/:app/guilds/:guild/commands', (ctx) => {
    appOf(ctx);
    const guild = guildOf(ctx);
    const stored = storeCommands(validateCommands(ctx.body), state.guildCommands.get(guild.id) ?? [], guild.id);
    state.guildCommands.set(guild.id, stored);
    state.changed();
    return ok(stored);
  });
}
