import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/deploy.js';
import { commandStrings } from '../../src/i18n/commands.js';
import { TRANSLATED_LOCALES, TRANSLATIONS } from '../../src/i18n/locales.js';
import { loadStoryPack } from '../../src/story/load.js';
import { validateCommands } from '../loopback/validate.js';

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
/** Every command, subcommand and option, with its path of English names. */
function* paths(node: Node, path = node.name): Generator<[string, Node]> {
  yield [path, node];
  for (const option of node.options ?? []) yield* paths(option, `${path}.${option.name}`);
}
const all = definitions.flatMap((d) => [...paths(d as Node)]);

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
  it.each(TRANSLATED_LOCALES)('%s names and describes every command, subcommand, option and fixed choice', (locale) => {
    const missing: string[] = [];
    for (const [path, node] of all) {
      const strings = commandStrings(locale, path);
      if (!strings?.name) missing.push(`${path} name`);
      if (!strings?.description) missing.push(`${path} description`);
      for (const choice of node.choices ?? []) {
        if (packValues.has(String(choice.value))) continue;
        if (!strings?.choices?.[String(choice.value)]) missing.push(`${path} choice ${choice.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(TRANSLATED_LOCALES)('%s has no strings for commands or options that no longer exist', (locale) => {
    const known = new Set(all.map(([path]) => path));
    const names = new Set(all.map(([path]) => path.split('.').at(-1)!));
    const stale = Object.keys(TRANSLATIONS[locale].commands).filter((key) => (key.startsWith('*.') ? !names.has(key.slice(2)) : !known.has(key)));
    expect(stale).toEqual([]);
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
