/**
 * Time per /poll autocomplete call (and per digest headline lookup) on a server with 1,000 closed
 * polls and 2 open ones, on SQLite. Run: npx tsx bench/autocomplete-history.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../src/logger.js';
import { latestHeadline } from '../src/polls/headline.js';
import { PollRepository } from '../src/polls/repository.js';
import { PollService } from '../src/polls/service.js';
import type { Poll } from '../src/polls/types.js';
import { openStore } from '../src/storage/store.js';

const G = '100000000000000001';
const CALLS = 50;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-ac-'));
const store = openStore(`sqlite://${join(dir, 'bench.sqlite')}`, createLogger('silent'));
const repo = new PollRepository(store);
const service = new PollService({ repo, clock: { now: () => Date.now(), setTimer: () => () => undefined }, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
const now = Date.now();
for (let i = 0; i < 1_000; i++) {
  const at = now - (1_000 - i) * 60_000;
  const poll: Poll = {
    id: `c${i.toString(16).padStart(7, '0')}`, guildId: G, channelId: '2', messageId: '3', creatorId: 'u', question: `Closed question number ${i} about the story?`,
    answers: Array.from({ length: 5 }, (_, a) => ({ label: `Answer ${a}`, emoji: null })), headline: i % 10 === 0, createdAt: at, closesAt: at + 1_000,
    hideResults: false, allowChange: true, voterRoleId: null, status: 'closed', closedAt: at + 1_000, closedBy: 'deadline', resultsPosted: true,
  };
  await repo.save(poll);
}
for (let i = 0; i < 2; i++) await service.create({ question: `Open ${i}?`, answers: 'Yes, No', duration: '1h' }, { guildId: G, channelId: '2', creatorId: 'u' });

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // a first call may build an index once
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label}: median ${samples[CALLS >> 1]!.toFixed(2)} ms, p95 ${samples[Math.floor(CALLS * 0.95)]!.toFixed(2)} ms`);
}

await time('autocomplete /poll end (open polls)', () => service.search(G, 'op'));
await time('autocomplete /poll results (with closed)', () => service.search(G, 'quest', { includeClosed: true }));
await time('digest headline lookup', () => latestHeadline(repo, service, G, () => true));
await service.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
