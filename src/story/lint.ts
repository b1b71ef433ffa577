import { join } from 'node:path';
import { HEDGE, ATTRIBUTION, FACTIVE, QUESTION_CREDIT, FEELING, INTENTION, SOURCING_SWEEP, HEDGING_WORD, SWEEP_WORD } from './lint-words.js';
import { TakeSchema } from './schema.js';
import { splitSentences, ourVoice, quotations, splitClauses, continuesSpeaker, signalPattern } from './sentences.js';
import type { Claim, ClaimsFile, HeadlinePoll, LintCheck, LintExemption, Stakeholder, Story, Take } from './types.js';

/**
 * The claim lint: reads every sentence we wrote (summaries, takes, the poll's words) and flags the
 * ones that say more than the article does. It works on words, not meaning, so a sentence that is
 * about a claim rather than asserting it can be vouched for in claims.json (an "exemption"), and
 * validate-data lists every exemption it used: nothing passes silently. Hedges and attributions are
 * judged clause by clause (see `splitClauses`): "the author says A, but B" leaves B in our voice.
 */

export interface Finding {
  file: string;
  field: string;
  sentence: string;
  check: LintCheck;
  /** The claim the finding is about, for the claim checks. */
  claim?: string;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  exempted: { finding: Finding; why: string }[];
  /** Exemptions that matched no finding: the sentence changed or no longer needs one. */
  stale: LintExemption[];
}

interface OurText {
  file: string;
  field: string;
  text: string;
}

// Hedges keep a claim a claim. Attributions put the words in the piece's mouth, not ours.
// Every field of a take is our words; a field added to the schema is linted without a change here.
const TAKE_FIELDS = Object.keys(TakeSchema.shape) as (keyof Take)[];

/** Every piece of our own writing in the pack, with the file and field it lives in. */
export function ourTexts(story: Story, stakeholders: Stakeholder[], poll: HeadlinePoll): OurText[] {
  const texts: OurText[] = [
    { file: 'story.json', field: 'disclaimer', text: story.disclaimer },
    { file: 'story.json', field: 'summary.short', text: story.summary.short },
    { file: 'story.json', field: 'summary.detailed', text: story.summary.detailed },
    ...story.sections.flatMap((s, i) => [
      { file: 'story.json', field: `sections[${i}].title`, text: s.title },
      { file: 'story.json', field: `sections[${i}].summary`, text: s.summary },
    ]),
    ...stakeholders.flatMap((h, i) =>
      TAKE_FIELDS.map((key) => ({ file: 'stakeholders.json', field: `[${i}].${key}`, text: h[key] })),
    ),
    { file: 'poll.json', field: 'question', text: poll.question },
  ];
  if (poll.description !== undefined) texts.push({ file: 'poll.json', field: 'description', text: poll.description });
  return texts;
}

/** Runs every check over every sentence we wrote. `article` is the article's full text. */
export function lintPack(texts: OurText[], claims: ClaimsFile | null, article: string): LintResult {
  const raw: Finding[] = [];
  for (const { file, field, text } of texts) {
    for (const sentence of splitSentences(text)) {
      for (const f of checkSentence(sentence, claims?.claims ?? [], article)) raw.push({ file, field, sentence, ...f });
    }
  }
  const exemptions = claims?.exemptions ?? [];
  const used = new Set<LintExemption>();
  const findings: Finding[] = [];
  const exempted: LintResult['exempted'] = [];
  for (const finding of raw) {
    const exemption = exemptions.find((e) => e.file === finding.file && e.field === finding.field && e.sentence === finding.sentence && (e.checks as readonly LintCheck[]).includes(finding.check));
    if (exemption) {
      used.add(exemption);
      exempted.push({ finding, why: exemption.why });
    } else findings.push(finding);
  }
  return { findings, exempted, stale: exemptions.filter((e) => !used.has(e)) };
}

type SentenceFinding = Pick<Finding, 'check' | 'claim' | 'message'>;

interface Clause {
  text: string;
  /** The clause with its quotations blanked. */
  voice: string;
  hedged: boolean;
  attributed: boolean;
}

