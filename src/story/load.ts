import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { balanceProblems } from './balance.js';
import { Checker } from './check.js';
import { readClaims } from './claims.js';
import { formatFinding, lintPack, ourTexts } from './lint.js';
import type { ClaimsFile, HeadlinePoll, Section, Stakeholder, Story, StoryPack } from './types.js';

/** Thrown when a story pack cannot be loaded; its message lists every problem, one a line. */
export class StoryPackError extends Error {
  constructor(readonly problems: string[]) {
    super(`The story pack is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StoryPackError';
  }
}

const ID = /^[a-z0-9-]{1,32}$/;
const FILES = { story: 'story.json', stakeholders: 'stakeholders.json', poll: 'poll.json' } as const;
const CLAIMS = 'claims.json';

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

  const storyCheck = new Checker(join(dir, FILES.story));
  const story = readStory(storyCheck, raw.story);
  const holderCheck = new Checker(join(dir, FILES.stakeholders));
  // Quotes are checked against the sections only when those are sound, to avoid knock-on noise.
  const stakeholders = readStakeholders(holderCheck, raw.stakeholders, storyCheck.problems.length === 0 ? story.sections : null);
  const pollCheck = new Checker(join(dir, FILES.poll));
  const headlinePoll = readPoll(pollCheck, raw.poll);
  problems.push(...storyCheck.problems, ...holderCheck.problems, ...pollCheck.problems);

  const articlePath = join(dir, 'article.txt');
  if (storyCheck.problems.length === 0 && existsSync(articlePath)) {
    const mismatch = findMismatch(readFileSync(articlePath, 'utf8'), story);
    if (mismatch) problems.push(`${storyCheck.file}: sections: ${mismatch}`);
  }
  if (problems.length > 0) throw new StoryPackError(problems);

  // Our words are checked only once the pack is sound, so a broken field is not buried in lint noise.
  problems.push(...balanceProblems(stakeholders, raw.stakeholders as unknown[]).map(([path, message]) => `${holderCheck.file}: ${path}: ${message}`));
  const claims = readClaimsFile(dir, problems);
  const lint = lintPack(ourTexts(story, stakeholders, headlinePoll), claims, reconstructArticle(story));
  problems.push(...lint.findings.map((f) => formatFinding(f, dir)));
  problems.push(
    ...lint.stale.map((e) => `${join(dir, CLAIMS)}: exemptions: the exemption for ${e.file} ${e.field} "${e.sentence}" (${e.checks.join(', ')}) matches no finding; remove it or update the sentence`),
  );
  if (problems.length > 0) throw new StoryPackError(problems);

  const version = createHash('sha256').update(texts.join('\0')).digest('hex').slice(0, 8);
  return { story, stakeholders, headlinePoll, version };
}

/**
 * claims.json is optional (a pack without it still loads, and validate-data says the claim checks
 * did not run); when present it must be valid.
 */
export function readClaimsFile(dir: string, problems: string[]): ClaimsFile | null {
  const path = join(dir, CLAIMS);
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${path}: ${readProblem(error)}`);
    return null;
  }
  const c = new Checker(path);
  const claims = readClaims(c, value);
  problems.push(...c.problems);
  return c.problems.length === 0 ? claims : null;
}

function readProblem(error: unknown): string {
  if (error instanceof SyntaxError) return `is not valid JSON (${error.message})`;
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'is missing';
  return error instanceof Error ? error.message : String(error);
}

function readStory(c: Checker, value: unknown): Story {
  const o = c.object(value, '');
  const summary = c.object(o.summary, 'summary');
  const sections = c.array(o.sections, 'sections', 1, 25).map((s, i) => readSection(c, s, `sections[${i}]`));
  c.unique(sections.map((s) => s.id), 'sections');
  return {
    title: c.string(o.title, 'title', 256),
    source: c.string(o.source, 'source', 200),
    disclaimer: c.string(o.disclaimer, 'disclaimer', 200),
    summary: { short: c.string(summary.short, 'summary.short', 400), detailed: c.string(summary.detailed, 'summary.detailed', 1800) },
    sections,
  };
}

