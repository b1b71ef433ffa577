/** The words the claim lint (lint.ts) listens for: hedges, attributions, and what says more than the article. */

export const HEDGE = /\balleg(?:e|ed|edly|es|ing|ation|ations)\b|\breported(?:ly)?\b|\bif (?:it is |this is |that is |the allegation is |the allegations are |the claim is |the story is )?true\b|\bsaid to\b|\bunconfirmed\b|\bunproven\b/i;
export const SUBJECT = String.raw`(?:the|this|its) (?:piece|article|author|writer)`;
export const VERB = String.raw`(?:say|says|said|argue|argues|write|writes|allege|alleges|suggest|suggests|claim|claims|report|reports|call|calls|describe|describes|speculate|speculates|expect|expects|predict|predicts|see|sees|read|reads|doubt|doubts|suspect|suspects|credit|credits|present|presents|cast|casts|think|thinks|conclude|concludes|frame|frames|guess|guesses|joke|jokes|mention|mentions|note|notes|ask|asks|charge|charges|quote|quotes|add|adds|put|puts|state|states|treat|treats|address|addresses|mean|means|give|gives)`;
export const ATTRIBUTION = new RegExp(
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
export const FACTIVE = /\bthe fact that\b|\bin fact\b|\bund(?:o|oes|one|oing|id)\b|\b(?:cannot|can't|could not|couldn't) change\b|\bno doubt\b|\bundeniabl\w*|\bclearly\b|\bof course\b/i;
// Crediting a question to the piece: true only if the article's own question is quoted.
export const QUESTION_CREDIT = new RegExp(
  String.raw`\bquestions? (?:that )?${SUBJECT} (?:leaves|raises|asks|poses|puts|opens)\b|\b${SUBJECT} (?:also )?(?:asks|wonders|leaves open|leaves the question|raises the question|poses the question)\b`,
  'i',
);
// Feelings of the people in the story: ours to report only in the article's own words (the word
// itself occurs in the article, or it is inside a quotation of it) and credited to the article.
export const FEELING = /\b(?:furious|fury|anger|angry|angered|pissed|rage|enraged|despis\w*|hate[sd]?|hatred|resent\w*|fears?|feared|afraid|worried|upset|delighted|embarrass\w*|humiliat\w*|ashamed|eager\w*|desperate\w*|revenge|vengeance|spite\w*|jealous\w*|bitter\w*|grudge)\b/i;
// Intentions and motives: the article's to state, so only credited to it (in the same clause) or quoted.
export const INTENTION = /\b(?:hopes?|hoped|wants?|wanted|wish\w*|intend\w*|intention\w*|motives?|motivated|feels?|felt|would rather)\b/i;
// A sweeping account of how the piece sources or hedges: "cites only unnamed sources", "hedges
// throughout". Words cannot check it against the article (the piece hedges in places, states the
// leak flatly elsewhere, and cites its sources for the disagreements only), so it always needs a
// reviewer: rewrite it to say where, or vouch for it in claims.json.
export const SOURCING_SWEEP = [
  /\b(?:cites?|cited|quotes?|quoted|relies on|rests on|based on|draws on)\s+(?:only|solely|entirely|exclusively|just)\b/i,
  /\b(?:only|solely|entirely|exclusively)\s+(?:on\s+|from\s+)?(?:unnamed|anonymous|unidentified)\s+sources?\b/i,
  /\b(?:cites?|quotes?)\s+no\s+(?:\w+\s+)?sources?\b/i,
];
export const HEDGING_WORD = /\b(?:hedg\w*|qualif(?:y|ies|ied)|caveats?)\b/i;
export const SWEEP_WORD = /\b(?:throughout|always|consistently|everywhere|invariably|every time|at every turn|all along|never|nowhere)\b/i;
