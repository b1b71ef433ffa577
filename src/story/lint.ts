import { join } from 'node:path';
import { TakeSchema } from './schema.js';
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
const HEDGE = /\balleg(?:e|ed|edly|es|ing|ation|ations)\b|\breported(?:ly)?\b|\bif (?:it is |this is |that is |the allegation is |the allegations are |the claim is |the story is )?true\b|\bsaid to\b|\bunconfirmed\b|\bunproven\b/i;
const SUBJECT = String.raw`(?:the|this|its) (?:piece|article|author|writer)`;
const VERB = String.raw`(?:say|says|said|argue|argues|write|writes|allege|alleges|suggest|suggests|claim|claims|report|reports|call|calls|describe|describes|speculate|speculates|expect|expects|predict|predicts|see|sees|read|reads|doubt|doubts|suspect|suspects|credit|credits|present|presents|cast|casts|think|thinks|conclude|concludes|frame|frames|guess|guesses|joke|jokes|mention|mentions|note|notes|ask|asks|charge|charges|quote|quotes|add|adds|put|puts|state|states|treat|treats|address|addresses|mean|means|give|gives)`;
const ATTRIBUTION = new RegExp(
  [
    String.raw`\baccording to ${SUBJECT}\b`,
    String.raw`\b(?:the|this) (?:piece|article|author|writer)'s (?:view|account|words|guess|opinion|reading|framing|argument|prediction|speculation|joke)\b`,
    String.raw`\b${SUBJECT}(?: also| only| itself| then| further| directly)? (?:does not |doesn't |did not |never )?${VERB}\b`,
    String.raw`\bsources? (?:cited|quoted) (?:by|in) ${SUBJECT}\b`,
    String.raw`\bas ${SUBJECT} puts it\b`,
  ].join('|'),
  'i',
);
// Words that present what follows as settled fact; a hedge can excuse them, an attribution cannot.
const FACTIVE = /\bthe fact that\b|\bin fact\b|\bund(?:o|oes|one|oing|id)\b|\b(?:cannot|can't|could not|couldn't) change\b|\bno doubt\b|\bundeniabl\w*|\bclearly\b|\bof course\b/i;
// Crediting a question to the piece: true only if the article's own question is quoted.
const QUESTION_CREDIT = new RegExp(
  String.raw`\bquestions? (?:that )?${SUBJECT} (?:leaves|raises|asks|poses|puts|opens)\b|\b${SUBJECT} (?:also )?(?:asks|wonders|leaves open|leaves the question|raises the question|poses the question)\b`,
  'i',
);
// Feelings of the people in the story: ours to report only in the article's own words (the word
// itself occurs in the article, or it is inside a quotation of it) and credited to the article.
const FEELING = /\b(?:furious|fury|anger|angry|angered|pissed|rage|enraged|despis\w*|hate[sd]?|hatred|resent\w*|fears?|feared|afraid|worried|upset|delighted|embarrass\w*|humiliat\w*|ashamed|eager\w*|desperate\w*|revenge|vengeance|spite\w*|jealous\w*|bitter\w*|grudge)\b/i;
// Intentions and motives: the article's to state, so only credited to it (in the same clause) or quoted.
const INTENTION = /\b(?:hopes?|hoped|wants?|wanted|wish\w*|intend\w*|intention\w*|motives?|motivated|feels?|felt|would rather)\b/i;
// A sweeping account of how the piece sources or hedges: "cites only unnamed sources", "hedges
// throughout". Words cannot check it against the article (the piece hedges in places, states the
// leak flatly elsewhere, and cites its sources for the disagreements only), so it always needs a
// reviewer: rewrite it to say where, or vouch for it in claims.json.
const SOURCING_SWEEP = [
  /\b(?:cites?|cited|quotes?|quoted|relies on|rests on|based on|draws on)\s+(?:only|solely|entirely|exclusively|just)\b/i,
  /\b(?:only|solely|entirely|exclusively)\s+(?:on\s+|from\s+)?(?:unnamed|anonymous|unidentified)\s+sources?\b/i,
  /\b(?:cites?|quotes?)\s+no\s+(?:\w+\s+)?sources?\b/i,
];
const HEDGING_WORD = /\b(?:hedg\w*|qualif(?:y|ies|ied)|caveats?)\b/i;
const SWEEP_WORD = /\b(?:throughout|always|consistently|everywhere|invariably|every time|at every turn|all along|never|nowhere)\b/i;

// Every field of a take is our words; a field added to the schema is linted without a change here.
const TAKE_FIELDS = Object.keys(TakeSchema.shape) as (keyof Take)[];

