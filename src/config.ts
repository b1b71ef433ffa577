import { existsSync } from 'node:fs';
import { z } from 'zod';
import { SNOWFLAKE } from './constants.js';
import { DEFAULT_STORE_URL, storeUrlProblem } from './storage/store.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`tamasha cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

export const DEFAULTS = {
  databaseUrl: DEFAULT_STORE_URL,
  logLevel: 'info',
  storyDir: 'data',
  restProxyPort: 8080,
  restProxyHost: '127.0.0.1',
  restProxyUpstream: 'https://discord.com/api',
  verdictHistoryDays: 90,
} as const;

// A bot token is three base64url parts: the bot's id, a timestamp and an HMAC.
const TOKEN = /^([\w-]{17,40})\.([\w-]{4,12})\.([\w-]{20,})$/;

/** A variable as the environment gives it: trimmed, and unset when empty. */
const variable = <Out>(schema: z.ZodType<Out, string | undefined>) => z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : v), schema);
const required = (notSet: string) => z.string({ error: notSet });
const got = (issue: { input?: unknown }) => `got "${String(issue.input)}".`;
const portProblem = (issue: { input?: unknown }) => `REST_PROXY_PORT must be a port number (0 to 65535; 0 picks a free one), ${got(issue)}`;

/**
 * The environment's one schema: each variable, its default and its problem message. .env.example
 * documents every key (test/unit/config.test.ts checks both ways). Problems are listed in this order.
 */
