/**
 * Gateway over WebSocket: HELLO → IDENTIFY → READY (guilds unavailable) → GUILD_CREATE per guild of the
 * identified shard. Always sends text frames: @discordjs/ws JSON-parses text frames whatever compression
 * it negotiated (zlib-sync is not installed, so discord.js asks for none anyway).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes, type APIMessage } from 'discord-api-types/v10';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LoopbackState } from './state.js';
import { FLAG_EPHEMERAL } from './validate.js';
import { isRecord, shardOf, type Json } from './util.js';

export interface GatewaySessionInfo {
  sessionId: string;
  shard: [id: number, count: number];
  intents: number;
  heartbeats: number;
}

interface Session extends GatewaySessionInfo {
  socket: WebSocket;
  seq: number;
  /** READY and every GUILD_CREATE have been sent. */
  ready: boolean;
}

export class Gateway {
  readonly #wss: WebSocketServer;
  readonly #sessions = new Set<Session>();
  /** While set, every IDENTIFY is answered by a close with this code (Discord refusing a session before READY). */
  refuseIdentify: { code: number; reason: string } | undefined;

  constructor(
    server: Server,
    private readonly state: LoopbackState,
    private readonly opts: { url: () => string; heartbeatIntervalMs: number },
  ) {
    this.#wss = new WebSocketServer({ server });
    this.#wss.on('connection', (socket, req) => this.#accept(socket, new URL(req.url ?? '/', 'ws://loopback').searchParams));
  }

  /** Identified sessions whose guilds have all been sent. */
  get readySessions(): GatewaySessionInfo[] {
    return [...this.#sessions].filter((s) => s.ready && s.socket.readyState === s.socket.OPEN).map(({ sessionId, shard, intents, heartbeats }) => ({ sessionId, shard: [shard[0], shard[1]], intents, heartbeats }));
  }

  #accept(socket: WebSocket, query: URLSearchParams): void {
    if (query.get('v') !== '10') return socket.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
    if ((query.get('encoding') ?? 'json') !== 'json') return socket.close(GatewayCloseCodes.DecodeError, 'Only encoding=json is supported');
    let session: Session | undefined;
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs }, s: null, t: null }));
    socket.on('message', (raw) => {
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      }
      if (!isRecord(payload)) return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          if (session) session.heartbeats++;
          return socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        case GatewayOpcodes.Identify:
          if (session) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          session = this.#identify(socket, isRecord(payload.d) ? payload.d : {});
          return;
        case GatewayOpcodes.Resume:
          // Replaying missed events is out of scope: "not resumable" makes @discordjs/ws re-identify.
          return socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          if (!session) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
          return;
        default:
          return socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
      }
    });
    socket.on('close', () => {
      if (session) this.#sessions.delete(session);
      this.state.changed();
    });
  }

  #identify(socket: WebSocket, d: Json): Session | undefined {
    if (this.refuseIdentify) {
      socket.close(this.refuseIdentify.code, this.refuseIdentify.reason);
      return undefined;
    }
    if (d.token !== this.state.token) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return undefined;
    }
    const [id, count] = Array.isArray(d.shard) ? d.shard : [0, 1];
    if (typeof id !== 'number' || typeof count !== 'number' || count < 1 || id < 0 || id >= count) {
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return undefined;
    }
    if (typeof d.intents !== 'number') {
      socket.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return undefined;
    }
    const session: Session = { socket, sessionId: randomUUID().replaceAll('-', ''), shard: [id, count], intents: d.intents, heartbeats: 0, seq: 0, ready: false };
    this.#sessions.add(session);
    const guilds = this.state.guilds.filter((g) => shardOf(g.id, count) === id);
    this.#send(session, 'READY', {
      v: 10, user: this.state.botUser, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), session_id: session.sessionId,
      resume_gateway_url: this.opts.url(), shard: [id, count], application: { id: this.state.applicationId, flags: 0 },
      private_channels: [], presences: [], relationships: [], guild_join_requests: [], geo_ordered_rtc_regions: [], auth: {}, user_settings: {}, session_type: 'normal',
    });
    for (const guild of guilds) this.#send(session, 'GUILD_CREATE', this.state.guildPayload(guild, true));
    session.ready = true;
    this.state.changed();
    return session;
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq++;
    session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s: session.seq, d }));
  }

  #owners(guildId: string): Session[] {
    return [...this.#sessions].filter((s) => s.ready && s.socket.readyState === s.socket.OPEN && shardOf(guildId, s.shard[1]) === s.shard[0]);
  }

  /** Sends a guild-scoped event to every session of the owning shard that subscribed to `intent`. */
  dispatchGuildEvent(guildId: string, t: string, d: unknown, intent: GatewayIntentBits): void {
    for (const session of this.#owners(guildId)) if ((session.intents & intent) !== 0) this.#send(session, t, d);
  }

  /** Interactions are not intent-gated; Discord delivers each to exactly one session of the owning shard. */
  dispatchInteraction(guildId: string, d: unknown): void {
    const session = this.#owners(guildId).at(-1);
    if (!session) throw new Error(`No ready gateway session owns guild ${guildId}; log a client in (and await its ready) before sending interactions`);
    this.#send(session, 'INTERACTION_CREATE', d);
  }

  /** MESSAGE_CREATE / MESSAGE_UPDATE for a stored message; ephemeral messages are never dispatched. */
  messageEvent(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: APIMessage): void {
    const guild = this.state.guild(this.state.channels.get(message.channel_id)?.guildId ?? '');
    if (!guild || (message.flags ?? 0) & FLAG_EPHEMERAL) return;
    const { user: _author, ...member } = this.state.botMemberPayload(guild);
    this.dispatchGuildEvent(guild.id, t, { ...message, guild_id: guild.id, member }, GatewayIntentBits.GuildMessages);
  }

  messageDeleted(message: APIMessage): void {
    const guild = this.state.channels.get(message.channel_id)?.guildId;
    if (guild && !((message.flags ?? 0) & FLAG_EPHEMERAL)) this.dispatchGuildEvent(guild, 'MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, guild_id: guild }, GatewayIntentBits.GuildMessages);
  }

  /** Closes every connected session with a gateway close code, as Discord does (e.g. 4004 after a token reset). */
  closeSessions(code: number, reason: string): number {
    let closed = 0;
    for (const client of this.#wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      client.close(code, reason);
      closed++;
    }
    return closed;
  }

  /**
   * Closes every socket. Returns how many sessions were still open: a discord.js Client left logged in
   * would keep reconnecting (and keep the process alive), so the caller reports it.
   */
  async close(): Promise<number> {
    let open = 0;
    for (const client of this.#wss.clients) {
      if (client.readyState === client.OPEN) open++;
      client.terminate();
    }
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    return open;
  }
}
