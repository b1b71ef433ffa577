import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/deploy.js';
import { type CommandTable, localizeCommand } from '../../src/i18n/commands.js';
import { TRANSLATED_LOCALES, TRANSLATIONS } from '../../src/i18n/locales.js';
import { loadStoryPack } from '../../src/story/load.js';
import { validateCommands } from '../loopback/validate.js';
import { commandCoverage, pathsOf } from '../helpers/translation-coverage.js';

const pack = loadStoryPack('data');
const definitions = commandDefinitions(pack);
/** Choices made from the story pack (stakeholders) carry the pack's own names, not the language files'. */
const packValues = new Set(pack.stakeholders.map((s) => s.id));

interface Node {
  name: string;
  description?: string;
  options?: Node[];
  choices?: Array<{ name: string; value: string | number }>;
}
const coverage = commandCoverage(definitions as Node[], Object.fromEntries(TRANSLATED_LOCALES.map((locale) => [locale, TRANSLATIONS[locale].commands as CommandTable])), (value) => packValues.has(value));

/** The error codes Discord (the loopback) answers a PUT of these commands with; [] when it accepts them. */
function refusals(body: unknown): string[] {
  try {
    validateCommands(body);
    return [];
  } catch (error) {
    return [...JSON.stringify(error).matchAll(/"code":"([A-Z_]+)"/g)].map((m) => m[1]!);
  }
}

describe('command localizations', () => {
  it.each(TRANSLATED_LOCALES)('%s names and describes every command, subcommand, option and fixed choice any language translates, and nothing that no longer exists', (locale) => {
    expect(coverage.problems[locale]).toEqual([]);
  });

  it('a command no language translates yet is listed, and deployed in English: no localizations for it, which Discord accepts', () => {
    if (coverage.untranslated.length > 0) console.info(`untranslated, falls back to English: ${coverage.untranslated.join(', ')}`);
    const untranslated = new Set(coverage.untranslated.map((need) => need.split(' ')[0]!));
    for (const definition of definitions) {
      for (const [path, node] of pathsOf(definition as Node)) {
        if (!untranslated.has(path)) continue;
        expect(node, path).not.toHaveProperty('name_localizations');
        expect(node, path).not.toHaveProperty('description_localizations');
      }
    }
    // The same for a command written today and not yet translated: only its shared `*.private` option is.
    const fresh = localizeCommand<Node & { options: Array<Node & { type: number; name_localizations?: Record<string, string> }> }>({ name: 'not-yet-translated', description: 'Is it up?', options: [{ type: 5, name: 'private', description: 'Only you' }] });
    expect(fresh).not.toHaveProperty('name_localizations');
    expect(fresh).not.toHaveProperty('description_localizations');
    expect(fresh.options[0]!.name_localizations).toMatchObject({ de: 'privat' });
    expect(() => validateCommands([...definitions, fresh])).not.toThrow();
  });

  it('are sent with the commands, and Discord (the loopback) accepts them', () => {
    const story = definitions.find((d) => d.name === 'story')!;
    expect(story.name_localizations).toMatchObject({ de: 'geschichte', ja: '記事', 'es-ES': 'historia', 'es-419': 'historia' });
    const summary = story.options![0]! as Node & { options: Array<Node & { choices: Array<{ name_localizations?: Record<string, string> }> }> };
    expect(summary.options[0]!.choices[0]!.name_localizations).toMatchObject({ de: 'Kurz', fr: 'Court' });
    expect(() => validateCommands(definitions)).not.toThrow();
  });

  it('the loopback refuses what Discord refuses: an unknown locale, a capital in a name, two options named alike in one language', () => {
    const base = { name: 'story', description: 'Read it', options: [
      { type: 3, name: 'a', description: 'A' },
      { type: 3, name: 'b', description: 'B' },
    ] };
    expect(refusals([base])).toEqual([]);
    expect(refusals([{ ...base, name_localizations: { xx: 'x' } }])).toEqual(['ENUM_TYPE_COERCE']);
    expect(refusals([{ ...base, name_localizations: { de: 'Geschichte' } }])).toEqual(['APPLICATION_COMMAND_INVALID_NAME']);
    expect(refusals([{ ...base, description_localizations: { de: 'x'.repeat(101) } }])).toEqual(['BASE_TYPE_BAD_LENGTH']);
    expect(refusals([{ ...base, options: [base.options[0], { ...base.options[1], name_localizations: { de: 'a' } }] }])).toEqual(['APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS']);
    // Swapped names are still unique in German.
    expect(refusals([{ ...base, options: [{ ...base.options[0], name_localizations: { de: 'b' } }, { ...base.options[1], name_localizations: { de: 'a' } }] }])).toEqual([]);
  });
});
