import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, digestRate, EnvSchema, loadConfig } from '../../src/config.js';
import { fakeToken } from '../helpers/token.js';

const ID = '123456789012345678';
const base = { DISCORD_TOKEN: fakeToken(ID), DISCORD_CLIENT_ID: ID };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('reads VERDICT_HISTORY_DAYS (1 to 3650) and says what is wrong with it', () => {
    expect(loadConfig({ ...base, VERDICT_HISTORY_DAYS: '30' }).verdictHistoryDays).toBe(30);
    expect(loadConfig(base).verdictHistoryDays).toBeUndefined();
    expect(problems({ ...base, VERDICT_HISTORY_DAYS: '0' })).toEqual(['VERDICT_HISTORY_DAYS must be a whole number of days from 1 to 3650, got "0".']);
    expect(problems({ ...base, VERDICT_HISTORY_DAYS: 'a year' })).toEqual(['VERDICT_HISTORY_DAYS must be a whole number of days from 1 to 3650, got "a year".']);
  });

  it('fills in defaults for everything optional', () => {
    expect(loadConfig(base)).toEqual({ token: base.DISCORD_TOKEN, clientId: ID, guildId: undefined, databaseUrl: 'sqlite://tamasha.sqlite', logLevel: 'info', apiUrl: undefined, storyDir: 'data' });
  });

  it('names both missing variables and how to get them', () => {
    const list = problems({});
    expect(list).toHaveLength(2);
    expect(list[0]).toMatch(/DISCORD_CLIENT_ID is not set: copy the Application ID/);
    expect(list[1]).toMatch(/DISCORD_TOKEN is not set: create a bot token/);
  });

  it('rejects a token that is not shaped like a bot token, without echoing it', () => {
    const [problem] = problems({ ...base, DISCORD_TOKEN: 'my-client-secret' });
    expect(problem).toMatch(/does not look like a bot token/);
    expect(problem).not.toContain('my-client-secret');
  });

  it('spots a token from another application', () => {
    expect(problems({ ...base, DISCORD_CLIENT_ID: '876543210987654321' })).toEqual([expect.stringMatching(/belongs to application 123456789012345678/)]);
  });

  it('checks ids, URLs and the log level', () => {
    const list = problems({ ...base, DISCORD_GUILD_ID: 'my server', DATABASE_URL: 'mysql://x', DISCORD_API_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    expect(list.map((p) => p.split(' ')[0])).toEqual(['DISCORD_GUILD_ID', 'DATABASE_URL', 'LOG_LEVEL', 'DISCORD_API_URL']);
  });

  it('trims a trailing slash off DISCORD_API_URL', () => {
    expect(loadConfig({ ...base, DISCORD_API_URL: 'http://127.0.0.1:9999/api/' }).apiUrl).toBe('http://127.0.0.1:9999/api');
  });

  it('reads METRICS_PORT as a port number, absent when unset', () => {
    expect(loadConfig({ ...base, METRICS_PORT: ' 9464 ' }).metricsPort).toBe(9464);
    expect(loadConfig({ ...base, METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect('metricsPort' in loadConfig({ ...base, METRICS_PORT: '' })).toBe(false);
    expect(problems({ ...base, METRICS_PORT: 'http' })).toEqual([expect.stringMatching(/METRICS_PORT must be a port number \(0 to 65535\) or unset, got "http"/)]);
    expect(problems({ ...base, METRICS_PORT: '70000' })).toEqual([expect.stringMatching(/METRICS_PORT must be a port number/)]);
  });

  it('reads the shards of this process: ranges and lists out of SHARD_COUNT, or all of them', () => {
    expect(loadConfig({ ...base, SHARD_COUNT: '8', SHARD_IDS: '0-3' }).shards).toEqual({ count: 8, ids: [0, 1, 2, 3] });
    expect(loadConfig({ ...base, SHARD_COUNT: '8', SHARD_IDS: '5, 0,2 ,2' }).shards).toEqual({ count: 8, ids: [0, 2, 5] });
    expect(loadConfig({ ...base, SHARD_COUNT: '8', SHARD_IDS: '6-7,0' }).shards).toEqual({ count: 8, ids: [0, 6, 7] });
    expect(loadConfig({ ...base, SHARD_COUNT: '3' }).shards).toEqual({ count: 3, ids: [0, 1, 2] });
    expect(loadConfig({ ...base, SHARD_COUNT: '', SHARD_IDS: ' ' }).shards).toBeUndefined();
  });

  it('paces digests at the shared budget split by shards behind the REST proxy, unless told a rate', () => {
    expect(digestRate(loadConfig(base))).toBe(45);
    // One of four shards, sending through the one proxy: a quarter of the budget, with no sum by hand.
    expect(digestRate(loadConfig({ ...base, DISCORD_API_PROXY: 'true', SHARD_COUNT: '4', SHARD_IDS: '2' }))).toBe(11.25);
    expect(digestRate(loadConfig({ ...base, DISCORD_API_PROXY: 'true', SHARD_COUNT: '4', SHARD_IDS: '0-2' }))).toBe(33.75);
    // Without the proxy a process owns its budget; a rate set by hand always wins.
    expect(digestRate(loadConfig({ ...base, SHARD_COUNT: '4', SHARD_IDS: '2' }))).toBe(45);
    expect(digestRate(loadConfig({ ...base, DISCORD_API_PROXY: 'true', SHARD_COUNT: '4', SHARD_IDS: '2', DIGEST_SENDS_PER_SECOND: '20' }))).toBe(20);
  });

  it('says what is wrong with the shard variables', () => {
    expect(problems({ ...base, SHARD_IDS: '0-1' })).toEqual([expect.stringMatching(/^SHARD_IDS is set but SHARD_COUNT is not/)]);
    expect(problems({ ...base, SHARD_COUNT: '4', SHARD_IDS: '2-5' })).toEqual(['SHARD_IDS names shards 4, 5, but with SHARD_COUNT=4 the shard ids are 0 to 3.']);
    for (const bad of ['a', '1-', '3-1', '0;1', '-1', '1.5']) {
      expect(problems({ ...base, SHARD_COUNT: '4', SHARD_IDS: bad })).toEqual([`SHARD_IDS must list shard ids and ranges separated by commas, such as 0-3 or 0,2,5, got "${bad}".`]);
    }
    for (const bad of ['0', '-2', 'two', '1.5']) expect(problems({ ...base, SHARD_COUNT: bad })).toEqual([expect.stringMatching(/^SHARD_COUNT must be the total number of shards/)]);
  });

  it('documents in .env.example exactly the variables the schema reads', () => {
    const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });
});
