import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { registerCommands } from '../../src/deploy.js';
import { createLogger } from '../../src/logger.js';
import { COLLECTIONS } from '../../src/storage/keys.js';
import { openStore } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { postgresEnabled, usePostgres, watchWriters, type WrittenRow } from '../helpers/postgres.js';
import { type Loopback, startLoopbackDiscord } from '../loopback/index.js';
import { shardOf } from '../loopback/util.js';
import { type BotProcess, exitWithin, startBotProcess } from './child.js';
import { APP_ID, TOKEN } from './harness.js';
import { rollingRestartJourney, type SharedStore } from './shard-journey.js';

/**
 * Real shard processes (SHARD_COUNT / SHARD_IDS, and `npm run shards`): the rolling-restart journey on
 * one SQLite file and on one PostgreSQL database (skipped without TEST_DATABASE_URL, as the store's
 * PostgreSQL tests are).
 */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-shard-procs-'));
const procs: BotProcess[] = [];

afterEach(async () => {
  // A failed test leaves processes running: end them (npm run shards' children follow their parent).
  const left = procs.splice(0).filter((p) => p.child.exitCode === null);
  for (const p of left) p.child.kill('SIGTERM');
  await Promise.all(left.map((p) => exitWithin(p, 12_000).catch(() => undefined)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shard processes on one SQLite file', () => {
  it('two (SHARD_IDS=0, 1 of SHARD_COUNT=2): each answers its own servers; a rolling restart during a vote burst loses and doubles no vote; one digest per server', async () => {
    console.log(await rollingRestartJourney({ processes: 2, store: { url: `sqlite://${join(dir, 'two.sqlite')}` }, dir, started: procs }));
  }, 120_000); // real process starts: over 60 s when two whole suites ran at once on the 2 cores
});

describe.skipIf(!postgresEnabled)('shard processes on one PostgreSQL', () => {
  const server = usePostgres();
  /** A schema of its own, its tables created and watched before the processes start. */
  const postgres = (): SharedStore => {
    const url = server.url();
    let read: (() => Promise<WrittenRow[]>) | undefined;
    return {
      url,
      async prepare() {
        const store = openStore(url, createLogger('silent'));
        for (const name of Object.values(COLLECTIONS)) store.collection(name);
        await store.ready();
        await store.close();
        read = await watchWriters(server.schemaOf(url), Object.values(COLLECTIONS));
      },
      writers: async () => writersByGuild(await read!()),
    };
  };

  it.each([2, 4])('%i processes: each answers its own servers and only it writes their polls, votes and digests; a rolling restart during a vote burst loses and doubles no vote; one digest per server', async (processes) => {
    console.log(await rollingRestartJourney({ processes, store: postgres(), dir, started: procs }));
  }, 120_000);
});

/**
 * Guild id → writer → tables, from the rows written: polls, open/recent indexes and digests carry
 * `guild:<id>` in their key; a poll's owner row names its guild; a vote names its poll.
 */
function writersByGuild(rows: WrittenRow[]): Map<string, Map<string, Set<string>>> {
  const pollGuild = new Map<string, string>();
  for (const r of rows) {
    const guild = /"value":"(\d+)"/.exec(r.value)?.[1];
    if (r.tbl === 'pollowners' && guild) pollGuild.set(r.key.slice('pollOwners:'.length), guild);
  }
  const out = new Map<string, Map<string, Set<string>>>();
  for (const r of rows) {
    const guild = /(?:^|:)guild:(\d+)/.exec(r.key)?.[1] ?? pollGuild.get(r.key.slice('pollOwners:'.length)) ?? pollGuild.get(/^votes:poll:([^:]+):/.exec(r.key)?.[1] ?? '') ?? `unplaced ${r.tbl} ${r.key}`;
    const byWriter = out.get(guild) ?? new Map<string, Set<string>>();
    out.set(guild, byWriter.set(r.writer, (byWriter.get(r.writer) ?? new Set()).add(r.tbl)));
  }
  return out;
}

describe('npm run shards: one command, one child process per shard', () => {
  let loop: Loopback;
  beforeAll(async () => {
    loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID, guilds: [{}, {}], recommendedShards: 2, rateLimit: { limit: 50, resetAfterMs: 50 } });
    const config: Config = { token: TOKEN, clientId: APP_ID, guildId: undefined, databaseUrl: 'memory:', logLevel: 'silent', apiUrl: loop.apiUrl, storyDir: 'data' };
    await registerCommands(config, loadStoryPack('data'));
  });
  afterEach(() => loop.assertNoViolations());
  afterAll(() => loop.close());
  const start = (env: Record<string, string>, entry?: string) => {
    const proc = startBotProcess(loop.apiUrl, dir, env, ['test/fixtures/clock-offset.ts'], entry);
    procs.push(proc);
    return proc;
  };

  it('asks DISCORD_API_URL for the shard count, starts a child per shard, starts one again when it exits, and stops them all on SIGTERM', async () => {
    const file = join(dir, 'manager.sqlite');
    const manager = start({ DATABASE_URL: `sqlite://${file}`, LOG_LEVEL: 'info' }, 'src/shards.ts');
    const online = () => [...manager.output().matchAll(/"guilds":(\d+)[^\n]*tamasha is online/g)].map((m) => Number(m[1]));
    await waitFor(() => online().length === 2, 'both children online', 40_000);
    expect(manager.output()).toContain('"shardCount":2');
    expect(loop.sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(online()).toEqual([1, 1]); // each child owns one server: its own shard's
    for (const guild of loop.guilds) {
      expect((await loop.sendCommand({ name: 'poll', subcommand: 'start', guildId: guild.id, options: { question: 'Managed?', answers: 'Yes, No' } }).waitForReply()).content ?? '').toBe('');
    }

    const pids = [...manager.output().matchAll(/"shard":(\d),"pid":(\d+)/g)].map((m) => ({ shard: Number(m[1]), pid: Number(m[2]) }));
    expect(pids.map((p) => p.shard).sort()).toEqual([0, 1]);
    process.kill(pids[0]!.pid, 'SIGKILL');
    await manager.until(`"shard":${pids[0]!.shard},"exitCode"`);
    await waitFor(() => online().length === 3, 'the child to be started again');
    const guild = loop.guilds.find((g) => shardOf(g.id, 2) === pids[0]!.shard)!;
    expect((await loop.sendCommand({ name: 'story', subcommand: 'summary', guildId: guild.id }).waitForReply()).embeds).toHaveLength(1);

    manager.child.kill('SIGTERM');
    expect(await exitWithin(manager, 15_000)).toBe(0);
    expect(manager.output()).toContain('every shard process stopped');
    for (const pid of [...manager.output().matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]))) expect(alive(pid)).toBe(false);
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
