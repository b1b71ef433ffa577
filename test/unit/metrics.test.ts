import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plannedShards } from '../../src/discord/client.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import { DigestService } from '../../src/digests/service.js';
import { DeliveryError } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import { Metrics, routeFamily, type ShardSnapshot } from '../../src/metrics.js';
import { startMetricsServer } from '../../src/metrics-server.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'tamasha-metrics-unit-'));
const opened: Store[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('Metrics', () => {
  it('labels REST responses by the first path segment only, never an id or an interaction token', () => {
    expect(routeFamily('/interactions/1234567890123456789/aW50ZXJhY3Rpb246MTIz/callback')).toBe('interactions');
    expect(routeFamily('/channels/1234567890123456789/messages')).toBe('channels');
    expect(routeFamily('/webhooks/1/abc')).toBe('webhooks');
    expect(routeFamily('')).toBe('other');
  });

  it('reads the shards at scrape time: up, status and ping per shard', async () => {
    let shards: ShardSnapshot[] = [{ id: 0, status: 'Ready', ready: true, pingMs: 42 }];
    const metrics = new Metrics(() => shards);
    expect(await metrics.registry.getSingleMetricAsString('tamasha_shard_up')).toContain('tamasha_shard_up{shard="0",status="Ready"} 1');
    expect(await metrics.registry.getSingleMetricAsString('tamasha_gateway_ping_seconds')).toContain('tamasha_gateway_ping_seconds{shard="0"} 0.042');
    shards = [{ id: 0, status: 'Reconnecting', ready: false, pingMs: -1 }];
    const up = await metrics.registry.getSingleMetricAsString('tamasha_shard_up');
    expect(up).toContain('tamasha_shard_up{shard="0",status="Reconnecting"} 0');
    expect(up).not.toContain('status="Ready"');
  });
});

describe('plannedShards (the logger\'s `shards` field)', () => {
  it('takes the given ids, else the SHARDS a ShardingManager sets, else shard 0', () => {
    expect(plannedShards([2, 3], { SHARDS: '[0]' })).toEqual([2, 3]);
    expect(plannedShards(undefined, { SHARDS: '[4,5]' })).toEqual([4, 5]);
    expect(plannedShards(undefined, { SHARDS: '7' })).toEqual([7]);
    expect(plannedShards(undefined, {})).toEqual([0]);
  });
});

describe('the metrics server', () => {
  it('serves /metrics and /healthz only, and says what is unhealthy', async () => {
    let problems: string[] = [];
    const metrics = new Metrics(() => []);
    metrics.voteCommitted('recorded');
    const server = await startMetricsServer({ port: 0, registry: metrics.registry, health: async () => ({ problems }) });
    const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server.port}${path}`, { method });
    expect(await (await get('/metrics')).text()).toContain('tamasha_votes_committed_total{kind="recorded"} 1');
    expect((await get('/healthz')).status).toBe(200);
    problems = ['store: no answer within 2000 ms'];
    const unhealthy = await get('/healthz');
    expect([unhealthy.status, await unhealthy.json()]).toEqual([503, { status: 'unhealthy', problems }]);
    expect((await get('/')).status).toBe(404);
    expect((await get('/metrics', 'POST')).status).toBe(405);
    await server.close();
    await expect(get('/healthz')).rejects.toThrow();
  });
});

describe('digest delivery metrics', () => {
  it('reports each digest sent or failed with how late it was after its scheduled time', async () => {
    const at = (iso: string) => Date.parse(iso);
    const clock = new FakeClock(at('2026-06-10T06:00:00Z'));
    const store = openStore(`sqlite://${join(dir, 'd.sqlite')}`, createLogger('silent'));
    opened.push(store);
    const delivered: Array<[string, number]> = [];
    const failing = new Set<string>();
    const service = new DigestService({
      repo: new StoreDigestRepository(store),
      clock,
      logger: createLogger('silent'),
      pack: loadStoryPack('data'),
      headline: { latest: async () => null },
      sender: {
        findPosted: async () => false,
        send: async (settings) => {
          if (failing.has(settings.guildId)) throw new DeliveryError('the channel is gone');
        },
      },
      onDelivered: (outcome, lateMs) => delivered.push([outcome, lateMs]),
    });
    await service.start(['g1', 'g2']);
    await service.configure('g1', { channelId: 'c1', time: '09:00', zone: 'Europe/Berlin', thread: false }); // 07:00Z
    await service.configure('g2', { channelId: 'c2', time: '09:00', zone: 'Europe/Berlin', thread: false });
    failing.add('g2');
    service.stop(); // down over 09:00: the catch-up on start is five hours late
    clock.set(at('2026-06-10T12:00:00Z'));
    await service.start(['g1', 'g2']);
    await service.idle();
    expect(delivered.sort()).toEqual([
      ['failed', 5 * 3_600_000],
      ['sent', 5 * 3_600_000],
    ]);
    service.stop();
  });
});
