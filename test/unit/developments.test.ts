import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StoreDevelopmentRepository } from '../../src/developments/repository.js';
import { DevelopmentInputError, DevelopmentService } from '../../src/developments/service.js';
import { claimStanding } from '../../src/developments/standing.js';
import type { ShownDevelopment } from '../../src/developments/types.js';
import { sinceNote, standingLine, updatesMessage } from '../../src/discord/messages/developments.js';
import { textDisplays } from '../loopback/validate-v2.js';
import { openStore } from '../../src/storage/store.js';
import { loadStoryPack } from '../../src/story/load.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';

const pack = loadStoryPack('data');
const G = '100000000000000001';
const dev = (id: string, date: string, status: ShownDevelopment['status']): ShownDevelopment => ({ id, date, status, headline: `${id} headline`, source: { name: 'Wire', url: 'https://example.org/x' }, sections: [], stakeholders: [], origin: 'pack' });

let copy: PackCopy | undefined;
afterEach(() => copy?.remove());

describe('developments.json', () => {
  it('is optional: the shipped pack has none', () => {
    expect(pack.developments).toEqual([]);
  });

  it('loads a valid file newest first, and names every bad field and unknown reference', () => {
    copy = copyPack();
    const section = pack.story.sections[0]!.id;
    const write = (list: unknown) => writeFileSync(join(copy!.dir, 'developments.json'), JSON.stringify(list));
    write([
      { id: 'a', date: '2026-02-01', headline: 'Older', source: { name: 'Wire', url: 'https://example.org/a' }, status: 'denied', sections: [section] },
      { id: 'b', date: '2026-03-01', headline: 'Newer', source: { name: 'Wire', url: 'https://example.org/b' }, status: 'disputed' },
    ]);
    expect(copy.problems()).toEqual([]);
    expect(loadStoryPack(copy.dir).developments.map((d) => d.id)).toEqual(['b', 'a']);
    write([{ id: 'a', date: '2026-2-1', headline: 'x', source: { name: 'Wire', url: 'http://example.org' }, status: 'true', sections: ['nope'] }]);
    const problems = copy.problems().join('\n');
    expect(problems).toMatch(/developments\.json: \[0\]\.date: "2026-2-1" does not match/);
    expect(problems).toMatch(/\[0\]\.source\.url: "http:\/\/example\.org" does not match/);
    expect(problems).toMatch(/\[0\]\.status: expected one of alleged, confirmed, denied, disputed, corrected, retracted, got "true"/);
  });
});

describe("the central claim's standing", () => {
  const now = Date.UTC(2026, 5, 1);
  it('is still an allegation with nothing, or only "alleged", since publication', () => {
    expect(claimStanding([], now)).toEqual({ kind: 'alleged', asOf: '2026-06-01' });
    expect(claimStanding([dev('x', '2026-05-01', 'alleged')], now).kind).toBe('alleged');
  });

  it('follows the newest development that says something of it; a later repetition of the allegation does not undo it', () => {
    expect(claimStanding([dev('c', '2026-03-01', 'confirmed'), dev('d', '2026-04-01', 'denied')], now).kind).toBe('denied');
    expect(claimStanding([dev('d', '2026-04-01', 'denied'), dev('r', '2026-05-01', 'alleged')], now).kind).toBe('denied');
  });

  it('is worded without ever stating the allegation as fact', () => {
    const confirmed = standingLine(claimStanding([dev('c', '2026-03-01', 'confirmed')], now));
    expect(confirmed).toBe("As of 2026-06-01, Wire reports the allegation confirmed (2026-03-01: “c headline”). That is Wire's report, not a finding of tamasha.");
    expect(standingLine(claimStanding([dev('d', '2026-03-01', 'denied')], now))).toMatch(/^Still an allegation as of 2026-06-01, and denied: Wire reported on 2026-03-01/);
    expect(standingLine(claimStanding([], now))).toBe('Still an allegation as of 2026-06-01: no development recorded here since publication confirms it.');
  });
});

