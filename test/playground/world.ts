/**
 * The playground's world: the loopback Discord from test/loopback and the real bot started in-process
 * (test/e2e/harness.ts), a fake clock that follows real time and can be fast-forwarded, a server with
 * a few members (plain, with a role, a moderator, an admin) and channels (one of them private).
 */
import { MessageFlags, PermissionFlagsBits, type APIApplicationCommand, type APIMessage } from 'discord-api-types/v10';
import { startJourney, type Journey } from '../e2e/harness.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { LoopbackMember } from '../loopback/index.js';
import { EVERYONE_PERMISSIONS } from '../loopback/state.js';

export interface PlaygroundMember {
  key: string;
  name: string;
  about: string;
  member: LoopbackMember;
}

export interface PlaygroundChannel {
  id: string;
  name: string;
  private: boolean;
  /** A thread's channel. */
  parentId?: string;
}

export interface WorldOptions {
  storyDir?: string;
  /** Where the clock starts (default: now). */
  start?: number;
}

const KEEP_LOG_LINES = 2_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class World {
  readonly members: PlaygroundMember[];
  readonly #privateId: string;
  readonly users: Record<string, string> = {};
  readonly roles: Record<string, string> = {};
  /** When each message was first seen, by the playground's clock (the loopback dates by real time). */
  readonly #seenAt = new Map<string, number>();
  #ticker: NodeJS.Timeout | undefined;
  #lastTick = Date.now();
  #forwarding: Promise<void> = Promise.resolve();

  private constructor(
    readonly j: Journey,
    readonly clock: FakeClock,
  ) {
    const loop = j.loop;
    const guild = loop.guilds[0]!;
    const readerRole = loop.addRole(guild.id, { name: 'Digest', position: 2, mentionable: true });
    const modRole = loop.addRole(guild.id, { name: 'Moderators', permissions: PermissionFlagsBits.ManageMessages, position: 4 });
    this.roles[readerRole] = 'Digest';
    this.roles[modRole] = 'Moderators';
    // The bot may hand out the Digest role (a digest's notify role).
    loop.setBotRole(guild.id, { allow: PermissionFlagsBits.ManageRoles, position: 3 });
    const add = (key: string, about: string, permissions: bigint, roles: string[] = []): PlaygroundMember => {
      const member = loop.member({ username: key, permissions: EVERYONE_PERMISSIONS | permissions, roles });
      this.users[member.id] = key;
      return { key, name: key, about, member };
    };
    this.members = [
      add('asha', 'a member', 0n),
      add('ben', 'a member with the Digest role', 0n, [readerRole]),
      add('chen', 'a moderator (Manage Messages)', PermissionFlagsBits.ManageMessages, [modRole]),
      add('dana', 'an admin (Manage Server)', PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageMessages),
    ];
    const mods = guild.channelId('moderators');
    // Private: @everyone cannot see it; the Moderators role and the admin can.
    loop.setOverwrite(mods, { id: guild.id, type: 'role', deny: PermissionFlagsBits.ViewChannel });
    loop.setOverwrite(mods, { id: modRole, type: 'role', allow: PermissionFlagsBits.ViewChannel });
    loop.setOverwrite(mods, { id: this.members[3]!.member.id, type: 'member', allow: PermissionFlagsBits.ViewChannel });
    this.#privateId = mods;
  }

  /** The server's channels, threads included (the bot starts some), each thread after its parent. */
  get channels(): PlaygroundChannel[] {
    const all = this.j.loop.guilds[0]!.channels;
    const top = all.filter((c) => !c.parentId);
    return top.flatMap((parent) => [parent, ...all.filter((c) => c.parentId === parent.id)]).map((c) => ({
      id: c.id, name: c.name, private: c.id === this.#privateId || c.parentId === this.#privateId, ...(c.parentId ? { parentId: c.parentId } : {}),
    }));
  }

  static async start(options: WorldOptions = {}): Promise<World> {
    const clock = new FakeClock(options.start ?? Date.now());
    const j = await startJourney({
      clock,
      guilds: [{ name: 'Tamasha Playground', channels: [{ name: 'general' }, { name: 'news' }, { name: 'moderators' }] }],
      ...(options.storyDir ? { storyDir: options.storyDir } : {}),
      loop: { timeoutMs: 10_000 },
    });
    const world = new World(j, clock);
    // The clock follows real time between fast-forwards.
    world.#ticker = setInterval(() => world.#tick(), 250);
    return world;
  }

  #tick(): void {
    const now = Date.now();
    this.clock.advance(now - this.#lastTick);
    this.#lastTick = now;
    // The harness keeps every log line for tests to read; a playground left open keeps the last ones.
    for (const lines of [this.j.logs, this.j.rawLogs]) if (lines.length > KEEP_LOG_LINES) lines.splice(0, lines.length - KEEP_LOG_LINES);
  }

  member(key: string): PlaygroundMember {
    const found = this.members.find((m) => m.key === key);
    if (!found) throw new Error(`No member "${key}" (there are: ${this.members.map((m) => m.key).join(', ')})`);
    return found;
  }

  channel(id: string): PlaygroundChannel {
    const found = this.channels.find((c) => c.id === id || c.name === id);
    if (!found) throw new Error(`No channel "${id}"`);
    return found;
  }

  /** Whether the member may see the channel at all (the private one is for moderators and the admin). */
  canSee(member: PlaygroundMember, channel: PlaygroundChannel): boolean {
    return !channel.private || member.key === 'chen' || member.key === 'dana';
  }

  /** Whether Discord would offer the command to the member (its default_member_permissions). */
  mayUse(member: PlaygroundMember, command: APIApplicationCommand): boolean {
    if (!command.default_member_permissions) return true;
    const has = BigInt(member.member.permissions);
    const needs = BigInt(command.default_member_permissions);
    return (has & PermissionFlagsBits.Administrator) !== 0n || (has & needs) === needs;
  }

  /** The channel's messages as `member` sees them: ephemeral ones only for the member they answer. */
  messagesFor(member: PlaygroundMember, channelId: string): APIMessage[] {
    return this.j.loop.messagesIn(channelId).filter((m) => ((m.flags ?? 0) & MessageFlags.Ephemeral) === 0 || m.interaction_metadata?.user.id === member.member.id);
  }

  /** When the playground first saw the message, by its clock. */
  seenAt(message: APIMessage): number {
    let at = this.#seenAt.get(message.id);
    if (at === undefined) this.#seenAt.set(message.id, (at = this.clock.now()));
    return at;
  }

  /**
   * Moves the clock `ms` forward in steps of at most 5 minutes, letting the bot work between steps
   * (a poll closing or a digest being posted takes a few REST calls): a day takes a few seconds.
   */
  fastForward(ms: number): Promise<void> {
    this.#forwarding = this.#forwarding.then(async () => {
      let left = ms;
      while (left > 0) {
        const step = Math.min(left, 5 * 60_000);
        this.clock.advance(step);
        left -= step;
        await sleep(10);
      }
    });
    return this.#forwarding;
  }

  async close(): Promise<void> {
    clearInterval(this.#ticker);
    await this.j.close();
  }
}
