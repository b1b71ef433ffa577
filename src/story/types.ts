/** The story pack as it lives in `data/` (see data/README.md for the documented schema). */

export interface Section {
  /** Stable slug used in commands and custom_ids: lowercase letters, digits and dashes. */
  id: string;
  /** Our short display title for the section. */
  title: string;
  /** The article's own heading line that opens this section, word for word, or null when it has none. */
  heading: string | null;
  /** Our summary, in our own words, keeping the article's hedges. */
  summary: string;
  /** The article's paragraphs of this section, word for word and in order. */
  paragraphs: string[];
}

export interface Story {
  /** The article's title line, word for word. */
  title: string;
  /** Who published it and what kind of piece it is, e.g. "An opinion piece". */
  source: string;
  /** One line shown wherever the story is summarised: the claims are allegations. */
  disclaimer: string;
  summary: { short: string; detailed: string };
  sections: Section[];
}

export interface Quote {
  /** Id of the section the quote is taken from. */
  section: string;
  /** The article's words, exactly as they stand in that section. */
  text: string;
}

export interface Stakeholder {
  id: string;
  name: string;
  emoji: string;
  position: string;
  gains: string;
  losses: string;
  nextMove: string;
  quotes: Quote[];
  question: string;
}

export interface PollAnswerDef {
  label: string;
  emoji: string;
}

export interface HeadlinePoll {
  question: string;
  /** Optional context for the poll in our words, e.g. how the article itself frames the question. */
  description?: string;
  answers: PollAnswerDef[];
}

/** The names of the checks the claim lint runs over our own words (see src/story/lint.ts). */
export const LINT_CHECKS = ['unhedged-claim', 'claim-as-fact', 'question-credited', 'unattributed-feeling', 'misquote'] as const;
export type LintCheck = (typeof LINT_CHECKS)[number];

/** One of the story's central claims, as declared in claims.json. */
export interface Claim {
  /** Short name used in findings, e.g. "leak". */
  id: string;
  /** "allegation": reported by the piece, so a hedge or an attribution will do. "opinion": the author's own reading, so only an attribution will. */
  kind: 'allegation' | 'opinion';
  /** The claim in one plain line, for the reader of claims.json. */
  statement: string;
  /** Words or phrases whose presence means a sentence mentions the claim; a trailing * matches any word ending. */
  signals: string[];
}

/** A sentence the author vouches for: it is about a claim rather than asserting it. Never silent: validate-data lists it. */
export interface LintExemption {
  file: string;
  field: string;
  sentence: string;
  checks: LintCheck[];
  why: string;
}

export interface ClaimsFile {
  claims: Claim[];
  exemptions: LintExemption[];
}

export interface StoryPack {
  story: Story;
  stakeholders: Stakeholder[];
  headlinePoll: HeadlinePoll;
  /** Short content hash: buttons carry it so a click on a message from another pack version is recognised. */
  version: string;
}
