/**
 * Discord's markdown, to HTML, as the Discord client shows it: headings, -# subtext, > and >>> quotes,
 * lists, code blocks, **bold**, *italic*, __underline__, ~~strike~~, ||spoilers||, `code`, links,
 * mentions and <t:…> timestamps. Pure (no Node or DOM APIs), so a browser page can use it too.
 * Every piece of text is escaped: nothing a member typed can become markup.
 */

export interface MarkdownOptions {
  /** Names for <@&id>, <@id> and <#id>; the id is shown when a name is unknown. */
  roles?: Record<string, string>;
  users?: Record<string, string>;
  channels?: Record<string, string>;
  /** "Now" for relative timestamps (<t:…:R>), in ms; default Date.now(). */
  now?: number;
  /** Zone timestamps are shown in; default UTC. */
  timeZone?: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A URL fit for href/src: http(s) only (and data:image for src), escaped; otherwise undefined. */
export function safeUrl(url: string, allowData = false): string | undefined {
  if (/^https?:\/\/[^\s]+$/i.test(url)) return escapeHtml(url);
  if (allowData && /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(url)) return url;
  return undefined;
}

type Rule = { re: RegExp; html: (m: RegExpExecArray, o: MarkdownOptions) => string };

const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  t: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  T: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  d: { year: 'numeric', month: '2-digit', day: '2-digit' },
  D: { year: 'numeric', month: 'long', day: 'numeric' },
  f: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  F: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
};

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3_600], ['minute', 60], ['second', 1]];

/** <t:seconds:style> as the Discord client shows it (in `timeZone`, English). */
export function formatTimestamp(seconds: number, style: string, o: MarkdownOptions = {}): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'Invalid Date';
  if (style === 'R') {
    const diff = Math.round((ms - (o.now ?? Date.now())) / 1000);
    if (Math.abs(diff) < 45) return diff < 0 ? 'a few seconds ago' : 'in a few seconds';
    const [unit, size] = UNITS.find(([, s]) => Math.abs(diff) >= s) ?? ['second', 1];
    return new Intl.RelativeTimeFormat('en', { numeric: 'always' }).format(Math.round(diff / size), unit);
  }
  const format = DATE_STYLES[style] ?? DATE_STYLES.f!;
  return new Intl.DateTimeFormat('en-US', { ...format, timeZone: o.timeZone ?? 'UTC' }).format(ms);
}

const mention = (kind: string, text: string): string => `<span class="mention ${kind}">${escapeHtml(text)}</span>`;

