/**
 * Discord messages (APIMessage-like JSON, as the loopback Discord records them) and modals, to
 * self-contained HTML in Discord's dark theme: content, embeds, action rows (buttons, select menus),
 * Components V2 (container, section, text display, thumbnail, media gallery, file, separator), and
 * ephemeral replies. Pure functions (no Node, DOM or discord.js), so a browser page can use them too.
 * All text is escaped; images show only as data: URLs given in `media` (the page loads nothing).
 */
import { escapeHtml, inline, markdown, safeUrl, type MarkdownOptions } from './markdown.js';
import { STYLE } from './style.js';

export { escapeHtml, formatTimestamp, inline, markdown } from './markdown.js';

export interface RenderOptions extends MarkdownOptions {
  /** The name shown for the bot's messages (the loopback's bot user is "loopback-bot"). */
  authorName?: string;
  /** data: URLs for images, by URL or attachment file name; anything else shows as a placeholder box. */
  media?: Record<string, string>;
}

/** The fields of a message the renderer reads; an APIMessage fits. */
export interface RenderableMessage {
  id?: string;
  content?: string;
  embeds?: readonly unknown[];
  components?: readonly unknown[];
  attachments?: ReadonlyArray<{ filename: string; size?: number }>;
  flags?: number;
  timestamp?: string;
  edited_timestamp?: string | null;
  author?: { username?: string; global_name?: string | null; bot?: boolean };
  interaction?: { name?: string; user?: { username?: string; global_name?: string | null } };
}

/** A modal the bot showed (the `data` of an interaction callback of type 9). */
export interface ModalEntry {
  kind: 'modal';
  data: unknown;
}

export type PageEntry = RenderableMessage | ModalEntry;

export interface PageOptions extends RenderOptions {
  /** A line above the messages, e.g. the command shown. */
  caption?: string;
  /** CSS width of the page in px (default 720). */
  width?: number;
}

