import type { EventEmitter } from 'node:events';

const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Snowflakes that discord.js can decode (it derives `createdTimestamp` from them), monotonic even when
 * many are minted in one millisecond.
 */
export class SnowflakeFactory {
  #lastMs = 0n;
  #increment = 0n;

  next(): string {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms < this.#lastMs) ms = this.#lastMs;
    this.#increment = ms === this.#lastMs ? (this.#increment + 1n) & 0xfffn : 0n;
    this.#lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | this.#increment).toString();
  }
}

/** A snowflake for a fixed instant, outside the monotonic sequence (used for deterministic guild ids). */
export function snowflakeAt(ms: number): string {
  return ((BigInt(ms) - DISCORD_EPOCH) << 22n).toString();
}

/** Discord assigns a guild to shard `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested form-error shape: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export interface ErrorTree {
  [key: string]: ErrorTree | FieldError[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: ErrorTree,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

export const notFound = (): ApiError => new ApiError(404, 0, '404: Not Found');
export const unknownChannel = (): ApiError => new ApiError(404, 10003, 'Unknown Channel');
export const unknownMessage = (): ApiError => new ApiError(404, 10008, 'Unknown Message');

/** `a.b[0].c[CODE]: message` lines, the same flattening @discordjs/rest uses in DiscordAPIError. */
export function flattenErrors(tree: Json, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors') {
      for (const e of records(value)) lines.push(`${prefix || '(body)'}[${String(e.code)}]: ${String(e.message)}`);
    } else if (isRecord(value)) {
      const path = /^\d+$/.test(key) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
      lines.push(...flattenErrors(value, path));
    }
  }
  return lines;
}

export type Json = Record<string, unknown>;

/** One line for a Discord error body: `50035 Invalid Form Body: content[BASE_TYPE_MAX_LENGTH]: …`. */
export function describeErrorBody(body: unknown): string {
  if (!isRecord(body)) return '';
  const details = isRecord(body.errors) ? `: ${flattenErrors(body.errors).join('; ')}` : '';
  return `${String(body.code)} ${String(body.message)}${details}`;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export class WaitTimeoutError extends Error {}

/**
 * Resolves with the first non-undefined value of `check()`, re-evaluated on every `change` of `events`,
 * so waits are driven by what the loopback observes rather than by polling.
 */
export function waitUntil<T>(events: EventEmitter, check: () => T | undefined, timeoutMs: number, what: string | (() => string)): Promise<T> {
  const describe = (): string => (typeof what === 'string' ? what : what());
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      events.off('change', onChange);
      events.off('closed', onClosed);
    };
    const onChange = (): void => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value !== undefined) {
        finish();
        resolve(value);
      }
    };
    const onClosed = (): void => {
      finish();
      reject(new Error(`Loopback Discord closed while waiting for ${describe()}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new WaitTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    events.on('change', onChange);
    events.on('closed', onClosed);
    onChange();
  });
}
