import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadRestProxyConfig } from '../../src/config.js';
import { restOptions } from '../../src/discord/client.js';
import { fakeToken } from '../helpers/token.js';

const ID = '123456789012345678';
const base = { DISCORD_TOKEN: fakeToken(ID), DISCORD_CLIENT_ID: ID };

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('sharing the global rate limit', () => {
  it('a bot behind the REST proxy does not limit itself as well, and paces digests at its share', () => {
    const config = loadConfig({ ...base, DISCORD_API_URL: 'http://127.0.0.1:8080/api', DISCORD_API_PROXY: 'true', DIGEST_SENDS_PER_SECOND: '11.25' });
    expect(config).toMatchObject({ apiProxy: true, digestSendsPerSecond: 11.25 });
    expect(restOptions(config)).toEqual({ api: 'http://127.0.0.1:8080/api', globalRequestsPerSecond: Number.POSITIVE_INFINITY });
    // Straight to Discord (or no proxy named): @discordjs/rest's own 50/s stays.
    expect(restOptions(loadConfig({ ...base, DISCORD_API_URL: 'http://127.0.0.1:8080/api' }))).toEqual({ api: 'http://127.0.0.1:8080/api' });
  });

  it('refuses a digest rate outside (0, 50] and a flag that is not true or false', () => {
    expect(problemsOf(() => loadConfig({ ...base, DIGEST_SENDS_PER_SECOND: '0' }))[0]).toMatch(/DIGEST_SENDS_PER_SECOND must be above 0/);
    expect(problemsOf(() => loadConfig({ ...base, DIGEST_SENDS_PER_SECOND: '60' }))[0]).toMatch(/at most 50/);
    expect(problemsOf(() => loadConfig({ ...base, DIGEST_SENDS_PER_SECOND: 'fast' }))[0]).toMatch(/DIGEST_SENDS_PER_SECOND must be a number/);
    expect(problemsOf(() => loadConfig({ ...base, DISCORD_API_PROXY: 'yes' }))[0]).toMatch(/DISCORD_API_PROXY must be true or false, got "yes"/);
  });

  it('the proxy process needs no token, and has defaults for the rest', () => {
    expect(loadRestProxyConfig({})).toEqual({ port: 8080, host: '127.0.0.1', upstream: 'https://discord.com/api', logLevel: 'info' });
    expect(loadRestProxyConfig({ REST_PROXY_PORT: '9000', REST_PROXY_UPSTREAM: 'http://127.0.0.1:4000/api/' })).toMatchObject({ port: 9000, upstream: 'http://127.0.0.1:4000/api' });
    expect(problemsOf(() => loadRestProxyConfig({ REST_PROXY_PORT: '70000' }))[0]).toMatch(/REST_PROXY_PORT must be a port number/);
    expect(problemsOf(() => loadRestProxyConfig({ REST_PROXY_UPSTREAM: 'discord.com' }))[0]).toMatch(/REST_PROXY_UPSTREAM must be an http\(s\) URL/);
  });
});
