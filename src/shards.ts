/**
 * `npm run shards`: several shard processes on this machine, one per shard, each the normal entry
 * (src/index.ts) with SHARD_COUNT and SHARD_IDS of its own. discord.js's ShardingManager forks them
 * and starts a process again when it exits. SIGTERM/SIGINT: no more restarts, every child drains
 * (SIGTERM) and exits, then this exits 0 (1 if a child did not exit cleanly). A rolling restart:
 * SIGTERM one child (it drains, exits, and is started again), wait for "shard process ready", next.
 */
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { z } from 'zod';
import { type Config, configOrExit, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { SHUTDOWN_DEADLINE_MS } from './process-guards.js';

const DISCORD_API = 'https://discord.com/api';
const GatewayBot = z.object({ shards: z.number().int().positive(), session_start_limit: z.object({ max_concurrency: z.number().int().positive() }) });

/**
 * Discord's (or DISCORD_API_URL's) `GET /gateway/bot`: the recommended shard count and how many
 * shards may identify at once. ShardingManager's own `'auto'` would always ask discord.com.
 */
export async function fetchGatewayBot(config: Pick<Config, 'apiUrl' | 'token'>): Promise<{ shards: number; maxConcurrency: number }> {
  const url = `${config.apiUrl ?? DISCORD_API}/v10/gateway/bot`;
  const response = await fetch(url, { headers: { Authorization: `Bot ${config.token}` } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: cannot learn the shard count (set SHARD_COUNT to skip asking)`);
  const body = GatewayBot.parse(await response.json());
  return { shards: body.shards, maxConcurrency: body.session_start_limit.max_concurrency };
}

export async function runShards(config: Config, logger: Logger): Promise<void> {
  // SHARD_COUNT wins over the recommendation; the identify concurrency is still worth asking for.
  const gateway = config.shards ? await fetchGatewayBot(config).catch(() => undefined) : await fetchGatewayBot(config);
  const count = config.shards?.count ?? gateway?.shards ?? 1;
  const ids = config.shards?.ids ?? Array.from({ length: count }, (_, i) => i);
  // Entry next to this file: src/index.ts under tsx, dist/src/index.js when built.
  const entry = fileURLToPath(new URL(`./index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const manager = new ShardingManager(entry, { totalShards: count, shardList: ids, token: config.token, mode: 'process', respawn: true, execArgv: process.execArgv });
  manager.on('shardCreate', (shard) => {
    // Each child is one shard of `count`; without this it would inherit this machine's SHARD_IDS.
    Object.assign(shard.env as Record<string, unknown>, { SHARD_COUNT: String(count), SHARD_IDS: String(shard.id) });
    // One port per child: the n-th shard process of this machine serves METRICS_PORT + n (0 stays 0: any free port).
    if (config.metricsPort) Object.assign(shard.env as Record<string, unknown>, { METRICS_PORT: String(config.metricsPort + ids.indexOf(shard.id)) });
    // mode 'process': the child is a ChildProcess, never a Worker.
    shard.on('spawn', (child) => logger.info({ shard: shard.id, pid: 'pid' in child ? child.pid : undefined }, 'shard process started'));
    shard.on('death', (child) => logger.info({ shard: shard.id, exitCode: 'exitCode' in child ? child.exitCode : undefined, respawn: manager.respawn }, 'shard process exited'));
    shard.on('ready', () => logger.info({ shard: shard.id }, 'shard process ready'));
    shard.on('error', (error) => logger.error({ err: error, shard: shard.id }, 'shard process could not be started again'));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    logger.info({ signal, shards: ids }, 'stopping every shard process');
    const running = [...manager.shards.values()].filter((s) => s.process);
    const exits = running.map((s) => new Promise<number | null>((resolve) => s.process?.once('exit', (code) => resolve(code))));
    for (const s of running) s.process?.kill('SIGTERM');
    // Each child has its own deadline (SHUTDOWN_DEADLINE_MS); one that outlives it too is killed.
    const late = setTimeout(() => {
      logger.error('a shard process did not exit in time; killing it');
      for (const s of running) s.process?.kill('SIGKILL');
    }, SHUTDOWN_DEADLINE_MS + 2_000);
    void Promise.all(exits).then((codes) => {
      clearTimeout(late);
      const clean = codes.every((c) => c === 0);
      logger.info({ exitCodes: codes }, clean ? 'every shard process stopped' : 'a shard process did not stop cleanly');
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // Discord lets `max_concurrency` shards identify per 5 s.
  const delay = gateway && gateway.maxConcurrency >= ids.length ? 0 : 5_500;
  logger.info({ shardCount: count, shards: ids, delay }, 'starting shard processes');
  await manager.spawn({ amount: count, delay, timeout: 60_000 });
  logger.info({ shards: ids }, 'every shard process is ready');
}

async function main(): Promise<void> {
  const config = configOrExit(loadConfig);
  const logger = createLogger(config.logLevel, undefined, { secrets: [config.token] });
  try {
    await runShards(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the shard processes');
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
