import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDigest } from '../../src/digests/render.js';
import { loadStoryPack, StoryPackError } from '../../src/story/load.js';
import { renderCompare, renderContents, renderSectionPage, renderSummary, renderTake } from '../../src/story/render.js';

const english = loadStoryPack('data');
const section = english.story.sections[0]!;
const holder = english.stakeholders[0]!;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The real pack plus translation files. */
function packWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-translations-'));
  dirs.push(dir);
  cpSync('data', dir, { recursive: true });
  mkdirSync(join(dir, 'translations'));
  for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, 'translations', name), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}

describe('story pack translations (data/translations/<locale>.json)', () => {
  it('show our summaries and takes in the reader\'s language, field by field, else English; the article\'s words never change', () => {
    const pack = loadStoryPack(packWith({
      'de.json': { summary: { short: 'Kurz auf Deutsch.' }, sections: { [section.id]: { summary: 'Abschnitt, angeblich.' } }, stakeholders: { [holder.id]: { position: 'Ihre Position, laut Artikel.' } } },
    }));
    expect(renderSummary(pack, 'short', 'de').description).toBe('Kurz auf Deutsch.');
    expect(renderSummary(pack, 'detailed', 'de').description).toBe(english.story.summary.detailed);
    expect(renderSummary(pack, 'short', 'fr').description).toBe(english.story.summary.short);
    const page = renderSectionPage(pack, 0, 0, 'de').card;
    expect(page.description).toBe('**Kurz gesagt:** Abschnitt, angeblich.');
    expect(page.fields?.[0]?.value).toBe(renderSectionPage(english, 0, 0, 'de').card.fields?.[0]?.value);
    expect(renderContents(pack, 'de').description).toContain('Abschnitt, angeblich.');
    const take = renderTake(pack, holder, 'de');
    expect(take.description).toBe('Ihre Position, laut Artikel.');
    expect(take.fields?.[0]?.value).toBe(holder.gains);
    expect(take.fields?.[3]?.value).toBe(renderTake(english, holder, 'de').fields?.[3]?.value); // the quotes
    expect(renderCompare(pack, holder, english.stakeholders[1]!, 'de').sides[0].fields?.[0]?.value).toBe('Ihre Position, laut Artikel.');
    expect(renderTake(pack, holder, 'en-US').description).toBe(holder.position);
    expect(renderDigest(pack, 1, null, null, null, 'de').card.description).toContain('Abschnitt, angeblich.');
  });

  it('a Latin American Spanish reader borrows the Spanish file', () => {
    const pack = loadStoryPack(packWith({ 'es-ES.json': { summary: { short: 'Breve.' } } }));
    expect(renderSummary(pack, 'short', 'es-419').description).toBe('Breve.');
  });

  it.each([
    ['a language tamasha does not speak', { 'ko.json': {} }, /ko\.json: is not a language tamasha speaks/],
    ['an unknown section', { 'de.json': { sections: { nowhere: { summary: 'x' } } } }, /de\.json: sections\.nowhere: no section has this id/],
    ['an unknown stakeholder', { 'ja.json': { stakeholders: { nobody: { position: 'x' } } } }, /ja\.json: stakeholders\.nobody: no stakeholder has this id/],
    ['a field that is not ours to translate (a quote)', { 'fr.json': { stakeholders: { [holder.id]: { quotes: [] } } } }, /fr\.json: stakeholders\.[a-z-]+: Unrecognized key/],
    ['a summary over its limit', { 'hi.json': { summary: { short: 'x'.repeat(401) } } }, /hi\.json: summary\.short: is 401 characters long, the limit is 400/],
    ['broken JSON', { 'pt-BR.json': '{' }, /pt-BR\.json: is not valid JSON/],
  ])('refuse %s, saying where', (_name, files, problem) => {
    expect(() => loadStoryPack(packWith(files))).toThrow(StoryPackError);
    expect(() => loadStoryPack(packWith(files))).toThrow(problem);
  });
});
