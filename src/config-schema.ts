/** The environment's variables as one zod schema (with their defaults and problem messages); src/config.ts turns them into Config. */
import { z } from 'zod';
import { SNOWFLAKE } from './constants.js';
import { parseShardIds } from './shard-ids.js';
import { DEFAULT_STORE_URL, storeUrlProblem } from './storage/store.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
export const TOKEN = /^([\w-]{17,40})\.([\w-]{4,12})\.([\w-]{20,})$/;

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

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
