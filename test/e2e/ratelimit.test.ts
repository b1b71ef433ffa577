/**
 * Discord's global rate limit (50 bot-token requests per second) as the loopback enforces it with
 * `globalRateLimit`, and how @discordjs/rest lives with it: it throttles itself to
 * `globalRequestsPerSecond` (default 50) so a burst never earns a 429, it honours a global 429 when one
 * comes, and interaction callbacks / webhooks are outside the limit on both sides.
 */
import { performance } from 'node:perf_hooks';
import { REST } from '@discordjs/rest';
import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAndClose, startLoopbackDiscord, type Loopback } from '../loopback/index.js';
import { GlobalRateLimit } from '../loopback/server.js';

let loop: Loopback | undefined;
let rest: REST | undefined;
let client: Client | undefined;

afterEach(async () => {
  rest?.clearHashSweeper();
  rest?.clearHandlerSweeper();
  rest = undefined;
  await client?.destroy();
  client = undefined;
  await checkAndClose(loop);
  loop = undefined;
});

/** One guild with `count` text channels: each channel is its own per-route bucket, so only the global limit applies. */
const manyChannels = (count: number) => [{ name: 'Busy', channels: Array.from({ length: count }, (_, i) => ({ name: `c${i}` })) }];

const botRest = (l: Loopback, options: Partial<ConstructorParameters<typeof REST>[0]> = {}): REST => new REST({ api: l.apiUrl, ...options }).setToken(l.token);

/** A raw request with the bot token, past any client-side throttling. */
const rawGet = (l: Loopback, path: string): Promise<Response> => fetch(`${l.apiUrl}/v10${path}`, { headers: { authorization: `Bot ${l.token}` } });

