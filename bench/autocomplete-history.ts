/**
 * Time per /poll autocomplete call (and per digest headline lookup) on a server with 1,000 closed
 * polls and 2 open ones, on SQLite: what a keystroke costs once a server has a long history. Part of
 * `npm run bench` (`--only autocomplete`); alone: npx tsx bench/autocomplete-history.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/logger.js';
import { latestHeadline } from '../src/polls/headline.js';
import { StorePollRepository } from '../src/polls/repository.js';
import { PollService } from '../src/polls/service.js';
import type { Poll } from '../src/polls/types.js';
import { openStore } from '../src/storage/store.js';
import { isMainModule, timeCalls } from './cli.js';

const G = '100000000000000001';

export interface AutocompleteBench {
  name: string;
  /** What one call does, from where to where. */
  times: string;
  calls: number;
  p50: number;
  p95: number;
  max: number;
}

/** `calls` timed calls of each lookup (after a discarded first one), on a server with `closed` closed polls. */
export async function benchAutocomplete(options: { closed?: number; calls?: number } = {}): Promise<AutocompleteBench[]> {
  const { closed = 1_000, calls = 50 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-ac-'));
  const store = openStore(`sqlite://${join(dir, 'bench.sqlite')}`, createLogger('silent'));
  const repo = new StorePollRepository(store);
  const service = new PollService({ repo, clock: { now: () => Date.now(), setTimer: () => () => undefined }, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
  try {
    const now = Date.now();
    for (let i = 0; i < closed; i++) {
      const at = now - (closed - i) * 60_000;
      const poll: Poll = {
        id: `c${i.toString(16).padStart(7, '0')}`, guildId: G, channelId: '2', messageId: '3', creatorId: 'u', question: `Closed question number ${i} about the story?`,
        answers: Array.from({ length: 5 }, (_, a) => ({ label: `Answer ${a}`, emoji: null })), headline: i % 10 === 0, createdAt: at, closesAt: at + 1_000,
        hideResults: false, allowChange: true, voterRoleId: null, status: 'closed', closedAt: at + 1_000, closedBy: 'deadline', resultsPosted: true,
      };
      await repo.save(poll);
    }
    for (let i = 0; i < 2; i++) await service.create({ question: `Open ${i}?`, answers: 'Yes, No', duration: '1h' }, { guildId: G, channelId: '2', creatorId: 'u' });

    const time = async (name: string, times: string, run: () => Promise<unknown>): Promise<AutocompleteBench> => ({ name, times, calls, ...(await timeCalls(run, calls)) });
    return [
      await time('/poll end (open polls)', 'PollService.search(guild, "op") called → the choices resolved', () => service.search(G, 'op')),
      await time('/poll results (with closed)', 'PollService.search(guild, "quest", { includeClosed }) called → the choices resolved', () => service.search(G, 'quest', { includeClosed: true })),
      await time('digest headline lookup', "latestHeadline(...) called → the newest headline poll's standings resolved", () => latestHeadline(repo, service, G, () => true)),
    ];
  } finally {
    await service.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printAutocomplete(results: AutocompleteBench[], closed = 1_000): void {
  console.log('   lookup                         calls   p50 ms   p95 ms   max ms');
  for (const r of results) console.log(`   ${r.name.padEnd(30)}${String(r.calls).padStart(6)}${r.p50.toFixed(2).padStart(9)}${r.p95.toFixed(2).padStart(9)}${r.max.toFixed(2).padStart(9)}`);
  console.log(`\nWhat each figure times (one server with ${closed.toLocaleString('en-US')} closed polls and 2 open ones, SQLite in a temp dir, in process, no Discord):`);
  for (const r of results) console.log(`  ${r.name.padEnd(30)} ${r.times}`);
  console.log('  Each call is timed alone, one after another, after a discarded first call. It should not grow with the number of closed polls.\n');
}

if (isMainModule(import.meta.url)) printAutocomplete(await benchAutocomplete());
