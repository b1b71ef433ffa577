import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { EnvSchema, type LogLevel, TOKEN } from './config-schema.js';
import { SNOWFLAKE } from './constants.js';
import { range, shardIdsProblem } from './shard-ids.js';

export { DEFAULTS, EnvSchema, type LogLevel } from './config-schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`tamasha cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

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

/**
 * Reads `.env` into process.env when present; variables already set win. A variable of ours set
 * empty (as `.env.example` leaves them) is unset, for us and for libraries that read the environment
 * themselves: discord.js takes SHARD_COUNT from it, and an empty one stopped it at start-up.
 */
export function readEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
  for (const name of ORDER) if (process.env[name] === '') delete process.env[name];
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
