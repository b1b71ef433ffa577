/**
 * A Discord-compatible server on 127.0.0.1 that an unmodified discord.js Client logs into, for journey
 * tests. See README.md in this folder.
 */
import { createServer, type Server } from 'node:http';
import { GatewayIntentBits, PermissionFlagsBits, type APIApplicationCommand, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { Gateway, type GatewaySessionInfo } from './gateway.js';
import { Interactions, type AutocompleteInput, type CommandInput, type InteractionHandle, type MemberInput, type ModalInput, type SelectInput, type ComponentInput } from './interactions.js';
import { registerResponseRoutes } from './responses.js';
import { registerRestRoutes } from './rest.js';
import { GlobalRateLimit, RateLimitHeaders, Router, createRequestListener } from './server.js';
import { LoopbackState, isThread, type GuildSpec, type LoopbackGuild, type LoopbackMember, type RateLimitedRequest, type RecordedRequest, type Violation } from './state.js';
import type { OverwriteSpec } from './access.js';
import { NO_PINGS, type Pings } from './mentions.js';
import { ApiError, flattenErrors, waitUntil } from './util.js';

export type { AutocompleteInput, CommandInput, ComponentInput, InteractionCallback, InteractionHandle, MemberInput, ModalInput, OptionValue, SelectInput } from './interactions.js';
export type { ChannelSpec, GuildSpec, LoopbackChannel, LoopbackGuild, LoopbackMember, RateLimitedRequest, RecordedRequest, Violation } from './state.js';
export type { GatewaySessionInfo } from './gateway.js';
export type { OverwriteSpec } from './access.js';
export { hasPings, type Pings } from './mentions.js';
export { accentsOf, controlsOf, fieldsOf, smallPrintOf, textOf, titleOf } from './read.js';

export interface LoopbackOptions {
  /** Token the bot must present (REST `Authorization: Bot <token>` and gateway IDENTIFY). */
  token?: string;
  /** Also the bot user's id, as on Discord. */
  applicationId?: string;
  /** Defaults to one guild with a `general` text channel and an `announcements` channel. */
  guilds?: GuildSpec[];
  /** Clock for the interaction windows (3 s to respond, 15 min token); ids and timestamps use real time. */
  now?: () => number;
  /**
   * Clock for enforce_nonce's dedupe window (Discord: a few minutes); defaults to `now`. Journeys
   * pass their fake clock, so a repeated nonce after a simulated long downtime posts a second message.
   */
  nonceClock?: () => number;
  /** HELLO heartbeat_interval (Discord: ~41 s). Lower it to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** `shards` advertised by GET /gateway/bot, used by clients with `shards: 'auto'`. */
  recommendedShards?: number;
  /** Default timeout of every wait helper. */
  timeoutMs?: number;
  /** Shape of the per-route X-RateLimit-* headers (one bucket per route and channel / guild / webhook). Not enforced. */
  rateLimit?: { limit?: number; resetAfterMs?: number };
  /**
   * Discord's global rate limit, enforced: a bot-token request beyond `perSecond` per window (1 s) is
   * answered 429 `{ global: true }` with `Retry-After` and `X-RateLimit-Global`, and listed in
   * `rateLimited`. Interaction callbacks and `/webhooks/...` are exempt, as on Discord. Off by default.
   * `window: 'fixed'` (default) opens a window with the first request, as @discordjs/rest assumes;
   * `'sliding'` refuses more than `perSecond` in any `windowMs`.
   */
  globalRateLimit?: { perSecond: number; windowMs?: number; window?: 'fixed' | 'sliding' };
}

const FORBIDDEN_WHEN_LOCKED = PermissionFlagsBits.SendMessages | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.CreatePublicThreads | PermissionFlagsBits.CreatePrivateThreads;

export class Loopback {
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: readonly LoopbackGuild[];
  readonly #state: LoopbackState;
  readonly #server: Server;
  readonly #gateway: Gateway;
  readonly #interactions: Interactions;
  readonly #timeoutMs: number;
  #closed = false;

  /** Use startLoopbackDiscord(). */
  constructor(parts: { state: LoopbackState; server: Server; gateway: Gateway; interactions: Interactions; port: number; timeoutMs: number }) {
    this.#state = parts.state;
    this.#server = parts.server;
    this.#gateway = parts.gateway;
    this.#interactions = parts.interactions;
    this.#timeoutMs = parts.timeoutMs;
    this.apiUrl = `http://127.0.0.1:${parts.port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${parts.port}`;
    this.token = this.#state.token;
    this.applicationId = this.#state.applicationId;
    this.botUser = this.#state.botUser;
    this.guilds = this.#state.guilds;
  }

  /** Every REST call, in order, with its parsed body and the status answered. */
  get requests(): readonly RecordedRequest[] {
    return this.#state.requests;
  }

  /** Calls that matched no route (answered 404), i.e. what the loopback does not implement. */
  get unhandled(): ReadonlyArray<{ method: string; path: string }> {
    return this.#state.unhandled;
  }

  /** Requests answered 429 by the global rate limit (`globalRateLimit` option), in order. */
  get rateLimited(): readonly RateLimitedRequest[] {
    return this.#state.rateLimited;
  }

  /** 4xx answers for payloads Discord would refuse (50035, 50006, 40060, 10062). */
  get violations(): readonly Violation[] {
    return this.#state.violations;
  }

  /** Gateway sessions currently connected and past READY + GUILD_CREATE. */
  get sessions(): GatewaySessionInfo[] {
    return this.#gateway.readySessions;
  }

  /** Resolves once `count` sessions are connected and have been sent all their guilds. */
  async waitForReady(count = 1, timeoutMs = this.#timeoutMs): Promise<void> {
    await waitUntil(this.#state, () => (this.sessions.length >= count ? true : undefined), timeoutMs, `${count} ready gateway session(s)`);
  }

  member(input?: MemberInput): LoopbackMember {
    return this.#interactions.member(input);
  }

  sendCommand(input: CommandInput): InteractionHandle {
    return this.#interactions.sendCommand(input);
  }

  sendAutocomplete(input: AutocompleteInput): InteractionHandle {
    return this.#interactions.sendAutocomplete(input);
  }

  clickButton(input: ComponentInput): InteractionHandle {
    return this.#interactions.clickButton(input);
  }

  selectMenu(input: SelectInput): InteractionHandle {
    return this.#interactions.selectMenu(input);
  }

  /** Fills in and submits the modal the bot showed in answer to `input.shownBy`. */
  submitModal(input: ModalInput): InteractionHandle {
    return this.#interactions.submitModal(input);
  }

  /** Registered commands: the guild's own when `guildId` is given, else the global ones. */
  commands(guildId?: string): APIApplicationCommand[] {
    return structuredClone(guildId ? (this.#state.guildCommands.get(guildId) ?? []) : this.#state.globalCommands);
  }

  /** Messages currently in a channel (ephemeral ones included: check `flags & 64`), oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return structuredClone(this.#state.messagesIn(channelId));
  }

  message(messageId: string): APIMessage | undefined {
    const message = this.#state.messages.get(messageId);
    return message && structuredClone(message);
  }

  /** The files a message carries, as the bot uploaded them (multipart), in the order of its attachments. */
  filesOf(messageId: string): Array<{ filename: string; contentType: string; data: Buffer }> {
    const message = this.#state.messages.get(messageId);
    return (message?.attachments ?? []).flatMap((a) => {
      const file = this.#state.files.get(a.id);
      return file ? [{ filename: a.filename, contentType: file.contentType, data: Buffer.from(file.data) }] : [];
    });
  }

  /** Whom the message pinged when it was posted, by Discord's `allowed_mentions` rules (see mentions.ts). */
  pingsOf(messageId: string): Pings {
    return structuredClone(this.#state.pings.get(messageId) ?? NO_PINGS);
  }

  /** First message, existing or future, matching `predicate`. */
  waitForMessage(predicate: (message: APIMessage) => boolean, timeoutMs = this.#timeoutMs): Promise<APIMessage> {
    return waitUntil(this.#state, () => {
      const found = [...this.#state.messages.values()].find(predicate);
      return found && structuredClone(found);
    }, timeoutMs, `a message matching ${predicate.toString().replace(/\s+/g, ' ').slice(0, 120)}`);
  }

  /**
   * A member posting `content` in a channel (chatter the bot does not take part in): it pushes the
   * bot's own posts down the channel's history, as a busy channel does. Not dispatched (tamasha asks
   * for no message events); the bot sees it by reading the channel's messages.
   */
  postAsMember(channelId: string, member: LoopbackMember, content: string): APIMessage {
    this.#state.channel(channelId);
    const message = this.#state.writeMessage({ content }, [], { channelId, extra: { author: member.user } });
    return structuredClone(message);
  }

  /** A user or moderator deleting a message: later bot calls on it get 10008 Unknown Message. */
  deleteMessage(messageId: string): void {
    const message = this.#state.deleteMessage(messageId);
    if (message) this.#gateway.messageDeleted(message);
  }

  /** Deletes a channel (and its threads): the bot gets CHANNEL_DELETE, later calls get 10003 Unknown Channel. */
  deleteChannel(channelId: string): void {
    const channel = this.#state.channel(channelId);
    const payload = this.#state.channelPayload(channel);
    this.#state.deleteChannel(channelId);
    const event = isThread(channel) ? 'THREAD_DELETE' : 'CHANNEL_DELETE';
    this.#gateway.dispatchGuildEvent(channel.guildId, event, payload, GatewayIntentBits.Guilds);
  }

  /** Denies the bot `permissions` in a channel (a member overwrite, sent as CHANNEL_UPDATE); REST then answers 403 50013. */
  denyPermission(channelId: string, permissions: bigint): void {
    const channel = this.#state.channel(channelId);
    channel.botDeny |= permissions;
    this.#channelUpdated(channelId);
  }

  /** Gives back permissions taken with denyPermission (sent as CHANNEL_UPDATE). */
  allowPermission(channelId: string, permissions: bigint): void {
    const channel = this.#state.channel(channelId);
    channel.botDeny &= ~permissions;
    this.#channelUpdated(channelId);
  }

  /**
   * A server role members can be given (`member({ roles })`); sent as GUILD_ROLE_CREATE. Returns its id.
   * `position` defaults to above the bot's role (2, 3… in order of creation): give a lower one than the
   * bot's (see setBotRole) for a role the bot may hand out.
   */
  addRole(guildId: string, input: { name: string; permissions?: bigint; position?: number; mentionable?: boolean }): string {
    const id = this.#state.ids.next();
    this.#state.access.addRole(guildId, { id, name: input.name, permissions: input.permissions ?? 0n, ...(input.position === undefined ? {} : { position: input.position }), ...(input.mentionable === undefined ? {} : { mentionable: input.mentionable }) });
    const guild = this.#state.guild(guildId);
    const role = guild && this.#state.roles(guild).find((r) => r.id === id);
    this.#gateway.dispatchGuildEvent(guildId, 'GUILD_ROLE_CREATE', { guild_id: guildId, role }, GatewayIntentBits.Guilds);
    this.#state.changed();
    return id;
  }

  /**
   * The bot's own role: extra server-wide permissions (`allow`, e.g. Manage Roles) and its position
   * (it may add and remove only roles below it). Sent as GUILD_ROLE_UPDATE.
   */
  setBotRole(guildId: string, input: { allow?: bigint; position?: number }): void {
    const guild = this.#state.guild(guildId);
    if (!guild) throw new Error(`No guild ${guildId}`);
    if (input.allow !== undefined) guild.botAllow = input.allow;
    if (input.position !== undefined) guild.botRolePosition = input.position;
    const role = this.#state.roles(guild).find((r) => r.id === guild.botRoleId);
    this.#gateway.dispatchGuildEvent(guildId, 'GUILD_ROLE_UPDATE', { guild_id: guildId, role }, GatewayIntentBits.Guilds);
    this.#state.changed();
  }

  /**
   * Refuses the next `method` request whose path (after /api/v10) matches `path`, with Discord's error
   * `code` and `status`: for a refusal the world does not otherwise model (a publish Discord turned down).
   */
  refuseNext(method: string, path: RegExp, error: { status: number; code: number; message: string }): void {
    this.#state.refusals.push({ method, path, error: new ApiError(error.status, error.code, error.message) });
  }

  /** The roles a member has now (the bot may have added or removed some). */
  rolesOf(memberId: string): string[] {
    return [...(this.#state.members.get(memberId)?.roles ?? [])];
  }

  /** The members a message reached through the roles it pinged, as they were when it was posted. */
  reachedThroughRoles(messageId: string): string[] {
    return [...(this.#state.roleReach.get(messageId) ?? [])];
  }

  /**
   * A channel permission overwrite for a role (the guild id for @everyone) or a member, sent as
   * CHANNEL_UPDATE. Members' interaction `permissions` follow it; the bot's own do not (use denyPermission).
   */
  setOverwrite(channelId: string, overwrite: OverwriteSpec): void {
    this.#state.channel(channelId);
    this.#state.access.setOverwrite(channelId, overwrite);
    this.#channelUpdated(channelId);
  }

  /** Shorthand: the bot may (not) post or start threads in the channel. */
  setChannelForbidden(channelId: string, forbidden = true): void {
    const channel = this.#state.channel(channelId);
    channel.botDeny = forbidden ? channel.botDeny | FORBIDDEN_WHEN_LOCKED : channel.botDeny & ~FORBIDDEN_WHEN_LOCKED;
    this.#channelUpdated(channelId);
  }

  #channelUpdated(channelId: string): void {
    const channel = this.#state.channel(channelId);
    this.#gateway.dispatchGuildEvent(channel.guildId, isThread(channel) ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', this.#state.channelPayload(channel), GatewayIntentBits.Guilds);
    this.#state.changed();
  }

  /**
   * Discord closing the gateway on the bot with `code` (4004 token reset, 4010–4014 shard or intent
   * problems: codes discord.js does not retry). Returns how many sessions were closed.
   */
  closeGateway(code: number, reason = 'Closed by the loopback'): number {
    return this.#gateway.closeSessions(code, reason);
  }

  /**
   * Until called again with `undefined`, every IDENTIFY is answered by closing the socket with `code`:
   * Discord refusing a session before READY, while the bot is still logging in.
   */
  refuseIdentify(code: number | undefined, reason = 'Refused by the loopback'): void {
    this.#gateway.refuseIdentify = code === undefined ? undefined : { code, reason };
  }

  /** Returns the recorded violations and forgets them: for tests that provoke one on purpose. */
  takeViolations(): Violation[] {
    return this.#state.violations.splice(0);
  }

  /** Throws a readable list of every recorded violation. Meant for `afterEach`. */
  assertNoViolations(): void {
    const list = this.#state.violations;
    if (list.length === 0) return;
    const lines = list.flatMap((v) => [`${v.method} ${v.path} → ${v.status} ${v.code} ${v.message}`, ...(v.errors ? flattenErrors(v.errors).map((l) => `    ${l}`) : [])]);
    throw new Error(`Loopback Discord refused ${list.length} payload(s) as Discord would:\n  ${lines.join('\n  ')}`);
  }

  /**
   * Stops everything (HTTP, sockets, pending waits). Rejects, after closing, if a gateway session was still
   * open: that client would keep reconnecting, so destroy clients first.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#state.emit('closed');
    const open = await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#state.removeAllListeners();
    if (open > 0) throw new Error(`${open} gateway session(s) were still connected at loop.close(); call client.destroy() first`);
  }
}

export async function startLoopbackDiscord(opts: LoopbackOptions = {}): Promise<Loopback> {
  const state = new LoopbackState({
    token: opts.token ?? 'loopback.bot.token',
    applicationId: opts.applicationId ?? '1234567890123456789',
    guilds: opts.guilds ?? [{}],
    now: opts.now ?? Date.now,
    nonceClock: opts.nonceClock ?? opts.now ?? Date.now,
  });
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const router = new Router();
  const rateLimit = new RateLimitHeaders(opts.rateLimit?.limit ?? 5, opts.rateLimit?.resetAfterMs ?? 1_000);
  const globalLimit = opts.globalRateLimit ? new GlobalRateLimit(opts.globalRateLimit.perSecond, opts.globalRateLimit.windowMs, opts.globalRateLimit.window) : undefined;
  const listener = createRequestListener(state, router, rateLimit, globalLimit);
  const server = createServer((req, res) => void listener(req, res));
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;
  const gateway = new Gateway(server, state, { url: gatewayUrl, heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250 });
  const interactions = new Interactions(state, gateway, timeoutMs);
  registerRestRoutes(router, { state, gateway, gatewayUrl, recommendedShards: opts.recommendedShards ?? 1 });
  registerResponseRoutes(router, { state, gateway, interactions });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('loopback server has no TCP address');
  port = address.port;
  return new Loopback({ state, server, gateway, interactions, port, timeoutMs });
}

/** The end of a test that started a loopback: fails on any violation it recorded, and closes it either way. */
export async function checkAndClose(loop: Loopback | undefined): Promise<void> {
  try {
    loop?.assertNoViolations();
  } finally {
    await loop?.close();
  }
}