// Straight or curly double quotation marks; the article itself uses straight ones.
const QUOTED = /"([^"]*)"|“([^”]*)”/g;

/** Splits our text into sentences, never inside a quotation, and always at a line break. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  // A sentence ends at . ? or ! followed by a space and a capital (or an opening quotation).
  const endsAt = (stop: number, after: number, opener: RegExp) => /[.?!]/.test(text[stop] ?? '') && opener.test(text.slice(after));
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    let cut = -1;
    if (ch === '\n') {
      out.push(text.slice(start, i));
      start = i + 1;
      inQuote = false;
    } else if (ch === '"' || ch === '“' || ch === '”') {
      inQuote = ch === '"' ? !inQuote : ch === '“';
      // A quotation that ends the sentence: ... "Or both." Next sentence.
      if (!inQuote && endsAt(i - 1, i + 1, /^\s+[A-Z0-9]/)) cut = i + 1;
    } else if (!inQuote && endsAt(i, i + 1, /^\s+["“A-Z0-9]/)) cut = i + 1;
    if (cut !== -1) {
      out.push(text.slice(start, cut));
      start = cut;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The sentence with every quotation blanked: a hedge inside the article's words is the article's, not ours. */
export function ourVoice(sentence: string): string {
  return sentence.replace(QUOTED, '"…"');
}

function quotations(sentence: string): string[] {
  return [...sentence.matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? '');
}

// Where a sentence divides into clauses, each judged on its own: ", but", ", and", ";", ":" and a
// spaced dash. Simple on purpose: it may also cut a list ("A, B, and C"), which only makes it stricter.
const CLAUSE_BREAK = /^(?:, (?=(?:but|and) )|; |: | [—–] )/;

/**
 * Splits a sentence into clauses, never inside a quotation. A clause keeps its leading "but" or
 * "and", so `continuesSpeaker` can see whether it goes on with the previous clause's speaker.
 */
export function splitClauses(sentence: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < sentence.length; i++) {
    const ch = sentence[i]!;
    if (ch === '"' || ch === '“' || ch === '”') inQuote = ch === '"' ? !inQuote : ch === '“';
    if (inQuote) continue;
    const brk = CLAUSE_BREAK.exec(sentence.slice(i));
    if (!brk) continue;
    out.push(sentence.slice(start, i));
    start = i + brk[0].length;
    i = start - 1;
  }
  out.push(sentence.slice(start));
  return out.map((c) => c.trim()).filter((c) => c.length > 0);
}

/**
 * A clause with no subject of its own goes on with the previous clause's speaker, so it keeps that
 * clause's attribution or hedge: "…, but argues that …", "…, and that …", "…, and says …".
 */
function continuesSpeaker(clause: string): boolean {
  return new RegExp(String.raw`^(?:(?:but|and|yet) )?(?:also |then |further )?(?:that|whether|${VERB})\b`, 'i').test(clause);
}

/** A signal as a regex: whole words, case-insensitive; a trailing * matches any word ending. */
export function signalPattern(signal: string): RegExp {
  const stem = signal.endsWith('*') ? signal.slice(0, -1) : signal;
  const body = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(String.raw`(?<![\w-])${body}${signal.endsWith('*') ? String.raw`[\w'’]*` : String.raw`(?![\w-])`}`, 'i');
}

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

  for (const claim of claims) {
    for (const clause of clauses) {
      const signal = claim.signals.find((s) => signalPattern(s).test(clause.text));
      if (!signal) continue;
      const via = `the ${claim.kind} "${claim.id}" (via "${signal}")`;
      if (claim.kind === 'allegation' && !clause.hedged && !clause.attributed) {
        add('unhedged-claim', `mentions ${via} without a hedge ("allegedly", "reportedly", "if true") or an attribution ("the piece alleges", "according to the author") in the same clause`, claim.id);
      } else if (claim.kind === 'opinion' && !clause.attributed) {
        add('unhedged-claim', `mentions ${via}, the author's opinion, without crediting it to the author ("the author suggests", "in the author's view") in the same clause; a hedge such as "reportedly" does not fit an opinion`, claim.id);
      }
    }
  }
  for (const claim of claims) {
    for (const clause of clauses) {
      const signal = claim.signals.find((s) => signalPattern(s).test(clause.text));
      const factive = signal ? FACTIVE.exec(clause.voice) : null;
      if (factive && !clause.hedged) {
        add('claim-as-fact', `presents the ${claim.kind} "${claim.id}" (via "${signal}") as settled ("${factive[0]}"); an attribution does not make it less so: hedge it ("if true", "allegedly") or quote the article`, claim.id);
      }
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
