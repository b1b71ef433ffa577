import { existsSync } from 'node:fs';

/** Everything the bot reads from its environment, validated once at start-up. */
export interface Config {
  token: string;
  clientId: string;
  guildId: string | undefined;
  databaseUrl: string;
  logLevel: LogLevel;
  /** Base URL of a Discord-compatible REST API (a proxy, or the loopback Discord in tests). */
  apiUrl: string | undefined;
  storyDir: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`tamasha cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

export const DEFAULTS = { databaseUrl: 'sqlite://tamasha.sqlite', logLevel: 'info', storyDir: 'data' } as const;

const SNOWFLAKE = /^\d{17,20}$/;
// A bot token is three base64url parts: the bot's id, a timestamp and an HMAC.
const TOKEN = /^([\w-]{17,40})\.([\w-]{4,12})\.([\w-]{20,})$/;

type Env = Record<string, string | undefined>;

/** Validates the environment and lists every problem at once, each with how to fix it. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const clientId = value('DISCORD_CLIENT_ID');
  if (!clientId) problems.push('DISCORD_CLIENT_ID is not set: copy the Application ID from the Discord Developer Portal (General Information) into .env.');
  else if (!SNOWFLAKE.test(clientId)) problems.push(`DISCORD_CLIENT_ID must be an application id (17 to 20 digits), got "${clientId}".`);

  const token = value('DISCORD_TOKEN');
  if (!token) problems.push('DISCORD_TOKEN is not set: create a bot token in the Discord Developer Portal (Bot → Reset Token) and put it in .env.');
  else {
    const tokenProblem = checkToken(token, clientId);
    if (tokenProblem) problems.push(tokenProblem);
  }

  const guildId = value('DISCORD_GUILD_ID');
  if (guildId && !SNOWFLAKE.test(guildId)) problems.push(`DISCORD_GUILD_ID must be a server id (17 to 20 digits) or unset, got "${guildId}".`);

  const databaseUrl = value('DATABASE_URL') ?? DEFAULTS.databaseUrl;
  if (!/^(sqlite:\/\/.+|memory:)$/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must look like sqlite://path/to/file.sqlite (or memory: for a throwaway store), got "${databaseUrl}".`);
  }

  const logLevel = (value('LOG_LEVEL') ?? DEFAULTS.logLevel).toLowerCase();
  if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);

  const apiUrl = value('DISCORD_API_URL');
  if (apiUrl && !isHttpUrl(apiUrl)) problems.push(`DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api, got "${apiUrl}".`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    token: token as string,
    clientId: clientId as string,
    guildId,
    databaseUrl,
    logLevel: logLevel as LogLevel,
    apiUrl: apiUrl?.replace(/\/+$/, ''),
    storyDir: value('STORY_DIR') ?? DEFAULTS.storyDir,
  };
}

function checkToken(token: string, clientId: string | undefined): string | null {
  const match = TOKEN.exec(token);
  if (!match) {
    return 'DISCORD_TOKEN does not look like a bot token (three parts separated by dots). Copy it again from the Developer Portal (Bot → Reset Token); do not use the client secret or public key.';
  }
  const owner = Buffer.from(match[1] ?? '', 'base64url').toString('utf8');
  if (clientId && SNOWFLAKE.test(owner) && owner !== clientId) {
    return `DISCORD_TOKEN belongs to application ${owner}, but DISCORD_CLIENT_ID is ${clientId}: use the token and the id of the same application.`;
  }
  return null;
}

function isLogLevel(level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level);
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
