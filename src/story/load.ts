import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { clip } from '../card.js';
import { balanceProblems } from './balance.js';
import { formatFinding, lintPack, ourTexts } from './lint.js';
import { ClaimsFileSchema, DevelopmentsSchema, HeadlinePollSchema, parseFile, StakeholdersSchema, StorySchema } from './schema.js';
import { readTranslations } from './translations.js';
import type { ClaimsFile, Development, Section, Stakeholder, Story, StoryPack } from './types.js';

/** Thrown when a story pack cannot be loaded; its message lists every problem, one a line. */
export class StoryPackError extends Error {
  constructor(readonly problems: string[]) {
    super(`The story pack is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StoryPackError';
  }
}

const FILES = { story: 'story.json', stakeholders: 'stakeholders.json', poll: 'poll.json' } as const;
const CLAIMS = 'claims.json';
const DEVELOPMENTS = 'developments.json';

/** Joins the sections back into the article's text: the inverse of how the pack was cut. */
export function reconstructArticle(story: Pick<Story, 'title' | 'sections'>): string {
  const lines = story.sections.flatMap((s) => (s.heading === null ? s.paragraphs : [s.heading, ...s.paragraphs]));
  return [story.title, ...lines].join('\n');
}

/**
 * Loads and validates the pack in `dir`. All or nothing: any problem throws a StoryPackError
 * naming the file and field, so the bot never runs on a half-loaded story.
 */
export function loadStoryPack(dir: string): StoryPack {
  const problems: string[] = [];
  const raw: Record<keyof typeof FILES, unknown> = { story: undefined, stakeholders: undefined, poll: undefined };
  const texts: string[] = [];
  for (const [key, file] of Object.entries(FILES) as [keyof typeof FILES, string][]) {
    const path = join(dir, file);
    try {
      const text = readFileSync(path, 'utf8');
      texts.push(text);
      raw[key] = JSON.parse(text);
    } catch (error) {
      problems.push(`${path}: ${readProblem(error)}`);
    }
  }
  if (problems.length > 0) throw new StoryPackError(problems);

  const storyFile = join(dir, FILES.story);
  const holderFile = join(dir, FILES.stakeholders);
  const story = parseFile(StorySchema, raw.story, storyFile);
  const stakeholders = parseFile(StakeholdersSchema, raw.stakeholders, holderFile);
  const headlinePoll = parseFile(HeadlinePollSchema, raw.poll, join(dir, FILES.poll));
  problems.push(...story.problems, ...stakeholders.problems, ...headlinePoll.problems);
  if (story.data) {
    // Quotes are checked against the sections only when those are sound, to avoid knock-on noise.
    problems.push(...quoteProblems(raw.stakeholders, story.data.sections).map(([path, message]) => `${holderFile}: ${path}: ${message}`));
    const articlePath = join(dir, 'article.txt');
    const mismatch = existsSync(articlePath) ? findMismatch(readFileSync(articlePath, 'utf8'), story.data) : null;
    if (mismatch) problems.push(`${storyFile}: sections: ${mismatch}`);
  }
  if (problems.length > 0 || !story.data || !stakeholders.data || !headlinePoll.data) throw new StoryPackError(problems);
  const pack = { story: story.data, stakeholders: stakeholders.data, headlinePoll: headlinePoll.data };

  // Our words are checked only once the pack is sound, so a broken field is not buried in lint noise.
  problems.push(...balanceProblems(pack.stakeholders, raw.stakeholders as unknown[]).map(([path, message]) => `${holderFile}: ${path}: ${message}`));
  const claims = readClaimsFile(dir, problems);
  const lint = lintPack(ourTexts(pack.story, pack.stakeholders, pack.headlinePoll), claims, reconstructArticle(pack.story));
  problems.push(...lint.findings.map((f) => formatFinding(f, dir)));
  problems.push(
    ...lint.stale.map((e) => `${join(dir, CLAIMS)}: exemptions: the exemption for ${e.file} ${e.field} "${e.sentence}" (${e.checks.join(', ')}) matches no finding; remove it or update the sentence`),
  );
  const developments = readDevelopments(dir, pack.story.sections, pack.stakeholders, problems, texts);
  if (problems.length > 0) throw new StoryPackError(problems);

  const translations = readTranslations(dir, pack, problems);
  if (problems.length > 0) throw new StoryPackError(problems);

  const version = createHash('sha256').update(texts.join('\0')).digest('hex').slice(0, 8);
  return { ...pack, ...(Object.keys(translations).length > 0 ? { translations } : {}), developments, version };
}

/**
 * claims.json is optional (a pack without it still loads, and validate-data says the claim checks
 * did not run); when present it must be valid.
 */
export function readClaimsFile(dir: string, problems: string[]): ClaimsFile | null {
  return readOptionalFile(join(dir, CLAIMS), ClaimsFileSchema, problems);
}

/** An optional JSON file of the pack: null when it is absent or broken (its problems added to `problems`). */
function readOptionalFile<S extends z.ZodType>(path: string, schema: S, problems: string[], texts?: string[]): z.infer<S> | null {
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    texts?.push(text);
    value = JSON.parse(text);
  } catch (error) {
    problems.push(`${path}: ${readProblem(error)}`);
    return null;
  }
  const parsed = parseFile(schema, value, path);
  problems.push(...parsed.problems);
  return parsed.data;
}

/**
 * developments.json is optional (the shipped pack has none: nothing may be invented); when present it
 * must be valid and name only sections and stakeholders the pack has. Newest first.
 */
function readDevelopments(dir: string, sections: Section[], stakeholders: Stakeholder[], problems: string[], texts: string[]): Development[] {
  const path = join(dir, DEVELOPMENTS);
  const list = readOptionalFile(path, DevelopmentsSchema, problems, texts) ?? [];
  list.forEach((d, i) => {
    for (const id of d.sections) if (!sections.some((s) => s.id === id)) problems.push(`${path}: [${i}].sections: no section has the id "${id}"`);
    for (const id of d.stakeholders) if (!stakeholders.some((h) => h.id === id)) problems.push(`${path}: [${i}].stakeholders: no stakeholder has the id "${id}"`);
    if (Number.isNaN(Date.parse(`${d.date}T00:00:00Z`))) problems.push(`${path}: [${i}].date: "${d.date}" is not a calendar day`);
  });
  return [...list].sort((a, b) => b.date.localeCompare(a.date));
}

function readProblem(error: unknown): string {
  if (error instanceof SyntaxError) return `is not valid JSON (${error.message})`;
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'is missing';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Problems as [field path, message] for each well-formed quote that is not the article's exact
 * words in its section. Reads the raw file so a misquote is listed beside any broken field.
 */
function quoteProblems(holders: unknown, sections: Section[]): [string, string][] {
  const problems: [string, string][] = [];
  const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  asArray(holders).forEach((holder, i) => {
    const quotes = typeof holder === 'object' && holder !== null ? (holder as { quotes?: unknown }).quotes : undefined;
    asArray(quotes).forEach((quote, j) => {
      const { section: id, text } = (typeof quote === 'object' && quote !== null ? quote : {}) as { section?: unknown; text?: unknown };
      if (typeof id !== 'string' || typeof text !== 'string' || !id || !text) return;
      const section = sections.find((s) => s.id === id);
      if (!section) problems.push([`[${i}].quotes[${j}].section`, `no section has the id "${id}"`]);
      else if (!section.paragraphs.some((p) => p.includes(text))) problems.push([`[${i}].quotes[${j}].text`, `is not the article's exact words in section "${id}"`]);
    });
  });
  return problems;
}

/** Names the first place where the sections stop matching the article, or null when they match. */
function findMismatch(article: string, story: Story): string | null {
  const rebuilt = reconstructArticle(story);
  if (rebuilt === article) return null;
  const articleLines = article.split('\n');
  const rebuiltLines = rebuilt.split('\n');
  const at = articleLines.findIndex((line, i) => line !== rebuiltLines[i]);
  const line = at === -1 ? articleLines.length : at;
  return `joined, they do not reproduce article.txt: line ${line + 1} differs (article: "${quoted(articleLines[line])}", pack: "${quoted(rebuiltLines[line])}")`;
}

const quoted = (line: string | undefined): string => (line === undefined ? '(nothing)' : clip(line, 61, { atWord: false }));
