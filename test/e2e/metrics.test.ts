import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { controlsOf, startLoopbackDiscord } from '../loopback/index.js';
import { exitWithin, startBotProcess } from './child.js';
import { APP_ID, type Journey, startJourney, TOKEN } from './harness.js';

// Real processes: starting one takes seconds on a loaded machine. These bound a hung test only; the
// promises under test (exit within 10 s of SIGTERM, …) are asserted from the moment they start.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** METRICS_PORT: /metrics moves with what the bot does; /healthz follows the gateway and the store. */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-metrics-'));
let j: Journey | undefined;
let n = 0;
afterEach(async () => {
  await j?.close();
  j = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = async () => (j = await startJourney({ metricsPort: 0, databaseUrl: `sqlite://${join(dir, `m${n++}.sqlite`)}` }));
const url = (path: string) => `http://127.0.0.1:${j!.bot.metricsPort}${path}`;
const health = async () => {
  const res = await fetch(url('/healthz'));
  return { status: res.status, body: (await res.json()) as { status: string; problems?: string[] } };
};

/** The value of one sample in Prometheus text, e.g. `tamasha_votes_committed_total{kind="recorded"}`; 0 when absent. */
async function sample(name: string): Promise<number> {
  const text = await (await fetch(url('/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

const firstAnswer = (m: APIMessage) => String(controlsOf(m)[0]!.custom_id);

describe('metrics and health over METRICS_PORT', () => {
  it('counts commands, votes, acknowledgements and REST responses, and shows the shard ready', async () => {
    await start();
    const loop = j!.loop;
    expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
    const before = await sample('tamasha_interaction_ack_seconds_count');

    await loop.sendCommand({ name: 'story', subcommand: 'summary' }).waitForReply();
    const poll = await loop.sendCommand({ name: 'poll', subcommand: 'start' }).waitForReply();
    const vote = await loop.clickButton({ message: poll, customId: firstAnswer(poll), member: loop.member() }).waitForReply();
    expect(vote.content).toMatch(/Your vote for .* is in/);
    // The router counts an interaction as it logs "handled", once its handler (reply included) is done.
    await j!.waitForLog(() => j!.logs.filter((l) => l.msg === 'handled').length >= 3);
    expect(await sample('tamasha_interactions_total{command="story",outcome="ok"}')).toBe(1);
    expect(await sample('tamasha_interactions_total{command="poll",outcome="ok"}')).toBe(2);
    expect(await sample('tamasha_votes_committed_total{kind="recorded"}')).toBe(1);
    expect((await sample('tamasha_interaction_ack_seconds_count')) - before).toBe(3);

    // Refusals: one the router makes (an unknown action), one the vote handler answers itself (an unknown poll).
    await loop.clickButton({ message: poll, customId: 'poll:nope:1', force: true }).waitForReply();
    expect(await sample('tamasha_interactions_total{command="poll",outcome="user_error"}')).toBe(1);
    await loop.clickButton({ message: poll, customId: 'poll:vote:deadbeef:0', force: true }).waitForReply();
    await j!.waitForLog(() => j!.logs.filter((l) => l.msg === 'handled').length >= 4);
    expect(await sample('tamasha_interactions_total{command="poll",outcome="user_error"}')).toBe(2);
    expect(await sample('tamasha_votes_committed_total{kind="recorded"}')).toBe(1);
    expect(await sample('tamasha_rest_responses_total{method="POST",route="interactions",status="204"}')).toBeGreaterThanOrEqual(3);
    expect(await sample('tamasha_shard_up{shard="0",status="Ready"}')).toBe(1);
    expect(await sample('tamasha_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts the 429s of a global rate limit', async () => {
    j = await startJourney({ metricsPort: 0, loop: { globalRateLimit: { perSecond: 2 } } });
    const channel = `/channels/${j.channelId}` as const;
    // Past the loopback's 2 a second: some are answered 429 and retried by discord.js once the window passes.
    await Promise.all(Array.from({ length: 6 }, () => j!.bot.client.rest.get(channel)));
    const refused = j.loop.rateLimited.filter((r) => r.path === channel).length;
    expect(refused).toBeGreaterThan(0);
    expect(await sample('tamasha_rest_responses_total{method="GET",route="channels",status="429"}')).toBe(refused);
    expect(await sample('tamasha_rest_responses_total{method="GET",route="channels",status="200"}')).toBe(6);
  });

  it('answers 503 naming the store once it stops answering', async () => {
    await start();
    expect((await health()).status).toBe(200);
    await j!.bot.store.close();
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.problems).toEqual([expect.stringMatching(/^store: /)]);
  });

  it('answers 503 naming the shard once the gateway is closed for good, and stops serving on shutdown', async () => {
    await start();
    expect((await health()).status).toBe(200);
    expect(j!.loop.closeGateway(4004)).toBe(1); // authentication failed: discord.js does not reconnect
    await j!.bot.fatal;
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.problems).toEqual([expect.stringMatching(/^gateway: shard 0 is /)]);
    expect(await sample('tamasha_shard_up{shard="0",status="Ready"}')).toBe(0);
    const port = j!.bot.metricsPort;
    await j!.close();
    j = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('serves nothing when METRICS_PORT is unset, and logs name the shards', async () => {
    j = await startJourney();
    expect(j.bot.metricsPort).toBeUndefined();
    expect(j.logs.find((l) => l.msg === 'tamasha is online')).toMatchObject({ shards: [0] });
  });

  it('as a process: METRICS_PORT from the environment, every line names the shards, and SIGTERM still drains and exits 0', async () => {
    const loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
    const proc = startBotProcess(loop.apiUrl, dir, { DATABASE_URL: `sqlite://${join(dir, 'proc.sqlite')}`, METRICS_PORT: '0' });
    try {
      await proc.until('tamasha is online');
      const port = Number(/"port":(\d+)[^\n]*serving \/metrics/.exec(proc.output())?.[1]);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const lines = proc.output().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ shards: [0] });
      proc.child.kill('SIGTERM');
      expect(await exitWithin(proc, 10_000)).toBe(0);
      const shutdown = proc.output().split('\n').find((l) => l.includes('"signal":"SIGTERM"'));
      expect(JSON.parse(shutdown ?? '{}')).toMatchObject({ shards: [0], msg: 'shutting down' });
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await loop.close();
    }
  });
});
