import { describe, expect, it } from 'vitest';
import { DigestService } from '../../src/digests/service.js';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import type { PollStandings } from '../../src/digests/types.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';

const pack = loadStoryPack('data');
const standings = (channel: string): PollStandings => ({ pollId: channel, question: `Poll in ${channel}?`, labels: ['Folk hero', 'Villain'], counts: [2, 1], voters: 3, hidden: false });

/** A headline source holding one poll per channel, newest last: it answers with the newest one `visible` lets through. */
function service(channels: string[], audience?: (guildId: string, digestChannelId: string | null, channelId: string) => boolean) {
  const headline = { latest: async (_guildId: string, visible: (channelId: string) => boolean) => [...channels].reverse().filter(visible).map(standings)[0] ?? null };
  return new DigestService({ repo: new StoreDigestRepository(openStore('memory:', createLogger('silent'))), clock: new FakeClock(), logger: createLogger('silent'), pack, sender: { send: async () => undefined, findPosted: async () => false }, headline, ...(audience ? { audience } : {}) });
}
const pollField = async (s: DigestService) => (await s.preview('g1', (await s.list('g1'))[0]?.channelId ?? null)).card.fields?.find((f) => f.name.startsWith('📊'));

describe('the digest and polls in other channels', () => {
  it('shows a poll from the digest channel itself, and none from another channel when no audience rule is given', async () => {
    const s = service(['digest', 'mods']);
    await s.configure('g1', { channelId: 'digest', time: '09:00', zone: 'UTC', thread: false });
    expect((await pollField(s))?.name).toContain('Poll in digest?');
  });

  it('asks the audience rule about every other channel, with the digest channel', async () => {
    const asked: Array<[string, string | null, string]> = [];
    const s = service(['lounge', 'mods'], (guildId, digestChannelId, channelId) => (asked.push([guildId, digestChannelId, channelId]), channelId === 'lounge'));
    await s.configure('g1', { channelId: 'news', time: '09:00', zone: 'UTC', thread: false });
    expect((await pollField(s))?.name).toContain('Poll in lounge?');
    expect(asked).toContainEqual(['g1', 'news', 'mods']);
  });

  it('shows no standings when every headline poll is in a channel its readers cannot all view', async () => {
    const s = service(['mods'], () => false);
    await s.configure('g1', { channelId: 'news', time: '09:00', zone: 'UTC', thread: false });
    const field = await pollField(s);
    expect(field?.value).not.toMatch(/voters so far/);
    expect(field?.name).not.toContain('Poll in mods?');
  });
});