/** Inline rules; at each step the earliest match wins (ties: the first rule). */
const INLINE: Rule[] = [
  { re: /\\([^A-Za-z0-9\s])/, html: (m) => escapeHtml(m[1]!) },
  { re: /``([^`]+?)``|`([^`\n]+?)`/, html: (m) => `<code>${escapeHtml(m[1] ?? m[2]!)}</code>` },
  {
    re: /\[([^\]\n]+)\]\(<?(https?:\/\/[^\s)>]+)>?\)/,
    html: (m, o) => `<a href="${safeUrl(m[2]!)}" title="${escapeHtml(m[2]!)}">${inline(m[1]!, o)}</a>`,
  },
  { re: /<(https?:\/\/[^\s<>]+)>|https?:\/\/[^\s<>]*[^\s<>.,:;"')\]*_~|]/, html: (m) => { const url = m[1] ?? m[0]; return `<a href="${safeUrl(url)}">${escapeHtml(url)}</a>`; } },
  { re: /<@&(\d+)>/, html: (m, o) => mention('role', `@${o.roles?.[m[1]!] ?? m[1]}`) },
  { re: /<@!?(\d+)>/, html: (m, o) => mention('user', `@${o.users?.[m[1]!] ?? m[1]}`) },
  { re: /<#(\d+)>/, html: (m, o) => mention('channel', `#${o.channels?.[m[1]!] ?? m[1]}`) },
  { re: /<\/([\w -]+):\d+>/, html: (m) => mention('command', `/${m[1]}`) },
  { re: /<t:(-?\d{1,14})(?::([tTdDfFR]))?>/, html: (m, o) => `<span class="timestamp">${escapeHtml(formatTimestamp(Number(m[1]), m[2] ?? 'f', o))}</span>` },
  { re: /<a?:(\w+):\d+>/, html: (m) => `<span class="emoji">:${escapeHtml(m[1]!)}:</span>` },
  { re: /\*\*\*([\s\S]+?)\*\*\*(?!\*)/, html: (m, o) => `<strong><em>${inline(m[1]!, o)}</em></strong>` },
  { re: /\*\*([\s\S]+?)\*\*(?!\*)/, html: (m, o) => `<strong>${inline(m[1]!, o)}</strong>` },
  { re: /__([\s\S]+?)__(?!_)/, html: (m, o) => `<u>${inline(m[1]!, o)}</u>` },
  { re: /\*(?![\s*])([^*\n]+?)\*(?!\*)|(?<![A-Za-z0-9])_(?![\s_])([^_\n]+?)_(?![A-Za-z0-9_])/, html: (m, o) => `<em>${inline(m[1] ?? m[2]!, o)}</em>` },
  { re: /~~([\s\S]+?)~~/, html: (m, o) => `<s>${inline(m[1]!, o)}</s>` },
  { re: /\|\|([\s\S]+?)\|\|/, html: (m, o) => `<span class="spoiler">${inline(m[1]!, o)}</span>` },
];

/** One line (or run of lines) of inline markdown. */
export function inline(text: string, o: MarkdownOptions = {}): string {
  let out = '';
  let rest = text;
  for (;;) {
    let best: { m: RegExpExecArray; rule: Rule } | undefined;
    for (const rule of INLINE) {
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) return out + escapeHtml(rest);
    out += escapeHtml(rest.slice(0, best.m.index)) + best.rule.html(best.m, o);
    rest = rest.slice(best.m.index + best.m[0].length);
  }
}

const LIST_ITEM = /^(\s*)([-*]|\d{1,9}\.)\s+(.*)$/;

/** Consecutive list lines as nested <ul>/<ol> (two spaces or more of indent: one level deeper). */
function list(lines: string[], o: MarkdownOptions): string {
  let html = '';
  const open: string[] = [];
  for (const line of lines) {
    const [, indent = '', marker = '-', text = ''] = LIST_ITEM.exec(line) ?? [];
    const depth = Math.min(Math.floor(indent.length / 2), 2) + 1;
    const tag = /\d/.test(marker) ? 'ol' : 'ul';
    // A list of the other kind at the same depth closes this one.
    const keep = open[depth - 1] === tag ? depth : depth - 1;
    while (open.length > keep) html += `</${open.pop()}>`;
    while (open.length < depth) {
      const start = tag === 'ol' && open.length === depth - 1 ? ` start="${parseInt(marker, 10)}"` : '';
      open.push(tag);
      html += `<${tag}${start}>`;
    }
    html += `<li>${inline(text, o)}</li>`;
  }
  while (open.length > 0) html += `</${open.pop()}>`;
  return html;
}

/** A whole text (a message's content, an embed description, a text display) to HTML. */
export function markdown(text: string, o: MarkdownOptions = {}): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push(`<div class="md-p">${paragraph.map((l) => inline(l, o)).join('<br>')}</div>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^```(\w*)\s*$/.exec(line) ?? /^```(\w*)\s*$/.exec(line.trim());
    let m: RegExpExecArray | null;
    if (fence) {
      const end = lines.findIndex((l, k) => k > i && l.trim().startsWith('```'));
      if (end !== -1) {
        flush();
        blocks.push(`<pre class="codeblock"><code>${escapeHtml(lines.slice(i + 1, end).join('\n'))}</code></pre>`);
        i = end;
        continue;
      }
    }
    if (line.startsWith('>>> ')) {
      flush();
      blocks.push(`<blockquote>${markdown([line.slice(4), ...lines.slice(i + 1)].join('\n'), o)}</blockquote>`);
      break;
    }
    if (/^> ?/.test(line) && line.startsWith('>')) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('>') && !lines[i]!.startsWith('>>> ')) quoted.push(lines[i++]!.replace(/^> ?/, ''));
      i--;
      blocks.push(`<blockquote>${markdown(quoted.join('\n'), o)}</blockquote>`);
    } else if ((m = /^(#{1,3}) +(\S.*)$/.exec(line))) {
      flush();
      blocks.push(`<h${m[1]!.length} class="md-h">${inline(m[2]!, o)}</h${m[1]!.length}>`);
    } else if ((m = /^-# +(\S.*)$/.exec(line))) {
      flush();
      blocks.push(`<div class="subtext">${inline(m[1]!, o)}</div>`);
    } else if (LIST_ITEM.test(line)) {
      flush();
      const items: string[] = [];
      while (i < lines.length && LIST_ITEM.test(lines[i]!)) items.push(lines[i++]!);
      i--;
      blocks.push(list(items, o));
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks.join('');
}
