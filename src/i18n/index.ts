import { createInstance } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import { FALLBACK, TRANSLATED_LOCALES, TRANSLATIONS } from './locales.js';

/**
 * What the bot writes, in the reader's language: the member's (`interaction.locale`) for replies, the
 * server's (`preferred_locale`) for what it posts to everyone. English (en.json) is the source and the
 * fallback: a key missing in a language reads in English. A key no language has yet is listed as
 * untranslated by test/unit/i18n-strings.test.ts; one that any language has, every language must have
 * (test/helpers/translation-coverage.ts), so a translation is never half done.
 */
export type BotKey = keyof typeof en.bot;
export type BotVars = Readonly<Record<string, string | number>>;

const i18n = createInstance();
void i18n.init({
  initAsync: false,
  resources: Object.fromEntries([['en', { translation: en.bot }], ...TRANSLATED_LOCALES.map((locale) => [locale, { translation: TRANSLATIONS[locale].bot }])]),
  lng: 'en',
  fallbackLng: { ...Object.fromEntries(Object.entries(FALLBACK).map(([locale, to]) => [locale, [to, 'en']])), default: ['en'] },
  // Keys are flat ("router.stale"), and nothing here is HTML: Discord text is made inert where it is built.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
});

/**
 * Strings already written, by locale, key and values. i18next's translate (fallbacks, nesting,
 * interpolation: ~10 µs) ran several times for every vote; its resources never change after init,
 * so the same arguments always give the same text. Bounded: the oldest entry leaves when full.
 */
const written = new Map<string, string>();
const WRITTEN_MAX = 2_000;

function memo(cacheKey: string, write: () => string): string {
  const hit = written.get(cacheKey);
  if (hit !== undefined) return hit;
  const text = write();
  if (written.size >= WRITTEN_MAX) written.delete(written.keys().next().value!);
  written.set(cacheKey, text);
  return text;
}

/** The cache key of one call: JSON, so no value (member text included) can pass for another's. */
const callKey = (locale: string | undefined, key: string, vars: BotVars, count?: number): string => JSON.stringify([locale ?? null, key, count ?? null, vars]);

/** `key` in `locale` (a Discord locale such as 'de' or 'en-US'; undefined → English). */
export function t(locale: string | undefined, key: BotKey, vars: BotVars = {}): string {
  return memo(callKey(locale, key, vars), () => i18n.t(key, { ...vars, lng: locale ?? 'en' }));
}

/** A string with plural forms: `<key>_one`, `<key>_other` (and whatever else a language needs) in en.json. */
export type PluralKey = { [K in BotKey]: K extends `${infer Base}_other` ? Base : never }[BotKey];

/** `key` for `count` things in `locale`, in the plural form that language uses for that number. */
export function tc(locale: string | undefined, key: PluralKey, count: number, vars: BotVars = {}): string {
  return memo(callKey(locale, key, vars, count), () => i18n.t(key, { ...vars, count, lng: locale ?? 'en' }));
}

/** Whether `key` is one of en.json's (for keys built at run time, such as a permission's). */
export function isBotKey(key: string): key is BotKey {
  return Object.hasOwn(en.bot, key);
}