export const EnvSchema = z.object({
  DISCORD_CLIENT_ID: variable(
    required('DISCORD_CLIENT_ID is not set: copy the Application ID from the Discord Developer Portal (General Information) into .env.').regex(SNOWFLAKE, {
      error: (issue) => `DISCORD_CLIENT_ID must be an application id (17 to 20 digits), ${got(issue)}`,
    }),
  ),
  DISCORD_TOKEN: variable(
    required('DISCORD_TOKEN is not set: create a bot token in the Discord Developer Portal (Bot → Reset Token) and put it in .env.').regex(TOKEN, {
      // Never echo the value: it may be a real secret pasted into the wrong variable.
      error: 'DISCORD_TOKEN does not look like a bot token (three parts separated by dots). Copy it again from the Developer Portal (Bot → Reset Token); do not use the client secret or public key.',
    }),
  ),
  DISCORD_GUILD_ID: variable(z.string().regex(SNOWFLAKE, { error: (issue) => `DISCORD_GUILD_ID must be a server id (17 to 20 digits) or unset, ${got(issue)}` }).optional()),
  DATABASE_URL: variable(
    z
      .string()
      // Which URLs name a store is the storage layer's to say, so adding a database touches no config.
      .superRefine((url, ctx) => {
        const problem = storeUrlProblem(url);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(DEFAULTS.databaseUrl),
  ),
  LOG_LEVEL: variable(
    z
      .string()
      .transform((level) => level.toLowerCase())
      .pipe(z.enum(LOG_LEVELS, { error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, ${got(issue)}` }))
      .default(DEFAULTS.logLevel),
  ),
  DISCORD_API_URL: variable(
    z
      .string()
      .refine(isHttpUrl, { error: (issue) => `DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api, ${got(issue)}` })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  STORY_DIR: variable(z.string().default(DEFAULTS.storyDir)),
  METRICS_PORT: variable(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: (issue) => `METRICS_PORT must be a port number (0 to 65535) or unset, ${got(issue)}` })
      .transform(Number)
      .refine((port) => port <= 65_535, { error: (issue) => `METRICS_PORT must be a port number (0 to 65535) or unset, ${got(issue)}` })
      .optional(),
  ),
  SHARD_COUNT: variable(
    z
      .string()
      .regex(/^[1-9]\d{0,4}$/, { error: (issue) => `SHARD_COUNT must be the total number of shards of the bot (a whole number from 1), ${got(issue)}` })
      .transform(Number)
      .optional(),
  ),
  SHARD_IDS: variable(
    z
      .string()
      .transform((list, ctx) => {
        const ids = parseShardIds(list);
        if (ids) return ids;
        ctx.addIssue({ code: 'custom', message: `SHARD_IDS must list shard ids and ranges separated by commas, such as 0-3 or 0,2,5, got "${list}".` });
        return z.NEVER;
      })
      .optional(),
  ),
  DISCORD_API_PROXY: variable(
    z.enum(['true', 'false'], { error: (issue) => `DISCORD_API_PROXY must be true or false, ${got(issue)}` }).transform((flag) => flag === 'true').optional(),
  ),
  DIGEST_SENDS_PER_SECOND: variable(
    z.coerce
      .number<string>({ error: (issue) => `DIGEST_SENDS_PER_SECOND must be a number of digests a second above 0 and at most 50, ${got(issue)}` })
      .gt(0, { error: (issue) => `DIGEST_SENDS_PER_SECOND must be above 0 and at most 50, ${got(issue)}` })
      .max(50, { error: (issue) => `DIGEST_SENDS_PER_SECOND must be above 0 and at most 50 (Discord's global limit), ${got(issue)}` })
      .optional(),
  ),
  VERDICT_HISTORY_DAYS: variable(
    z
      .string()
      .regex(/^\d{1,4}$/, { error: (issue) => `VERDICT_HISTORY_DAYS must be a whole number of days from 1 to 3650, ${got(issue)}` })
      .transform(Number)
      .refine((days) => days >= 1 && days <= 3650, { error: (issue) => `VERDICT_HISTORY_DAYS must be a whole number of days from 1 to 3650, ${got(issue)}` })
      .optional(),
  ),
  // Read by the REST proxy process only (src/rest-proxy.ts); the bot ignores them.
  REST_PROXY_PORT: variable(
    z
      .string()
      // Checked as text, so the problem quotes what was typed rather than a coerced NaN.
      .regex(/^\d{1,5}$/, { error: portProblem })
      .transform(Number)
      .refine((port) => port <= 65_535, { error: portProblem })
      .default(DEFAULTS.restProxyPort),
  ),
  REST_PROXY_HOST: variable(z.string().default(DEFAULTS.restProxyHost)),
  REST_PROXY_UPSTREAM: variable(
    z
      .string()
      .refine(isHttpUrl, { error: (issue) => `REST_PROXY_UPSTREAM must be an http(s) URL such as https://discord.com/api, ${got(issue)}` })
      .transform((url) => url.replace(/\/+$/, ''))
      .default(DEFAULTS.restProxyUpstream),
  ),
});

type Env = Record<string, string | undefined>;
const ORDER: string[] = Object.keys(EnvSchema.shape);

const ConfigSchema = EnvSchema.superRefine(
  (vars, ctx) => {
    const problem = tokenOwnerProblem(vars.DISCORD_TOKEN, vars.DISCORD_CLIENT_ID);
    if (problem) ctx.addIssue({ code: 'custom', path: ['DISCORD_TOKEN'], message: problem });
    const shardProblem = shardIdsProblem(vars.SHARD_IDS, vars.SHARD_COUNT);
    if (shardProblem) ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: shardProblem });
  },
  // The token and the id are compared even when another variable is wrong, so every problem shows at once.
  { when: () => true },
).transform((vars) => ({
  token: vars.DISCORD_TOKEN,
  clientId: vars.DISCORD_CLIENT_ID,
  guildId: vars.DISCORD_GUILD_ID,
  databaseUrl: vars.DATABASE_URL,
  logLevel: vars.LOG_LEVEL,
  /** Base URL of a Discord-compatible REST API (a proxy, or the loopback Discord in tests). */
  apiUrl: vars.DISCORD_API_URL,
  storyDir: vars.STORY_DIR,
  /** Where /metrics and /healthz are served, on 127.0.0.1; absent: no server. */
  ...(vars.METRICS_PORT === undefined ? {} : { metricsPort: vars.METRICS_PORT }),
  // Unset: discord.js runs every shard Discord recommends in this one process.
  ...(vars.SHARD_COUNT === undefined ? {} : { shards: { count: vars.SHARD_COUNT, ids: vars.SHARD_IDS ?? range(0, vars.SHARD_COUNT - 1) } }),
  /**
   * DISCORD_API_URL is the REST proxy, which holds the one global budget of every process: this
   * process's own REST then does not throttle itself to 50/s as well.
   */
  ...(vars.DISCORD_API_PROXY !== undefined ? { apiProxy: vars.DISCORD_API_PROXY } : {}),
  /** This process's share of the global budget for digests (default 45: the whole budget, less room). */
  ...(vars.DIGEST_SENDS_PER_SECOND !== undefined ? { digestSendsPerSecond: vars.DIGEST_SENDS_PER_SECOND } : {}),
  /** Members' verdict history (stance changes, before/after readings) older than this many days is reduced to daily counts (default DEFAULTS.verdictHistoryDays). */
  ...(vars.VERDICT_HISTORY_DAYS !== undefined ? { verdictHistoryDays: vars.VERDICT_HISTORY_DAYS } : {}),
}));

/** The REST proxy process's own settings, from the same schema. */
export function loadRestProxyConfig(env: Env): { port: number; host: string; upstream: string; logLevel: LogLevel } {
  const result = EnvSchema.pick({ REST_PROXY_PORT: true, REST_PROXY_HOST: true, REST_PROXY_UPSTREAM: true, LOG_LEVEL: true }).safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  const vars = result.data;
  return { port: vars.REST_PROXY_PORT, host: vars.REST_PROXY_HOST, upstream: vars.REST_PROXY_UPSTREAM, logLevel: vars.LOG_LEVEL };
}

/** Everything the bot reads from its environment, validated once at start-up. */
export type Config = z.output<typeof ConfigSchema>;

/** Validates the environment and lists every problem at once, each with how to fix it. */
export function loadConfig(env: Env): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const issues = [...result.error.issues].sort((a, b) => ORDER.indexOf(String(a.path[0])) - ORDER.indexOf(String(b.path[0])));
  throw new ConfigError(issues.map((issue) => issue.message));
}

/** A problem when a well-formed token belongs to another application than DISCORD_CLIENT_ID. */
function tokenOwnerProblem(token: unknown, clientId: unknown): string | null {
  if (typeof token !== 'string' || typeof clientId !== 'string') return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const owner = Buffer.from(match[1] ?? '', 'base64url').toString('utf8');
  if (SNOWFLAKE.test(owner) && owner !== clientId) {
    return `DISCORD_TOKEN belongs to application ${owner}, but DISCORD_CLIENT_ID is ${clientId}: use the token and the id of the same application.`;
  }
  return null;
}

/** `0-3`, `0,2,5`, `0-3,8`: ascending unique ids, or null when malformed. */
export function parseShardIds(list: string): number[] | null {
  const ids = new Set<number>();
  for (const part of list.split(',')) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return null;
    for (const id of range(from, to)) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

// Runs even when another variable failed (see ConfigSchema), so either value may be unparsed.
function shardIdsProblem(ids: unknown, count: unknown): string | null {
  if (!Array.isArray(ids)) return null;
  if (count === undefined) return 'SHARD_IDS is set but SHARD_COUNT is not: set SHARD_COUNT to the total number of shards across every process (the same on every machine).';
  if (typeof count !== 'number') return null;
  const outside = (ids as number[]).filter((id) => id >= count);
  if (outside.length === 0) return null;
  return `SHARD_IDS names shard${outside.length > 1 ? 's' : ''} ${outside.join(', ')}, but with SHARD_COUNT=${count} the shard ids are 0 to ${count - 1}.`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Reads `.env` into process.env when present; variables already set win. */
export function readEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** For an entry point: reads .env, then the settings `load` takes from the environment, or prints every problem and exits 1. */
export function configOrExit<T>(load: (env: Env) => T): T {
  readEnvFile();
  try {
    return load(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Digests all processes together send a second: Discord's 50 less room for commands and edits. */
export const DIGEST_BUDGET_PER_SECOND = 45;

/**
 * This process's digest pace. DIGEST_SENDS_PER_SECOND when set. Otherwise, behind the shared REST
 * proxy, its share of the one budget (45 × its shards ÷ SHARD_COUNT), so N processes together keep
 * to it with nobody dividing by hand; otherwise, one process, the whole budget.
 */
export function digestRate(config: Pick<Config, 'digestSendsPerSecond' | 'apiProxy' | 'shards'>): number {
  if (config.digestSendsPerSecond !== undefined) return config.digestSendsPerSecond;
  if (config.apiProxy && config.shards) return (DIGEST_BUDGET_PER_SECOND * config.shards.ids.length) / config.shards.count;
  return DIGEST_BUDGET_PER_SECOND;
}