describe('a server’s developments', () => {
  it('are added and removed per server; the input is checked', async () => {
    const store = openStore('memory:', createLogger('silent'));
    const service = new DevelopmentService(new StoreDevelopmentRepository(store), pack, new FakeClock(Date.UTC(2026, 5, 1, 9)));
    const input = { headline: 'Company denies it', sourceName: 'Wire', sourceUrl: 'https://example.org/denial', status: 'denied' as const, sections: [pack.story.sections[0]!.id], stakeholders: [] };
    await expect(service.add(G, 'u', { ...input, sourceUrl: 'http://example.org' })).rejects.toEqual(new DevelopmentInputError('url'));
    await expect(service.add(G, 'u', { ...input, sourceUrl: 'javascript:alert(1)' })).rejects.toEqual(new DevelopmentInputError('url'));
    await expect(service.add(G, 'u', { ...input, headline: 'x'.repeat(201) })).rejects.toEqual(new DevelopmentInputError('headline'));
    await expect(service.add(G, 'u', { ...input, sections: ['nope'] })).rejects.toEqual(new DevelopmentInputError('touches'));
    const added = await service.add(G, 'u', input);
    expect(added).toMatchObject({ date: '2026-06-01', status: 'denied', addedBy: 'u' });
    expect((await service.list(G)).map((d) => d.id)).toEqual([added.id]);
    expect(await service.list('100000000000000002')).toEqual([]);
    expect((await service.touching(G, { section: pack.story.sections[0]!.id }))?.id).toBe(added.id);
    expect(await service.touching(G, { section: pack.story.sections[1]!.id })).toBeUndefined();
    expect((await service.standing(G)).kind).toBe('denied');
    expect(await service.remove(G, added.id)).toMatchObject({ id: added.id });
    expect(await service.remove(G, added.id)).toBeNull();
    expect((await service.standing(G)).kind).toBe('alleged');
    await store.close();
  });
});

describe("a development's link", () => {
  const input = { headline: 'Company denies it', sourceName: 'Wire', sourceUrl: 'https://example.org/denial', status: 'denied' as const, sections: [], stakeholders: [] };

  it.each([
    'https://a.example/<@&123>',
    'https://a.example/[x](https://evil.example)',
    'https://a.example/**big**',
    'https://a.example/a|b',
    'https://a.example/~x~',
    'https://a.example/`x`',
    'https://a.example/a\\b',
    'https://a.example/(x)',
  ])('refuses %s: Markdown could show it as something else', async (sourceUrl) => {
    const store = openStore('memory:', createLogger('silent'));
    const service = new DevelopmentService(new StoreDevelopmentRepository(store), pack, new FakeClock(Date.UTC(2026, 5, 1, 9)));
    await expect(service.add(G, 'u', { ...input, sourceUrl })).rejects.toEqual(new DevelopmentInputError('linkCharacters'));
    await store.close();
  });

  it('accepts an ordinary https link, underscores, query and fragment included', async () => {
    const store = openStore('memory:', createLogger('silent'));
    const service = new DevelopmentService(new StoreDevelopmentRepository(store), pack, new FakeClock(Date.UTC(2026, 5, 1, 9)));
    const added = await service.add(G, 'u', { ...input, sourceUrl: 'https://example.org/a_b/c-d?x=1&y=%28z%29#top' });
    expect(added.source.url).toBe('https://example.org/a_b/c-d?x=1&y=%28z%29#top');
    await store.close();
  });

  it('is shown inert on /story updates, even one the checks never saw (a pack written by hand)', () => {
    const d: ShownDevelopment = { ...dev('p', '2026-03-01', 'denied'), source: { name: 'Wire', url: 'https://a.example/<@&123>/[x](https://evil.example)' } };
    const shown = textDisplays(updatesMessage(claimStanding([d], Date.UTC(2026, 5, 1)), { items: [d], page: 0, pages: 1, total: 1 }).components.map((c) => c.toJSON())).join('\n');
    expect(shown).toContain('https://a.example/');
    expect(shown).not.toMatch(/<@&123>/);
    expect(shown).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
  });

  it("is never part of the digest's development line, whose words are inert", () => {
    const d: ShownDevelopment = { ...dev('p', '2026-03-01', 'denied'), headline: '[Claim](https://evil.example) <@&1> **now**', source: { name: '<@&2>', url: 'https://a.example/<@&123>' } };
    const line = sinceNote(d);
    expect(line).not.toMatch(/<@&\d/);
    expect(line).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(line).not.toMatch(/(?<!\\)\*\*now/);
    expect(line).not.toContain('a.example');
  });
});
