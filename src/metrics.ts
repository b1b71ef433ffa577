import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How an interaction ended, as the router (or the shutdown drain) saw it. */
export type InteractionOutcome = 'ok' | 'user_error' | 'discord_error' | 'failed' | 'draining';

/** One shard of this process as the metrics show it: plain data, read at scrape time. */
export interface ShardSnapshot {
  id: number;
  /** discord.js's Status name: Ready, Connecting, Reconnecting, Resuming, Disconnected, … */
  status: string;
  ready: boolean;
  /** Last heartbeat round trip in ms; negative when none has been measured yet. */
  pingMs: number;
}

/**
 * Every metric tamasha exports, in one registry per bot (tests run several bots in one process).
 * Nothing here knows discord.js or a domain: the edges and the composition root call these methods.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly interactions = new Counter({
    name: 'tamasha_interactions_total',
    help: 'Interactions handled, by command (or component scope) and outcome (ok, user_error, discord_error, failed, draining).',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly ack = new Histogram({
    name: 'tamasha_interaction_ack_seconds',
    help: 'From the interaction being created (its snowflake time) to its first response sent. Discord gives up at 3 s.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
    registers: [this.registry],
  });
  private readonly votes = new Counter({
    name: 'tamasha_votes_committed_total',
    help: 'Votes stored (then acknowledged), by kind: recorded, changed, retracted.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly digests = new Counter({
    name: 'tamasha_digests_total',
    help: 'Daily digests attempted, by outcome: sent or failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly lateness = new Histogram({
    name: 'tamasha_digest_lateness_seconds',
    help: "Seconds between a digest's scheduled time and its post (or failure).",
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly rest = new Counter({
    name: 'tamasha_rest_responses_total',
    help: "Discord REST responses, by method, route family (the path's first segment) and HTTP status; 429 is a rate limit hit.",
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'tamasha_rest_rate_limited_total',
    help: 'Times discord.js waited on a rate limit, by scope (user, global, shared) and whether it was the global limit.',
    labelNames: ['scope', 'global'] as const,
    registers: [this.registry],
  });

  constructor(shards: () => readonly ShardSnapshot[]) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tamasha_' });
    new Gauge({
      name: 'tamasha_shard_up',
      help: "1 when the shard is connected and ready, else 0; the shard's discord.js status (Ready, Reconnecting, Disconnected, …) is a label.",
      labelNames: ['shard', 'status'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const shard of shards()) this.set({ shard: String(shard.id), status: shard.status }, shard.ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tamasha_gateway_ping_seconds',
      help: "The shard's last gateway heartbeat round trip.",
      labelNames: ['shard'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const shard of shards()) if (shard.pingMs >= 0) this.set({ shard: String(shard.id) }, shard.pingMs / 1000);
      },
    });
  }

  interaction(command: string, outcome: InteractionOutcome): void {
    this.interactions.inc({ command, outcome });
  }

  acknowledged(seconds: number): void {
    this.ack.observe(Math.max(0, seconds));
  }

  voteCommitted(kind: 'recorded' | 'changed' | 'retracted'): void {
    this.votes.inc({ kind });
  }

  digest(outcome: 'sent' | 'failed', latenessSeconds: number): void {
    this.digests.inc({ outcome });
    this.lateness.observe(Math.max(0, latenessSeconds));
  }

  restResponse(method: string, path: string, status: number): void {
    this.rest.inc({ method: method.toUpperCase(), route: routeFamily(path), status: String(status) });
  }

  restRateLimited(scope: string, global: boolean): void {
    this.rateLimited.inc({ scope, global: String(global) });
  }
}

/**
 * The first segment of a REST path: a handful of values, so the label stays small, and never an id
 * or an interaction token (both sit further along the path).
 */
export function routeFamily(path: string): string {
  const first = /^\/?([a-z-]+)/.exec(path)?.[1];
  return first ?? 'other';
}
