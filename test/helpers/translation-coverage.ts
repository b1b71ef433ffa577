import { type CommandTable, lookupCommandStrings } from '../../src/i18n/commands.js';

/**
 * How far the languages tamasha speaks cover its English, by one rule: what one language has, every
 * language has. A string (or a command) that some language translates is required, whole and with
 * English's placeholders, in every language: a half-done translation fails. One that no language has
 * yet is untranslated: listed, not failed, and shown in English everywhere (i18next falls back to
 * en.json; a command without localizations shows its definition's English). So a new command or a
 * new label is written once, in English, and translated later in every language at once.
 */
export interface Coverage {
  /** Per language, what fails: "missing <key>", "<key>: placeholders …", "stale <key>" (commands: "<path> name" …). */
  problems: Record<string, string[]>;
  /** What no language has yet, shown in English everywhere. */
  untranslated: string[];
}

const present = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
/** A string with plural forms is one string: `x_one` and `x_other` are translated together or not at all. */
const pluralBase = (key: string) => key.replace(/_(?:zero|one|two|few|many|other)$/, '');

/** en.json's `bot` section against each language's. */
export function botStringCoverage(english: Readonly<Record<string, string>>, languages: Readonly<Record<string, Readonly<Record<string, string>>>>): Coverage {
  // A key a language holds, even blank, is a translation begun: every language then needs it.
  const translated = new Set(Object.values(languages).flatMap((theirs) => Object.keys(theirs).map(pluralBase)));
  const problems: Record<string, string[]> = {};
  for (const [language, theirs] of Object.entries(languages)) {
    const list: string[] = (problems[language] = []);
    for (const [key, text] of Object.entries(english)) {
      if (!translated.has(pluralBase(key))) continue;
      const their = theirs[key];
      if (!present(their)) list.push(`missing ${key}`);
      else if (placeholders(their).join() !== placeholders(text).join()) list.push(`${key}: placeholders ${placeholders(their).join()} vs ${placeholders(text).join()}`);
    }
    for (const key of Object.keys(theirs)) if (!Object.hasOwn(english, key)) list.push(`stale ${key}`);
  }
  return { problems, untranslated: Object.keys(english).filter((key) => !translated.has(pluralBase(key))) };
}

export interface CommandNode {
  name: string;
  description?: string;
  options?: readonly CommandNode[];
  choices?: ReadonlyArray<{ name: string; value: string | number }>;
}

/** What localizing one command, subcommand or option needs: its name, its description, each fixed choice. */
interface Need {
  path: string;
  label: string;
  has(table: CommandTable): boolean;
}

/** Every command, subcommand and option of a definition, with its path of English names. */
export function* pathsOf<N extends CommandNode>(node: N, path: string = node.name): Generator<[string, N]> {
  yield [path, node];
  for (const option of (node.options ?? []) as readonly N[]) yield* pathsOf(option, `${path}.${option.name}`);
}

function needsOf(definition: CommandNode, skipChoice: (value: string) => boolean): Need[] {
  return [...pathsOf(definition)].flatMap(([path, node]): Need[] => [
    { path, label: `${path} name`, has: (table) => present(lookupCommandStrings(table, path)?.name) },
    { path, label: `${path} description`, has: (table) => present(lookupCommandStrings(table, path)?.description) },
    ...(node.choices ?? [])
      .map((choice) => String(choice.value))
      .filter((value) => !skipChoice(value))
      .map((value): Need => ({ path, label: `${path} choice ${value}`, has: (table) => present(lookupCommandStrings(table, path)?.choices?.[value]) })),
  ]);
}

/**
 * The command definitions (as deployed) against each language file's `commands` section. A command
 * is translated when some language has a string of its own for it (a shared `*.<option>` string,
 * such as `*.private`, does not make a command translated); `skipChoice` names choices that carry the
 * story pack's own words (stakeholders), which no language file translates.
 */
export function commandCoverage(definitions: readonly CommandNode[], languages: Readonly<Record<string, CommandTable>>, skipChoice: (value: string) => boolean = () => false): Coverage {
  const tables = Object.entries(languages);
  const problems: Record<string, string[]> = Object.fromEntries(tables.map(([language]) => [language, []]));
  const untranslated: string[] = [];
  for (const definition of definitions) {
    const needs = needsOf(definition, skipChoice);
    const translated = tables.some(([, table]) => needs.some((need) => table[need.path] !== undefined));
    if (!translated) {
      untranslated.push(...needs.filter((need) => !tables.every(([, table]) => need.has(table))).map((need) => need.label));
      continue;
    }
    for (const [language, table] of tables) problems[language]!.push(...needs.filter((need) => !need.has(table)).map((need) => need.label));
  }
  const all = definitions.flatMap((definition) => [...pathsOf(definition)].map(([path]) => path));
  const known = new Set(all);
  const names = new Set(all.map((path) => path.split('.').at(-1)!));
  for (const [language, table] of tables) {
    problems[language]!.push(...Object.keys(table).filter((key) => (key.startsWith('*.') ? !names.has(key.slice(2)) : !known.has(key))).map((key) => `stale ${key}`));
  }
  return { problems, untranslated };
}
