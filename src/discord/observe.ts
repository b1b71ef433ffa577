import { type Client, RESTEvents, SnowflakeUtil, Status } from 'discord.js';
import type { Metrics, ShardSnapshot } from '../metrics.js';

// An interaction's one callback: its first response (later ones are webhook follow-ups).
const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback/;

/** This client's shards as plain data, for the metrics and the health check. */
export function shardSnapshots(client: Client): ShardSnapshot[] {
  return [...client.ws.shards.values()].map((shard) => ({
    id: shard.id,
    status: Status[shard.status] ?? String(shard.status),
    ready: shard.status === Status.Ready,
    pingMs: shard.ping,
  }));
}

/**
 * Counts what the client's REST layer sees: every response by status (429s included), every rate
 * limit it waited on, and each interaction's acknowledgement latency, measured from the
 * interaction's creation (its snowflake, Discord's clock) to the response to its callback.
 */
export function observeRest(client: Client, metrics: Metrics): void {
  client.rest.on(RESTEvents.Response, (request, response) => {
    const path = String(request.path);
    metrics.restResponse(request.method, path, response.status);
    const callback = CALLBACK.exec(path);
    if (callback?.[1] && response.ok) metrics.acknowledged((Date.now() - SnowflakeUtil.timestampFrom(callback[1])) / 1000);
  });
  client.rest.on(RESTEvents.RateLimited, (info) => metrics.restRateLimited(info.scope, info.global));
}

/** Why this client's shards cannot serve, in a few words each; empty when every shard is ready. */
export function shardProblems(client: Client): string[] {
  const shards = shardSnapshots(client);
  if (shards.length === 0) return ['gateway: no shard connected yet'];
  return shards.filter((s) => !s.ready).map((s) => `gateway: shard ${s.id} is ${s.status}`);
}
