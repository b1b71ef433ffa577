import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreDigestRepository } from '../../src/digests/repository.js';
import type { DigestSettings } from '../../src/digests/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { healAll, inject } from '../helpers/sqlite-faults.js';
import { textOf, titleOf } from '../loopback/read.js';
import { useJourney } from './harness.js';

/**
 * The store cannot be read at the moment the bot comes online (a lock held too long, a disk hiccup):
 * what it loads then (digest schedules, open polls) must be loaded once the store answers again, not
 * left unarmed until someone restarts the bot.
 */
const dir = mkdtempSync(join(tmpdir(), 'tamasha-startup-retry-'));
// 2026-06-10 06:00 UTC = 08:00 in Berlin, an hour before the 09:00 digest.
const clock = new FakeClock(Date.parse('2026-06-10T06:00:00Z'));
let news = '';

const j = useJourney({ clock, databaseUrl: `sqlite://${join(dir, 'retry.sqlite')}`, guilds: [{ channels: [{ name: 'general' }, { name: 'news' }] }] }, { dir, afterEach: healAll });
beforeAll(async () => {
  news = j.loop.guilds[0]!.channelId('news');
});

describe('a store that cannot be read as the bot comes online', () => {
  it('arms the digest schedule once the store answers again, and the digest goes out on time', async () => {
    const settings: DigestSettings = {
      guildId: j.guildId, channelId: news, time: '09:00', zone: 'Europe/Berlin', thread: false, enabled: true,
      activeSince: clock.now(), daysSent: 0, lastSentDay: null, lastSentAt: null, sending: null, pollSnapshot: null, lastError: null, skipDay: null, notifyRoleId: null, lastWarning: null,
    };
    await new StoreDigestRepository(j.bot.store).save(settings);
    inject({ match: /FROM digests/ });
    await j.restart();
    await j.loop.waitForReady();
    await expect.poll(() => j.logs.some((l) => /could not start the digest schedule/.test(String(l.msg)))).toBe(true);
    healAll();
    // A minute later (the retry's wait), then the digest's own time.
    clock.advance(60_000);
    clock.set(Date.parse('2026-06-10T07:00:00Z'));
    const posted = await j.loop.waitForMessage((m) => m.channel_id === news && titleOf(m).startsWith('Day 1'));
    expect(posted).toBeDefined();
  });

  it('loads an open poll once the store answers again, and closes it at its deadline', async () => {
    const general = j.loop.guilds[0]!.channelId('general');
    await j.loop.sendCommand({ name: 'poll', subcommand: 'start', channelId: general, options: { question: 'Tea or coffee?', answers: 'Tea, Coffee', duration: '1h' } }).waitForReply();
    inject({ match: /FROM polls/ });
    await j.restart();
    await j.loop.waitForReady();
    await expect.poll(() => j.logs.some((l) => /could not load open polls/.test(String(l.msg)))).toBe(true);
    healAll();
    clock.advance(60_000); // the retry loads it and arms its deadline
    await expect.poll(() => j.logs.some((l) => /could load open polls after all/.test(String(l.msg)))).toBe(true);
    clock.advance(60 * 60_000);
    const results = await j.loop.waitForMessage((m) => m.channel_id === general && textOf(m).includes('Poll closed'));
    expect(textOf(results)).toContain('Tea or coffee?');
  });
});
