/**
 * A loopback Discord in a child process, for benches: in-process, the loopback shares the bot's event
 * loop, so while the bot is busy it reads requests late and in batches, as no real Discord would. Here it
 * has its own loop, timestamps requests when they really arrive, and times interactions from its side.
 *
 * Only what benches need crosses the process boundary (JSON over IPC): start, readiness, slash commands
 * timed from INTERACTION_CREATE to the stored reply, and request / rate-limit statistics.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { timeClickBurst, type ClickBurstInput, type ClickBurstResult } from './burst.js';
import type { CommandInput, Loopback, LoopbackOptions } from './index.js';
import { controlsOf } from './read.js';

export interface RemoteGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string }>;
}

export interface RemoteCommandResult {
  ok: boolean;
  /** INTERACTION_CREATE sent → reply stored, measured by the loopback. */
  latencyMs: number;
  /** INTERACTION_CREATE sent → a thread started on the reply (with `waitForThread`). */
  threadMs?: number;
  error?: string;
}

/** Input of RemoteLoopback.sendCommand: a CommandInput with the member named instead of passed. */
export type RemoteCommandInput = Omit<CommandInput, 'member'> & { memberName?: string; waitForThread?: boolean };

export interface RemoteStats {
  /** `requests.length` now: pass it as `from` later to count only what came after. */
  requests: number;
  /** Requests since `from` whose `METHOD path` matches `pattern` and were answered 2xx. */
  matched: number;
  /** Arrival times (epoch ms) of the first and last of those. */
  firstMatchedAt: number | null;
  lastMatchedAt: number | null;
  /** Every matched arrival time, when asked for (`times: true`). */
  matchedAt?: number[];
  /** Global 429s since `from` (arrival epoch ms and path). */
  rateLimited: Array<{ at: number; method: string; path: string }>;
  /** Non-2xx answers since `from`, 429s excluded. */
  failed: number;
  violations: number;
  /** Channels among `channelIds` holding exactly one message that no interaction created. */
  channelsWithOnePost: number;
}

type Request =
  | { op: 'waitForReady'; count: number; timeoutMs: number }
  | { op: 'sendCommand'; input: RemoteCommandInput; timeoutMs: number }
  | { op: 'stats'; from: number; pattern: string; channelIds?: string[]; times?: boolean }
  | { op: 'replyOf'; input: RemoteCommandInput; timeoutMs: number }
  | { op: 'clickBurst'; input: ClickBurstInput }
  | { op: 'close' };

export class RemoteLoopback {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 0;

  constructor(
    child: ChildProcess,
    readonly apiUrl: string,
    readonly token: string,
    readonly applicationId: string,
    readonly guilds: RemoteGuild[],
  ) {
    this.#child = child;
    child.on('message', (raw) => {
      const msg = raw as { id: number; ok: boolean; value?: unknown; error?: string };
      const waiter = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      if (msg.ok) waiter?.resolve(msg.value);
      else waiter?.reject(new Error(msg.error ?? 'remote loopback failed'));
    });
    child.on('exit', (code) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`remote loopback exited (${code})`));
      this.#pending.clear();
    });
  }

  #call<T>(request: Request): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, ...request });
    });
  }

  waitForReady(count = 1, timeoutMs = 60_000): Promise<void> {
    return this.#call({ op: 'waitForReady', count, timeoutMs });
  }

  /**
   * Runs a slash command as `memberName` (created on first use) and resolves once the reply is stored,
   * and with `waitForThread` once the bot has also started a thread on it.
   */
  sendCommand(input: RemoteCommandInput, timeoutMs = 30_000): Promise<RemoteCommandResult> {
    return this.#call({ op: 'sendCommand', input, timeoutMs });
  }

  /** Runs a slash command and returns the reply's message id and its buttons' custom_ids. */
  replyOf(input: RemoteCommandInput, timeoutMs = 30_000): Promise<{ messageId: string; customIds: string[] }> {
    return this.#call({ op: 'replyOf', input, timeoutMs });
  }

  /** Clicks buttons of a message all at once, each by a new member, timed by the loopback (burst.ts). */
  clickBurst(input: ClickBurstInput): Promise<ClickBurstResult> {
    return this.#call({ op: 'clickBurst', input });
  }

  /** Counts requests since index `from` (a previous `stats().requests`) whose `METHOD path` matches `pattern`. */
  stats(from: number, pattern: RegExp, extra: { channelIds?: string[]; times?: boolean } = {}): Promise<RemoteStats> {
    return this.#call({ op: 'stats', from, pattern: pattern.source, ...extra });
  }

  /** Closes the loopback (destroy clients first) and ends the child. */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.#call({ op: 'close' }).catch(() => undefined);
    await exited;
  }
}