const FLAG_EPHEMERAL = 1 << 6;
const FLAG_LOADING = 1 << 7;
const FLAG_COMPONENTS_V2 = 1 << 15;
const BUTTON_STYLES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** ` data-custom-id="…"` (or a link button's ` data-url="…"`), so a live page (test/playground) can act on it. */
const idAttr = (c: Obj): string => (str(c.custom_id) ? ` data-custom-id="${escapeHtml(str(c.custom_id)!)}"` : str(c.url) ? ` data-url="${escapeHtml(str(c.url)!)}"` : '');
const hex = (color: number): string => `#${(color & 0xffffff).toString(16).padStart(6, '0')}`;

function emoji(value: unknown): string {
  if (!isObj(value)) return '';
  const name = str(value.name);
  if (!name) return '';
  return `<span class="emoji">${escapeHtml(str(value.id) ? `:${name}:` : name)}</span>`;
}

/** An image, if the caller gave it as data (by URL or attachment name); otherwise a labelled box. */
function picture(url: string | undefined, alt: string | undefined, o: RenderOptions, cls: string): string {
  const key = url?.replace(/^attachment:\/\//, '') ?? '';
  const data = url ? (o.media?.[url] ?? o.media?.[key]) : undefined;
  const src = data ? safeUrl(data, true) : undefined;
  const label = escapeHtml(alt ?? (key || 'image'));
  return src ? `<div class="${cls}"><img src="${src}" alt="${label}"></div>` : `<div class="${cls} caption-only">🖼 ${label}</div>`;
}

function button(c: Obj): string {
  const style = BUTTON_STYLES[num(c.style) ?? 2] ?? 'secondary';
  const label = str(c.label);
  const cls = ['btn', style, c.disabled === true ? 'disabled' : ''].filter(Boolean).join(' ');
  return `<span class="${cls}"${idAttr(c)}>${emoji(c.emoji)}${label ? `<span>${escapeHtml(label)}</span>` : ''}${style === 'link' ? '<span class="ext">↗</span>' : ''}</span>`;
}

function select(c: Obj): string {
  const chosen = objs(c.options).filter((opt) => opt.default === true).map((opt) => str(opt.label) ?? '');
  const text = chosen.length > 0 ? chosen.join(', ') : (str(c.placeholder) ?? 'Make a selection');
  return `<div class="select${chosen.length > 0 ? ' chosen' : ''}${c.disabled === true ? ' disabled' : ''}"${idAttr(c)}><span>${escapeHtml(text)}</span><span class="caret">⌄</span></div>`;
}

function fileBox(name: string, size?: number): string {
  const kb = size === undefined ? '' : `<div class="fsize">${size < 1024 ? `${size} bytes` : `${(size / 1024).toFixed(2)} KB`}</div>`;
  return `<div class="file"><span class="icon">📄</span><div><div class="fname">${escapeHtml(name)}</div>${kb}</div></div>`;
}

/** One component of any kind (legacy or V2), recursively. */
export function renderComponent(c: Obj, o: RenderOptions = {}, attachments: RenderableMessage['attachments'] = []): string {
  const children = (list: unknown): string => objs(list).map((child) => renderComponent(child, o, attachments)).join('');
  switch (num(c.type)) {
    case 1:
      return objs(c.components).some((x) => num(x.type) === 2) ? `<div class="row-actions">${children(c.components)}</div>` : children(c.components);
    case 2:
      return button(c);
    case 3: case 5: case 6: case 7: case 8:
      return select(c);
    case 9: {
      const accessory = isObj(c.accessory) ? renderComponent(c.accessory, o, attachments) : '';
      return `<div class="section"><div class="texts">${children(c.components)}</div>${accessory ? `<div class="accessory">${accessory}</div>` : ''}</div>`;
    }
    case 10:
      return `<div class="text">${markdown(str(c.content) ?? '', o)}</div>`;
    case 11:
      return picture(isObj(c.media) ? str(c.media.url) : undefined, str(c.description), o, 'thumb');
    case 12: {
      const items = objs(c.items);
      const cls = items.length === 1 ? 'n1' : items.length === 2 ? 'n2' : items.length === 4 ? 'n4' : 'many';
      return `<div class="gallery ${cls}">${items.map((item) => picture(isObj(item.media) ? str(item.media.url) : undefined, str(item.description), o, 'media')).join('')}</div>`;
    }
    case 13: {
      const url = isObj(c.file) ? (str(c.file.url) ?? '') : '';
      const name = url.replace(/^attachment:\/\//, '');
      return fileBox(name, attachments?.find((a) => a.filename === name)?.size);
    }
    case 14: {
      const line = c.divider !== false ? ' line' : '';
      return `<div class="sep${line}${num(c.spacing) === 2 ? ' large' : ''}"></div>`;
    }
    case 17: {
      const accent = num(c.accent_color);
      const style = accent === undefined ? '' : ` style="--accent:${hex(accent)}"`;
      return `<div class="container${accent === undefined ? '' : ' accent'}"${style}>${children(c.components)}</div>`;
    }
    default:
      return `<div class="unknown">component type ${escapeHtml(String(c.type))}</div>`;
  }
}

function renderEmbed(e: Obj, o: RenderOptions): string {
  const color = num(e.color);
  const author = isObj(e.author) && str(e.author.name) ? `<div class="embed-author">${escapeHtml(str(e.author.name)!)}</div>` : '';
  const url = safeUrl(str(e.url) ?? '');
  const titleText = str(e.title);
  // Titles and field names take inline markdown only (no headings, lists or quotes), as on Discord.
  const title = titleText ? `<div class="embed-title">${url ? `<a href="${url}">${inline(titleText, o)}</a>` : inline(titleText, o)}</div>` : '';
  const desc = str(e.description) ? `<div class="embed-desc">${markdown(str(e.description)!, o)}</div>` : '';
  // As Discord lays them out: up to three inline fields share a row equally; others take a row each.
  const rows: Obj[][] = [];
  for (const f of objs(e.fields)) {
    const last = rows.at(-1);
    if (f.inline === true && last && last.length < 3 && last.every((x) => x.inline === true)) last.push(f);
    else rows.push([f]);
  }
  const fields = rows.flatMap((row) => row.map((f) => `<div class="field${f.inline === true ? ' inline' : ''}" style="grid-column:span ${12 / row.length}"><div class="field-name">${inline(str(f.name) ?? '', o)}</div><div>${markdown(str(f.value) ?? '', o)}</div></div>`));
  const thumb = isObj(e.thumbnail) ? picture(str(e.thumbnail.url), undefined, o, 'thumb') : '';
  const image = isObj(e.image) ? `<div class="embed-image">${picture(str(e.image.url), undefined, o, 'media')}</div>` : '';
  const footerText = isObj(e.footer) ? str(e.footer.text) : undefined;
  const footer = footerText ? `<div class="embed-footer">${escapeHtml(footerText)}</div>` : '';
  const bar = color === undefined ? '' : ` style="border-left-color:${hex(color)}"`;
  return `<div class="embed"${bar}><div class="inner"><div class="row"><div class="body">${author}${title}${desc}${fields.length ? `<div class="fields">${fields.join('')}</div>` : ''}</div>${thumb}</div>${image}${footer}</div></div>`;
}

const displayName = (user: { username?: string; global_name?: string | null } | undefined, fallback: string): string => user?.global_name ?? user?.username ?? fallback;

function clock(iso: string | undefined, o: RenderOptions): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  return `Today at ${new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: o.timeZone ?? 'UTC' }).format(ms)}`;
}

/** One message as Discord shows it in a channel: who ran the command, the author line, then its body. */
export function renderMessage(message: RenderableMessage, options: RenderOptions = {}): string {
  // Relative times (<t:…:R>) as the member saw them when the message was sent, unless told otherwise.
  const sent = message.timestamp ? Date.parse(message.timestamp) : NaN;
  const o = options.now === undefined && !Number.isNaN(sent) ? { ...options, now: sent } : options;
  const flags = message.flags ?? 0;
  const name = o.authorName ?? displayName(message.author, 'bot');
  const used = message.interaction?.name
    ? `<div class="used"><b>${escapeHtml(displayName(message.interaction.user, 'someone'))}</b> used <span class="cmd">/${escapeHtml(message.interaction.name)}</span></div>`
    : '';
  const head = `<div class="head"><span class="name">${escapeHtml(name)}</span>${message.author?.bot === false ? '' : '<span class="badge">APP</span>'}<span class="time">${escapeHtml(clock(message.timestamp, o))}</span>${message.edited_timestamp ? '<span class="edited">(edited)</span>' : ''}</div>`;
  const attachments = message.attachments ?? [];
  let body: string;
  if (flags & FLAG_LOADING) {
    body = `<div class="loading">${escapeHtml(name)} is thinking…</div>`;
  } else if (flags & FLAG_COMPONENTS_V2) {
    const components = objs(message.components);
    const shown = new Set(JSON.stringify(components).match(/attachment:\/\/[^"]+/g)?.map((u) => u.slice(13)) ?? []);
    body = `<div class="v2">${components.map((c) => renderComponent(c, o, attachments)).join('')}${attachments.filter((a) => !shown.has(a.filename)).map((a) => fileBox(a.filename, a.size)).join('')}</div>`;
  } else {
    body = [
      message.content ? `<div class="content">${markdown(message.content, o)}</div>` : '',
      ...objs(message.embeds).map((e) => renderEmbed(e, o)),
      ...attachments.map((a) => fileBox(a.filename, a.size)),
      ...objs(message.components).map((c) => renderComponent(c, o, attachments)),
    ].join('');
  }
  const onlyYou = flags & FLAG_EPHEMERAL ? '<div class="only-you">👁 Only you can see this · <a>Dismiss message</a></div>' : '';
  const avatar = `<div class="avatar">${escapeHtml([...name][0]?.toUpperCase() ?? '?')}</div>`;
  return `<div class="msg${flags & FLAG_EPHEMERAL ? ' ephemeral' : ''}${used ? ' has-used' : ''}">${used}${avatar}${head}${body}${onlyYou}</div>`;
}

function modalField(component: Obj): string {
  switch (num(component.type)) {
    case 4: {
      const value = str(component.value);
      const text = value ?? str(component.placeholder) ?? '';
      return `<div class="input${value ? '' : ' placeholder'}${num(component.style) === 2 ? ' paragraph' : ''}">${escapeHtml(text)}</div>`;
    }
    case 21: case 22: {
      const radio = num(component.type) === 21 ? ' radio' : '';
      return `<div class="checks">${objs(component.options).map((opt) => `<div class="check"><span class="box${radio}${opt.default === true ? ' on' : ''}">${opt.default === true ? '✓' : ''}</span>${escapeHtml(str(opt.label) ?? '')}</div>`).join('')}</div>`;
    }
    case 23:
      return `<div class="checks"><div class="check"><span class="box${component.default === true ? ' on' : ''}">${component.default === true ? '✓' : ''}</span></div></div>`;
    default:
      return renderComponent(component);
  }
}

/** A modal as Discord shows it: its title, each labelled field with what it holds, Cancel and Submit. */
export function renderModal(data: unknown, o: RenderOptions = {}): string {
  const modal = isObj(data) ? data : {};
  const fields = objs(modal.components).map((c) => {
    if (num(c.type) === 18 && isObj(c.component)) {
      const required = c.component.required !== false && num(c.component.type) === 4 ? ' <span class="req">*</span>' : '';
      const desc = str(c.description) ? `<div class="label-desc">${escapeHtml(str(c.description)!)}</div>` : '';
      return `<div><div class="label">${escapeHtml(str(c.label) ?? '')}${required}</div>${desc}${modalField(c.component)}</div>`;
    }
    if (num(c.type) === 1) {
      return objs(c.components).map((input) => `<div><div class="label">${escapeHtml(str(input.label) ?? '')}</div>${modalField(input)}</div>`).join('');
    }
    return renderComponent(c, o);
  });
  const name = o.authorName ?? 'bot';
  return `<div class="modal-scrim"><div class="modal"><div class="modal-head"><div class="avatar">${escapeHtml([...name][0]?.toUpperCase() ?? '?')}</div>${escapeHtml(str(modal.title) ?? '')}</div><div class="modal-body">${fields.join('')}</div><div class="modal-foot"><span class="btn cancel">Cancel</span><span class="btn primary">Submit</span></div></div></div>`;
}

const isModal = (entry: PageEntry): entry is ModalEntry => 'kind' in entry && entry.kind === 'modal';

/** A whole HTML document: the messages (and modals) in order, nothing loaded from elsewhere. */
export function renderPage(entries: readonly PageEntry[], o: PageOptions = {}): string {
  const width = Math.max(320, Math.min(o.width ?? 720, 1600));
  const caption = o.caption ? `<div class="caption">${markdown(o.caption, o)}</div>` : '';
  const body = entries.map((entry) => (isModal(entry) ? renderModal(entry.data, o) : renderMessage(entry, o))).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(o.caption ?? 'tamasha')}</title><style>${STYLE}</style></head>
<body><div id="page" style="--width:${width}px">${caption}${body}</div></body></html>
`;
}
