import type { Checker } from './check.js';
import { type Claim, type ClaimsFile, LINT_CHECKS, type LintCheck, type LintExemption } from './types.js';

const ID = /^[a-z0-9-]{1,32}$/;
const FILES = ['story.json', 'stakeholders.json', 'poll.json'];
// A quote is the article's words or it is not: no exemption can excuse a misquote.
const EXEMPTABLE: readonly LintCheck[] = LINT_CHECKS.filter((c) => c !== 'misquote');

/** Reads claims.json: the story's central claims with the words that signal them, and the vouched-for exemptions. */
export function readClaims(c: Checker, value: unknown): ClaimsFile {
  const o = c.object(value, '');
  const claims = c.array(o.claims, 'claims', 1, 20).map((v, i) => readClaim(c, v, `claims[${i}]`));
  c.unique(claims.map((claim) => claim.id), 'claims');
  const exemptions = o.exemptions === undefined ? [] : c.array(o.exemptions, 'exemptions', 0, 100).map((v, i) => readExemption(c, v, `exemptions[${i}]`));
  return { claims, exemptions };
}

function readClaim(c: Checker, value: unknown, path: string): Claim {
  const o = c.object(value, path);
  const kind = o.kind === 'allegation' || o.kind === 'opinion' ? o.kind : null;
  if (kind === null) c.fail(`${path}.kind`, `expected "allegation" or "opinion", got ${JSON.stringify(o.kind) ?? 'nothing'}`);
  return {
    id: c.string(o.id, `${path}.id`, 32, ID),
    kind: kind ?? 'allegation',
    statement: c.string(o.statement, `${path}.statement`, 300),
    signals: c.array(o.signals, `${path}.signals`, 1, 50).map((s, j) => c.string(s, `${path}.signals[${j}]`, 60)),
  };
}

function readExemption(c: Checker, value: unknown, path: string): LintExemption {
  const o = c.object(value, path);
  const file = c.string(o.file, `${path}.file`, 40);
  if (file && !FILES.includes(file)) c.fail(`${path}.file`, `expected one of ${FILES.join(', ')}, got "${file}"`);
  const checks = c.array(o.checks, `${path}.checks`, 1, EXEMPTABLE.length).map((v, j) => {
    const check = EXEMPTABLE.find((name) => name === v);
    if (!check) c.fail(`${path}.checks[${j}]`, `expected one of ${EXEMPTABLE.join(', ')}, got ${JSON.stringify(v)}`);
    return check ?? 'unhedged-claim';
  });
  return {
    file,
    field: c.string(o.field, `${path}.field`, 80),
    sentence: c.string(o.sentence, `${path}.sentence`, 1000),
    checks,
    // The reason is required: an exemption is a claim by the author that the sentence is fine.
    why: c.string(o.why, `${path}.why`, 300),
  };
}