/** Starts `startLoopbackDiscord(opts)` in a child process (`now` cannot cross; the child uses real time). */
export async function startRemoteLoopback(opts: Omit<LoopbackOptions, 'now'> = {}): Promise<RemoteLoopback> {
  // The child runs this same file; fork() reuses our execArgv, so tsx's loader comes along.
  const child = fork(fileURLToPath(import.meta.url), ['--loopback-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const started = await new Promise<{ apiUrl: string; token: string; applicationId: string; guilds: RemoteGuild[] }>((resolve, reject) => {
    child.once('message', (raw) => {
      const msg = raw as { ok: boolean; value?: never; error?: string };
      if (msg.ok && msg.value) resolve(msg.value);
      else reject(new Error(msg.error ?? 'remote loopback did not start'));
    });
    child.once('exit', (code) => reject(new Error(`remote loopback exited (${code}) before starting`)));
    child.send(opts);
  });
  return new RemoteLoopback(child, started.apiUrl, started.token, started.applicationId, started.guilds);
}

/**
 * Sends a slash command and times it from INTERACTION_CREATE to the stored reply (and, with
 * `waitForThread`, to the thread the bot starts on that reply). Never rejects: a miss is `ok: false`.
 */
export async function timeCommand(loop: Loopback, input: CommandInput, opts: { waitForThread?: boolean; timeoutMs?: number } = {}): Promise<RemoteCommandResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const t0 = performance.now();
  const from = loop.requests.length;
  try {
    const reply = await loop.sendCommand(input).waitForReply(timeoutMs);
    const latencyMs = performance.now() - t0;
    if (!opts.waitForThread) return { ok: true, latencyMs };
    const suffix = `/messages/${reply.id}/threads`;
    for (let scanned = from; ; ) {
      for (; scanned < loop.requests.length; scanned++) {
        const r = loop.requests[scanned]!;
        if (r.method === 'POST' && r.path.endsWith(suffix) && r.status < 300) return { ok: true, latencyMs, threadMs: performance.now() - t0 };
      }
      if (performance.now() - t0 > timeoutMs) return { ok: false, latencyMs, error: `no thread on the reply within ${timeoutMs} ms` };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - t0, error: error instanceof Error ? error.message : String(error) };
  }
}

async function runChild(): Promise<void> {
  const { startLoopbackDiscord } = await import('./index.js');
  const send = (msg: unknown) => process.send?.(msg);
  const opts = await new Promise<LoopbackOptions>((resolve) => process.once('message', (raw) => resolve(raw as LoopbackOptions)));
  const loop = await startLoopbackDiscord(opts);
  const members = new Map<string, ReturnType<typeof loop.member>>();
  send({ ok: true, value: { apiUrl: loop.apiUrl, token: loop.token, applicationId: loop.applicationId, guilds: loop.guilds.map((g) => ({ id: g.id, name: g.name, channels: g.channels.map((c) => ({ id: c.id, name: c.name })) })) } });

  const handle = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case 'waitForReady':
        return loop.waitForReady(req.count, req.timeoutMs);
      case 'sendCommand': {
        const { memberName, waitForThread, ...input } = req.input;
        let member = memberName ? members.get(memberName) : undefined;
        if (memberName && !member) members.set(memberName, (member = loop.member({ username: memberName })));
        return timeCommand(loop, { ...input, ...(member ? { member } : {}) }, { waitForThread: waitForThread ?? false, timeoutMs: req.timeoutMs });
      }
      case 'replyOf': {
        const { memberName: _name, waitForThread: _thread, ...input } = req.input;
        const reply = await loop.sendCommand(input).waitForReply(req.timeoutMs);
        // Wherever the controls sit: rows, containers, section accessories (Components V2).
        return { messageId: reply.id, customIds: controlsOf(reply).flatMap((c) => (typeof c.custom_id === 'string' ? [c.custom_id] : [])) };
      }
      case 'clickBurst':
        return timeClickBurst(loop, req.input);
      case 'stats': {
        const pattern = new RegExp(req.pattern);
        const since = loop.requests.slice(req.from);
        const matchedAt: number[] = [];
        for (const r of since) if (r.status >= 200 && r.status < 300 && pattern.test(`${r.method} ${r.path}`)) matchedAt.push(r.at);
        const rateLimited = since.filter((r) => r.status === 429).map(({ at, method, path }) => ({ at, method, path }));
        return {
          requests: loop.requests.length, matched: matchedAt.length, firstMatchedAt: matchedAt[0] ?? null, lastMatchedAt: matchedAt.at(-1) ?? null,
          ...(req.times ? { matchedAt } : {}), rateLimited,
          failed: since.filter((r) => r.status >= 300 && r.status !== 429).length,
          violations: loop.violations.length,
          channelsWithOnePost: (req.channelIds ?? []).filter((id) => loop.messagesIn(id).filter((m) => !m.interaction_metadata).length === 1).length,
        };
      }
      case 'close':
        await loop.close();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  };
  process.on('message', (raw) => {
    const { id, ...req } = raw as Request & { id: number };
    handle(req as Request).then(
      (value) => send({ id, ok: true, value }),
      (error: unknown) => send({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => void loop.close().catch(() => undefined).finally(() => process.exit(0)));
}

if (process.argv.includes('--loopback-child')) void runChild();
