import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { latestHeadline } from '../../src/polls/headline.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { Poll } from '../../src/polls/types.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G = '100000000000000001';
const GENERAL = '200000000000000002';
const MODS = '200000000000000003';
const HISTORY = 1_000;
// History ids start with "h", which no random (hex) poll id does.

/** A store that records every read of poll records: `get <key>` and `entries <prefix>`. */
function countingStore(): { store: Store; reads: string[] } {
  const inner = openStore('memory:', createLogger('silent'));
  const reads: string[] = [];
  const store: Store = {
    collection<T>(name: string) {
      const c = inner.collection<T>(name);
      if (name !== 'polls') return c;
      const [get, entries] = [c.get.bind(c), c.entries.bind(c)];
      c.get = async (key) => (reads.push(`get ${key}`), get(key));
      c.entries = async (prefix) => (reads.push(`entries ${prefix ?? ''}`), entries(prefix));
      return c;
    },
    close: () => inner.close(),
  };
  return { store, reads };
}

const closedPoll = (i: number, clock: FakeClock): Poll => ({
  id: `h${i.toString(16).padStart(7, '0')}`, guildId: G, channelId: GENERAL, messageId: null, creatorId: 'u', question: `Old question ${i}?`,
  answers: [{ label: 'A', emoji: null }, { label: 'B', emoji: null }], headline: i % 10 === 0, createdAt: clock.now() - (HISTORY - i) * 60_000,
  closesAt: clock.now() - (HISTORY - i) * 60_000 + 1_000, hideResults: false, allowChange: true, voterRoleId: null,
  status: 'closed', closedAt: clock.now() - (HISTORY - i) * 60_000 + 1_000, closedBy: 'deadline', resultsPosted: true,
});

async function serverWithHistory() {
  const clock = new FakeClock();
  const { store, reads } = countingStore();
  const repo = new StorePollRepository(store);
  const service = new PollService({ repo, clock, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
  for (let i = 0; i < HISTORY; i++) await repo.save(closedPoll(i, clock));
  const open = await service.create({ question: 'Still open?', answers: 'Yes, No', duration: '1h' }, { guildId: G, channelId: GENERAL, creatorId: 'u' });
  const secret = await service.create({ question: 'Mods only?', answers: 'Yes, No', duration: '1h' }, { guildId: G, channelId: MODS, creatorId: 'm' });
  // The first listing may build the server's index once (an existing store); what is measured is every call after it.
  await service.search(G, '', { includeClosed: true });
  reads.length = 0;
  return { clock, repo, service, reads, open, secret };
}

describe('listings of a server with 1,000 closed polls', () => {
  it('autocomplete for open polls reads no closed poll and lists no history', async () => {
    const { service, reads, open } = await serverWithHistory();
    const choices = await service.search(G, '');
    expect(choices.map((c) => c.id)).toContain(open.id);
    expect(reads.filter((r) => r.startsWith('entries') || r.includes(':poll:h'))).toEqual([]);
  });

  it('autocomplete with closed polls reads only the newest few', async () => {
    const { service, reads } = await serverWithHistory();
    const choices = await service.search(G, '', { includeClosed: true });
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.name)).toContain(`[closed] Old question ${HISTORY - 1}?`);
    expect(reads.filter((r) => r.startsWith('entries'))).toEqual([]);
    expect(reads.length).toBeLessThanOrEqual(30);
  });

  it('keeps a closed poll in the newest list once it closes, and out of the open one', async () => {
    const { service, open } = await serverWithHistory();
    await service.end(G, open.id, 'u', false);
    expect((await service.search(G, '')).map((c) => c.id)).not.toContain(open.id);
    expect((await service.search(G, '', { includeClosed: true })).find((c) => c.name.startsWith('[closed]'))?.id).toBe(open.id);
  });

  it('leaves out polls in channels the member cannot view', async () => {
    const { service, open, secret } = await serverWithHistory();
    const visible = (channelId: string) => channelId !== MODS;
    expect((await service.openPolls(G, visible)).map((p) => p.id)).toEqual([open.id]);
    expect((await service.search(G, '', { includeClosed: true, visible })).map((c) => c.id)).not.toContain(secret.id);
    expect((await service.search(G, '', { visible: () => true })).map((c) => c.id)).toContain(secret.id);
  });

  it('the digest finds the latest viewable headline poll without reading the history', async () => {
    const { repo, service, reads } = await serverWithHistory();
    const standings = await latestHeadline(repo, service, G, (channelId) => channelId === GENERAL);
    expect(standings?.question).toBe(`Old question ${HISTORY - 10}?`);
    expect(reads.filter((r) => r.startsWith('entries'))).toEqual([]);
    expect(await latestHeadline(repo, service, G, () => false)).toBeNull();
  });
});