function readSection(c: Checker, value: unknown, path: string): Section {
  const o = c.object(value, path);
  return {
    id: c.string(o.id, `${path}.id`, 32, ID),
    title: c.string(o.title, `${path}.title`, 80),
    heading: c.nullableString(o.heading, `${path}.heading`, 256),
    summary: c.string(o.summary, `${path}.summary`, 600),
    paragraphs: c.array(o.paragraphs, `${path}.paragraphs`).map((p, i) => c.string(p, `${path}.paragraphs[${i}]`, 4000)),
  };
}

function readStakeholders(c: Checker, value: unknown, sections: Section[] | null): Stakeholder[] {
  const holders = c.array(value, '', 2, 25).map((v, i): Stakeholder => {
    const p = `[${i}]`;
    const o = c.object(v, p);
    return {
      id: c.string(o.id, `${p}.id`, 32, ID),
      name: c.string(o.name, `${p}.name`, 80),
      emoji: c.string(o.emoji, `${p}.emoji`, 16),
      position: c.string(o.position, `${p}.position`, 700),
      gains: c.string(o.gains, `${p}.gains`, 700),
      losses: c.string(o.losses, `${p}.losses`, 700),
      nextMove: c.string(o.nextMove, `${p}.nextMove`, 700),
      quotes: c.array(o.quotes, `${p}.quotes`, 1, 3).map((q, j) => {
        const qo = c.object(q, `${p}.quotes[${j}]`);
        const quote = { section: c.string(qo.section, `${p}.quotes[${j}].section`), text: c.string(qo.text, `${p}.quotes[${j}].text`, 300) };
        if (sections) checkQuote(c, quote, sections, `${p}.quotes[${j}]`);
        return quote;
      }),
      question: c.string(o.question, `${p}.question`, 200),
    };
  });
  c.unique(holders.map((h) => h.id), '');
  return holders;
}

function checkQuote(c: Checker, quote: { section: string; text: string }, sections: Section[], path: string): void {
  if (!quote.section || !quote.text) return;
  const section = sections.find((s) => s.id === quote.section);
  if (!section) c.fail(`${path}.section`, `no section has the id "${quote.section}"`);
  else if (!section.paragraphs.some((p) => p.includes(quote.text))) {
    c.fail(`${path}.text`, `is not the article's exact words in section "${quote.section}"`);
  }
}

function readPoll(c: Checker, value: unknown): HeadlinePoll {
  const o = c.object(value, '');
  const answers = c.array(o.answers, 'answers', 2, 10).map((a, i) => {
    const ao = c.object(a, `answers[${i}]`);
    return { label: c.string(ao.label, `answers[${i}].label`, 55), emoji: c.string(ao.emoji, `answers[${i}].emoji`, 16) };
  });
  c.unique(answers.map((a) => a.label.toLowerCase()), 'answers');
  const poll: HeadlinePoll = { question: c.string(o.question, 'question', 300), answers };
  if (o.description !== undefined) poll.description = c.string(o.description, 'description', 1000);
  return poll;
}

/** Names the first place where the sections stop matching the article, or null when they match. */
function findMismatch(article: string, story: Story): string | null {
  const rebuilt = reconstructArticle(story);
  if (rebuilt === article) return null;
  const articleLines = article.split('\n');
  const rebuiltLines = rebuilt.split('\n');
  const at = articleLines.findIndex((line, i) => line !== rebuiltLines[i]);
  const line = at === -1 ? articleLines.length : at;
  return `joined, they do not reproduce article.txt: line ${line + 1} differs (article: "${clip(articleLines[line])}", pack: "${clip(rebuiltLines[line])}")`;
}

function clip(text: string | undefined): string {
  if (text === undefined) return '(nothing)';
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