describe('global rate limit', () => {
  it('@discordjs/rest spreads 120 messages over three 1 s windows at 50/s, by its own clock', async () => {
    loop = await startLoopbackDiscord({ guilds: manyChannels(120), globalRateLimit: { perSecond: 50 } });
    // When each message left the client, by the client's clock: what the client controls. When it reached
    // the server depends on the machine's load (over 100 ms at load average 15), so whether the server's
    // window saw 51 of them is not the client's doing and is not asserted.
    const sentAt: number[] = [];
    rest = botRest(loop, {
      makeRequest: (url, init) => {
        if (init.method === 'POST') sentAt.push(performance.now());
        return fetch(url, init as RequestInit);
      },
    });
    const channels = loop.guilds[0]!.channels;
    const selfThrottled: boolean[] = [];
    rest.on('rateLimited', (info) => selfThrottled.push(info.global));
    const started = performance.now();
    await Promise.all(channels.map((c, i) => rest!.post(Routes.channelMessages(c.id), { body: { content: `message ${i}` } })));
    const elapsed = performance.now() - started;

    expect(channels.every((c) => loop!.messagesIn(c.id).length === 1)).toBe(true);
    // Windows as a server without delays would count them: from a send, the next 1,000 ms.
    const windows: number[] = [];
    for (let i = 0, windowStart = -Infinity; i < sentAt.length; i++) {
      if (sentAt[i]! >= windowStart + 1_000) {
        windowStart = sentAt[i]!;
        windows.push(0);
      }
      windows[windows.length - 1]! += 1;
    }
    expect(Math.max(...windows)).toBeLessThanOrEqual(50);
    // The 70 beyond the first 50 waited for the client's own global window.
    expect(selfThrottled.length).toBeGreaterThan(0);
    expect(selfThrottled.every(Boolean)).toBe(true);
    // 50 now, 50 after a 1 s window, 20 after another: a floor only (a slow machine makes it longer).
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
  });

  it('answers a raw burst over the limit with a global 429, as Discord does', async () => {
    // A long window, so all 60 land in the same one however slow the machine is.
    loop = await startLoopbackDiscord({ globalRateLimit: { perSecond: 50, windowMs: 60_000 } });
    const channelId = loop.guilds[0]!.channelId('general');
    const responses = await Promise.all(Array.from({ length: 60 }, () => rawGet(loop!, `/channels/${channelId}`)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(50);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    const first = limited[0]!;
    const body = (await first.json()) as Record<string, unknown>;
    // Retry-After is the body's retry_after rounded up to whole seconds, as Discord sends it.
    expect(first.headers.get('retry-after')).toBe(String(Math.ceil(body.retry_after as number)));
    expect(first.headers.get('x-ratelimit-global')).toBe('true');
    expect(first.headers.get('x-ratelimit-scope')).toBe('global');
    // No per-route bucket headers on a global 429.
    expect(first.headers.get('x-ratelimit-bucket')).toBeNull();
    expect(body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: true, code: 0 });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(60);

    expect(loop.rateLimited).toHaveLength(10);
    expect(loop.rateLimited[0]).toMatchObject({ method: 'GET', path: `/channels/${channelId}`, at: expect.any(Number), scope: 'global' });
    // Requests without the bot token are not the bot's: a 401, not a 429.
    expect((await fetch(`${loop.apiUrl}/v10/channels/${channelId}`)).status).toBe(401);
    // Accepted ones still carry their per-route headers.
    expect(responses.find((r) => r.status === 200)?.headers.get('x-ratelimit-bucket')).toBeTruthy();
  });

  it('@discordjs/rest told to go faster than the server allows gets 429s, waits them out, and delivers everything', async () => {
    loop = await startLoopbackDiscord({ guilds: manyChannels(30), globalRateLimit: { perSecond: 20 } });
    rest = botRest(loop, { globalRequestsPerSecond: 1_000 });
    const limits: boolean[] = [];
    rest.on('rateLimited', (info) => limits.push(info.global));
    const channels = loop.guilds[0]!.channels;
    await Promise.all(channels.map((c, i) => rest!.post(Routes.channelMessages(c.id), { body: { content: `message ${i}` } })));

    expect(channels.every((c) => loop!.messagesIn(c.id).length === 1)).toBe(true);
    expect(loop.rateLimited.length).toBeGreaterThanOrEqual(10);
    // After the first global 429 the client blocks every bucket until Retry-After has passed.
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.every(Boolean)).toBe(true);
  });

  it('never limits interaction callbacks or the interaction webhook, even while the bot token is limited', async () => {
    // A long window, so "the bot is over its limit" holds for the whole test however slow the machine.
    loop = await startLoopbackDiscord({ globalRateLimit: { perSecond: 50, windowMs: 60_000 } });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: loop.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        await interaction.reply({ content: 'pong' });
        await interaction.followUp({ content: 'and a follow-up' });
        await interaction.editReply({ content: 'pong (edited)' });
      })();
    });
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    await client.login(loop.token);
    await ready;

    const channelId = loop.guilds[0]!.channelId('general');
    const burst = await Promise.all(Array.from({ length: 60 }, () => rawGet(loop!, `/channels/${channelId}`)));
    expect(burst.some((r) => r.status === 429)).toBe(true);
    const limitedBefore = loop.rateLimited.length;

    const ping = loop.sendCommand({ name: 'ping' });
    expect((await ping.waitForFollowUps(1))[0]?.content).toBe('and a follow-up');
    const edited = await loop.waitForMessage((m) => m.content === 'pong (edited)');
    expect(edited.id).toBe((await ping.waitForReply()).id);
    expect((await rawGet(loop, `/channels/${channelId}`)).status).toBe(429);

    const interactionCalls = loop.requests.filter((r) => r.path.startsWith('/interactions/') || r.path.startsWith('/webhooks/'));
    expect(interactionCalls.map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/\/[\w.-]{20,}/g, '/…').replace(/\d{17,}/g, ':id')} ${r.status}`)).toEqual([
      'POST /interactions/:id/…/callback 204',
      'POST /webhooks/:id/… 200',
      'PATCH /webhooks/:id/…/messages/@original 200',
    ]);
    expect(loop.rateLimited.slice(limitedBefore).map((r) => r.path)).toEqual([`/channels/${channelId}`]);
  });
});

describe('GlobalRateLimit (the counting alone)', () => {
  it('fixed: a window opens with the first request and lasts windowMs', () => {
    const limit = new GlobalRateLimit(2);
    expect(limit.take(1_000)).toBeUndefined();
    expect(limit.take(1_500)).toBeUndefined();
    expect(limit.take(1_600)).toBeCloseTo(0.4);
    // The refused request did not count; at 2 000 the first window has closed.
    expect(limit.take(2_000)).toBeUndefined();
    expect(limit.take(2_400)).toBeUndefined();
    expect(limit.take(2_999)).toBeCloseTo(0.001);
  });

  it('sliding: never more than perSecond in any windowMs', () => {
    const limit = new GlobalRateLimit(2, 1_000, 'sliding');
    expect(limit.take(1_000)).toBeUndefined();
    expect(limit.take(1_500)).toBeUndefined();
    expect(limit.take(1_600)).toBeCloseTo(0.4);
    expect(limit.take(2_000)).toBeUndefined();
    // 1 500 and 2 000 are both within the last second: refused where the fixed window would accept.
    expect(limit.take(2_400)).toBeCloseTo(0.1);
    expect(limit.take(2_500)).toBeUndefined();
  });
});
