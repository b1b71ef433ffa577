import { VERB } from './lint-words.js';

/** Cutting our text into sentences and clauses for the claim lint, never inside a quotation. */

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

export function quotations(sentence: string): string[] {
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

const CONTINUES_SPEAKER = new RegExp(String.raw`^(?:(?:but|and|yet) )?(?:also |then |further )?(?:that|whether|${VERB})\b`, 'i');
/**
 * A clause with no subject of its own goes on with the previous clause's speaker, so it keeps that
 * clause's attribution or hedge: "…, but argues that …", "…, and that …", "…, and says …".
 */
export function continuesSpeaker(clause: string): boolean {
  return CONTINUES_SPEAKER.test(clause);
}

// Built once per signal: the lint tests every signal against every clause of the pack. No `g` flag, so test() keeps no state.
const PATTERNS = new Map<string, RegExp>();

/** A signal as a regex: whole words, case-insensitive; a trailing * matches any word ending. */
export function signalPattern(signal: string): RegExp {
  let pattern = PATTERNS.get(signal);
  if (!pattern) PATTERNS.set(signal, (pattern = buildPattern(signal)));
  return pattern;
}

function buildPattern(signal: string): RegExp {
  const stem = signal.endsWith('*') ? signal.slice(0, -1) : signal;
  const body = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(String.raw`(?<![\w-])${body}${signal.endsWith('*') ? String.raw`[\w'’]*` : String.raw`(?![\w-])`}`, 'i');
}
