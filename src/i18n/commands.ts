import { type CommandStrings, FALLBACK, TRANSLATED_LOCALES, TRANSLATIONS, type TranslatedLocale, translatedLocale } from './locales.js';

/**
 * Adds Discord's name and description localizations to a command definition, from the language
 * files. Strings are keyed by the path of names in English: `poll`, `poll.start`,
 * `poll.start.duration`; `*.private` serves every option named `private`. Choices are keyed by their
 * value. Discord shows members the names and descriptions in their client's language; the handlers
 * still see the English names, so nothing else changes.
 */
type Localizations = Readonly<Partial<Record<string, string | null>>> | null | undefined;

interface Localizable {
  name: string;
  description?: string;
  name_localizations?: Localizations;
  description_localizations?: Localizations;
  options?: readonly Localizable[];
  choices?: ReadonlyArray<{ name: string; value: string | number; name_localizations?: Localizations }>;
}

/** A language file's `commands` section: strings keyed by path, or by `*.<option name>` for every option so named. */
export type CommandTable = Readonly<Record<string, CommandStrings | undefined>>;

/** The strings a table has for a path: its own, else (for an option) the `*.<name>` ones, or undefined. */
export function lookupCommandStrings(table: CommandTable, path: string): CommandStrings | undefined {
  const last = path.split('.').at(-1)!;
  return table[path] ?? (path.includes('.') ? table[`*.${last}`] : undefined);
}

/** The strings one language has for a path, or undefined (the member then sees the English of the definition). */
export function commandStrings(locale: TranslatedLocale, path: string): CommandStrings | undefined {
  return lookupCommandStrings(TRANSLATIONS[locale].commands as CommandTable, path);
}

/** The strings a member whose Discord speaks `locale` sees for a path (a sister locale borrows; English → undefined). */
export function commandStringsIn(locale: string | undefined, path: string): CommandStrings | undefined {
  const file = locale === undefined ? undefined : translatedLocale(locale);
  return file ? commandStrings(file, path) : undefined;
}

export function localizeCommand<T extends Localizable>(definition: T): T {
  return walk(definition, definition.name) as T;
}

function walk(node: Localizable, path: string): Localizable {
  const names: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  const choiceNames = new Map<string, Record<string, string>>();
  for (const locale of TRANSLATED_LOCALES) {
    const strings = commandStrings(locale, path);
    const targets = [locale, ...Object.keys(FALLBACK).filter((other) => FALLBACK[other] === locale)];
    for (const target of targets) {
      if (strings?.name) names[target] = strings.name;
      if (strings?.description) descriptions[target] = strings.description;
      for (const choice of node.choices ?? []) {
        const name = strings?.choices?.[String(choice.value)];
        if (name) choiceNames.set(String(choice.value), { ...choiceNames.get(String(choice.value)), [target]: name });
      }
    }
  }
  return {
    ...node,
    ...(Object.keys(names).length > 0 ? { name_localizations: names } : {}),
    ...(Object.keys(descriptions).length > 0 ? { description_localizations: descriptions } : {}),
    ...(node.options ? { options: node.options.map((option) => walk(option, `${path}.${option.name}`)) } : {}),
    ...(node.choices ? { choices: node.choices.map((choice) => ({ ...choice, ...(choiceNames.has(String(choice.value)) ? { name_localizations: choiceNames.get(String(choice.value)) } : {}) })) } : {}),
  };
}
