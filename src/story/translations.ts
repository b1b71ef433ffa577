import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TRANSLATED_LOCALES, type TranslatedLocale, translatedLocale } from '../i18n/locales.js';
import { parseFile, SectionSchema, StorySchema, TakeSchema } from './schema.js';
import type { Section, Stakeholder, StoryPack, Take } from './types.js';

/**
 * Our words in another language: `data/translations/<locale>.json`, optional, one file per language
 * tamasha speaks (see data/README.md). Only our summaries and takes may be translated; the article,
 * its quotes, titles and names stay as written. Whatever a file leaves out is shown in English.
 */
export const PackTranslationSchema = z.strictObject({
  summary: z.strictObject({ short: StorySchema.shape.summary.shape.short, detailed: StorySchema.shape.summary.shape.detailed }).partial().optional(),
  sections: z.record(z.string(), z.strictObject({ summary: SectionSchema.shape.summary })).optional(),
  stakeholders: z.record(z.string(), z.strictObject(TakeSchema.shape).partial()).optional(),
});
export type PackTranslation = z.infer<typeof PackTranslationSchema>;
export type PackTranslations = Partial<Record<TranslatedLocale, PackTranslation>>;

const DIR = 'translations';

/** Reads and checks the translation files of the pack in `dir` (none: {}); problems are pushed, one a line. */
export function readTranslations(dir: string, pack: Pick<StoryPack, 'story' | 'stakeholders'>, problems: string[]): PackTranslations {
  const folder = join(dir, DIR);
  if (!existsSync(folder)) return {};
  const out: PackTranslations = {};
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(folder, name);
    const locale = name.slice(0, -'.json'.length);
    if (!(TRANSLATED_LOCALES as readonly string[]).includes(locale)) {
      problems.push(`${path}: is not a language tamasha speaks; name it one of ${TRANSLATED_LOCALES.map((l) => `${l}.json`).join(', ')}`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      problems.push(`${path}: is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const parsed = parseFile(PackTranslationSchema, value, path);
    problems.push(...parsed.problems);
    if (!parsed.data) continue;
    const sectionIds = new Set(pack.story.sections.map((s) => s.id));
    const holderIds = new Set(pack.stakeholders.map((h) => h.id));
    for (const id of Object.keys(parsed.data.sections ?? {})) if (!sectionIds.has(id)) problems.push(`${path}: sections.${id}: no section has this id`);
    for (const id of Object.keys(parsed.data.stakeholders ?? {})) if (!holderIds.has(id)) problems.push(`${path}: stakeholders.${id}: no stakeholder has this id`);
    out[locale as TranslatedLocale] = parsed.data;
  }
  return out;
}

/** The translation a reader in `locale` gets (a sister locale borrows one), if the pack has it. */
function translationFor(pack: StoryPack, locale: string | undefined): PackTranslation | undefined {
  if (!locale || !pack.translations) return undefined;
  const file = translatedLocale(locale);
  return file ? pack.translations[file] : undefined;
}

/** The story's summary in `locale`, else in English. */
export const summaryIn = (pack: StoryPack, length: 'short' | 'detailed', locale: string | undefined): string => translationFor(pack, locale)?.summary?.[length] ?? pack.story.summary[length];

/** A section's summary (ours, never the article's words) in `locale`, else in English. */
export const sectionSummaryIn = (pack: StoryPack, section: Section, locale: string | undefined): string => translationFor(pack, locale)?.sections?.[section.id]?.summary ?? section.summary;

/** A stakeholder with its take (position, gains, losses, next move, question) in `locale`, field by field, else in English. */
export function takeIn(pack: StoryPack, holder: Stakeholder, locale: string | undefined): Stakeholder {
  const theirs: Partial<Take> | undefined = translationFor(pack, locale)?.stakeholders?.[holder.id];
  return theirs ? { ...holder, ...Object.fromEntries(Object.entries(theirs).filter(([, v]) => v !== undefined)) } : holder;
}
