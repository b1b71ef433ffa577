import de from './locales/de.json' with { type: 'json' };
import esES from './locales/es-ES.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import hi from './locales/hi.json' with { type: 'json' };
import ja from './locales/ja.json' with { type: 'json' };
import ptBR from './locales/pt-BR.json' with { type: 'json' };

/**
 * The languages tamasha speaks besides English, keyed by Discord's locale codes. Each file holds the
 * strings of one language: `commands` (the command definitions' names, descriptions and choices,
 * keyed by path) and `bot` (en.json's keys). English lives in the code (command definitions) and in
 * en.json; what no language has yet is shown in English (see test/helpers/translation-coverage.ts).
 * Discord locales that share a language with one of these borrow it (FALLBACK).
 */
export const TRANSLATIONS = { de, 'es-ES': esES, fr, 'pt-BR': ptBR, hi, ja } as const;
export type TranslatedLocale = keyof typeof TRANSLATIONS;
export const TRANSLATED_LOCALES = Object.keys(TRANSLATIONS) as TranslatedLocale[];

/** Discord locales without a file of their own, and the file they read. */
export const FALLBACK: Readonly<Record<string, TranslatedLocale>> = { 'es-419': 'es-ES' };

/** The file a member whose Discord speaks `locale` reads: its own, a sister locale's (FALLBACK), or none (English). */
export function translatedLocale(locale: string): TranslatedLocale | undefined {
  return (TRANSLATED_LOCALES as readonly string[]).includes(locale) ? (locale as TranslatedLocale) : FALLBACK[locale];
}

/** One command, subcommand or option, as a language file spells it. */
export interface CommandStrings {
  name?: string;
  description?: string;
  choices?: Record<string, string>;
}