/** The sentence's clauses, each with the hedge and attribution it carries or goes on from the one before. */
function clausesOf(sentence: string): Clause[] {
  const out: Clause[] = [];
  for (const text of splitClauses(sentence)) {
    const voice = ourVoice(text);
    const before = continuesSpeaker(voice) ? out[out.length - 1] : undefined;
    out.push({ text, voice, hedged: HEDGE.test(voice) || (before?.hedged ?? false), attributed: ATTRIBUTION.test(voice) || (before?.attributed ?? false) });
  }
  return out;
}

function checkSentence(sentence: string, claims: Claim[], article: string): SentenceFinding[] {
  const out: SentenceFinding[] = [];
  const seen = new Set<string>();
  // One finding per check (and claim) per sentence, however many of its clauses show it.
  const add = (check: LintCheck, message: string, claim?: string) => {
    const key = `${check}\0${claim ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(claim === undefined ? { check, message } : { check, claim, message });
  };
  const quotes = quotations(sentence);
  for (const quote of quotes) {
    if (!article.includes(quote)) out.push({ check: 'misquote', message: `quotes "${quote}", which is not the article's exact words` });
  }
  const clauses = clausesOf(sentence);

  // Each claim's signal in each clause, found once for both checks below.
  const hits = claims.flatMap((claim) =>
    clauses.flatMap((clause) => {
      const signal = claim.signals.find((s) => signalPattern(s).test(clause.text));
      return signal ? [{ claim, clause, via: `the ${claim.kind} "${claim.id}" (via "${signal}")` }] : [];
    }),
  );
  for (const { claim, clause, via } of hits) {
    if (claim.kind === 'allegation' && !clause.hedged && !clause.attributed) {
      add('unhedged-claim', `mentions ${via} without a hedge ("allegedly", "reportedly", "if true") or an attribution ("the piece alleges", "according to the author") in the same clause`, claim.id);
    } else if (claim.kind === 'opinion' && !clause.attributed) {
      add('unhedged-claim', `mentions ${via}, the author's opinion, without crediting it to the author ("the author suggests", "in the author's view") in the same clause; a hedge such as "reportedly" does not fit an opinion`, claim.id);
    }
  }
  for (const { claim, clause, via } of hits) {
    const factive = FACTIVE.exec(clause.voice);
    if (factive && !clause.hedged) {
      add('claim-as-fact', `presents ${via} as settled ("${factive[0]}"); an attribution does not make it less so: hedge it ("if true", "allegedly") or quote the article`, claim.id);
    }
  }
  const voice = ourVoice(sentence);
  if (QUESTION_CREDIT.test(voice) && !quotes.some((q) => q.includes('?') && article.includes(q))) {
    add('question-credited', 'credits a question to the piece without quoting it; quote the article\'s own question, or mark it as ours ("A question for the channel: …")');
  }
  // A quotation of more than one word from the article cites it for the whole sentence.
  const quotesArticle = quotes.some((q) => q.includes(' ') && article.includes(q));
  for (const clause of clauses) {
    const feeling = FEELING.exec(clause.voice);
    if (feeling && !signalPattern(feeling[0]).test(article)) {
      add('unattributed-feeling', `speaks of someone's feelings ("${feeling[0]}") in words the article does not use; quote the article's own words for it, or leave it out`);
    } else if (feeling && !clause.attributed && !quotesArticle) {
      add('unattributed-feeling', `speaks of someone's feelings ("${feeling[0]}") in our voice; credit the article's words to it ("the author says") or quote them`);
    }
    const intention = INTENTION.exec(clause.voice);
    if (intention && !clause.attributed && !quotesArticle) {
      add('unattributed-feeling', `speaks of someone's intentions or motive ("${intention[0]}") in our voice; cite the article (quote it, or "the author suggests") in the same clause`);
    }
  }
  if (clauses.some((c) => SOURCING_SWEEP.some((p) => p.test(c.voice)) || (HEDGING_WORD.test(c.voice) && SWEEP_WORD.test(c.voice)))) {
    add('sourcing-generalised', 'sums up how the whole piece sources or hedges ("only unnamed sources", "hedges throughout"), which words cannot check: say where, quoting the article, or have a reviewer vouch for it in claims.json');
  }
  return out;
}

/** One line per finding: file, field, sentence, what is wrong. */
export function formatFinding(f: Finding, dir = ''): string {
  return `${dir ? join(dir, f.file) : f.file}: ${f.field}: "${f.sentence}": ${f.check}: ${f.message}`;
}
