/**
 * `npm run playground`: try tamasha without Discord. Starts the loopback Discord (test/loopback) and the
 * real bot in-process (test/e2e/harness.ts), and serves a Discord-like page on 127.0.0.1.
 *
 *   npm run playground                      # a free port, printed
 *   npm run playground -- --port 5173
 *   STORY_DIR=../my-pack npm run playground # preview your own story pack
 *
 * The store is in memory (memory:): each run starts afresh. DATABASE_URL is deliberately not read, so a
 * shell set up for production never points the playground at the real database.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlaygroundServer, type Playground } from './server.js';
import { World } from './world.js';

export interface PlaygroundOptions {
  port?: number;
  storyDir?: string;
  start?: number;
}

export interface RunningPlayground extends Playground {
  world: World;
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<RunningPlayground> {
  const world = await World.start({ ...(options.storyDir ? { storyDir: options.storyDir } : {}), ...(options.start === undefined ? {} : { start: options.start }) });
  const server = await startPlaygroundServer(world, options.port ?? 0).catch(async (error: unknown) => {
    await world.close();
    throw error;
  });
  return {
    ...server,
    world,
    async close() {
      await server.close();
      await world.close();
    },
  };
}

function parsePort(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i === -1) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port takes a port number (0–65535), got ${argv[i + 1] ?? 'nothing'}`);
  return port;
}

async function main(argv: string[]): Promise<void> {
  const playground = await startPlayground({
    port: parsePort(argv),
    ...(process.env.STORY_DIR ? { storyDir: process.env.STORY_DIR } : {}),
  });
  console.log(`tamasha playground: ${playground.url}\n(the real bot against a loopback Discord on this machine; Ctrl+C to stop)`);
  const stop = (): void => {
    void playground.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
