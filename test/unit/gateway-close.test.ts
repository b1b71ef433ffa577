import { describe, expect, it } from 'vitest';
import { fatalCloseReason, GatewayClosedError } from '../../src/discord/gateway-close.js';
import { describeStartupError } from '../../src/startup-errors.js';

/** The gateway closes discord.js will not retry: each one names what the operator must fix. */
describe('fatalCloseReason', () => {
  it.each([
    [4004, /token is no longer valid.*Reset Token/],
    [4010, /shard id is invalid.*shard settings/],
    [4011, /too many servers for one shard.*more shards/],
    [4012, /API version is invalid.*update discord\.js/],
    [4013, /requested intents are invalid.*intents/],
    [4014, /intent is not allowed.*Privileged Gateway Intents/],
  ])('close %i is fatal, with a reason that names the code and the fix', (code, words) => {
    const reason = fatalCloseReason(code);
    expect(reason).toMatch(words);
    expect(reason).toContain(`(${code})`);
  });

  it.each([1000, 1001, 1006, 4000, 4001, 4002, 4003, 4005, 4007, 4008, 4009])('close %i is one discord.js retries: null', (code) => {
    expect(fatalCloseReason(code)).toBeNull();
  });
});

describe('a fatal close during login, as the start-up sentence', () => {
  it.each([4010, 4011, 4012, 4013, 4014])('close %i says what Discord refused, not that the token is wrong (the code contains "401")', (code) => {
    const sentence = describeStartupError(new GatewayClosedError(code, fatalCloseReason(code)!));
    expect(sentence).toBe(`tamasha cannot start: ${fatalCloseReason(code)}.`);
    expect(sentence).not.toMatch(/DISCORD_TOKEN/);
  });
});
