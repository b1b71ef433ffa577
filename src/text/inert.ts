/**
 * Member-typed text (poll questions and answers, topics, anything members type in later features)
 * shown exactly as typed and unable to do anything else: no masked link, no Markdown that changes
 * the layout, no ping or mention pill. A plain URL stays plain, readable text: what it says is
 * where it goes, which is the point of refusing masked links.
 *
 * `markdown` is for places Discord renders Markdown (message content, embed titles, descriptions
 * and fields); `plain` for places it does not (button labels, autocomplete names, footers), where
 * a backslash or a zero-width space would show and mentions never render. Both collapse line
 * breaks, so text can never start a heading, a quote or a list on a line of its own.
 */
export type InertContext = 'markdown' | 'plain';

const ZWSP = '\u200b';
// Stops at characters that could close or open Markdown around it; what follows is escaped normally.
const URL_PATTERN = /https?:\/\/[^\s<>[\]()|`*~\\]+/gi;
// Every character that starts or ends inline Markdown in Discord (the escape rule takes any punctuation).
const INLINE = /[\\*_~`|[\]<]/g;

/** The one place member text is made inert; see the file comment for the two contexts. */
export function inert(text: string, context: InertContext = 'markdown'): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  // Plain contexts render neither Markdown nor mentions; the zero-width space only spoils a link
  // should one ever be shown where Markdown renders.
  if (context === 'plain') return flat.replace(/\]\(/g, `]${ZWSP}(`);
  const quiet = noPings(flat);
  let out = '';
  let last = 0;
  for (const match of quiet.matchAll(URL_PATTERN)) {
    out += escapeInline(quiet.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  out += escapeInline(quiet.slice(last));
  // Text starting a line could start a heading (#, -#), a quote (>, >>>) or a list (-, +, 1.; * is escaped above).
  return out.replace(/^(\s*)([#>+-])/, '$1\\$2').replace(/^(\s*\d+)\./, '$1\\.');
}

/**
 * Whether `url` is an http(s) link that Markdown leaves alone: `inert` shows it as exactly the
 * text it is, with nothing that could end it early ([ ] ( ) < > | ` * ~ \\, spaces) or ping.
 */
export function isPlainLink(url: string): boolean {
  return /^https?:\/\/[^\s<>[\]()|`*~\\]+$/i.test(url) && inert(url) === url;
}

function escapeInline(text: string): string {
  return text.replace(INLINE, '\\$&');
}

/**
 * A zero-width space after `@` in @everyone / @here and after `<` in mention, channel, command and
 * timestamp syntax, so the text shows literally (embeds never ping, but plain messages could).
 */
function noPings(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(?=[@#/:a-z])/gi, `<${ZWSP}`);
}
