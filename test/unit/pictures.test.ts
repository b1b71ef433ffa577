import { describe, expect, it } from 'vitest';
import { escapeHtml, formatTimestamp, inline, markdown } from '../pictures/markdown.js';
import { renderComponent, renderMessage, renderModal, renderPage, type RenderableMessage } from '../pictures/render.js';
import { STYLE } from '../pictures/style.js';

const EVIL = `<img src=x onerror="alert(1)">&'`;
const V2 = 1 << 15;
const EPHEMERAL = 1 << 6;
/** 2026-06-10 07:00 UTC, 09:00 in Berlin. */
const AT = Date.parse('2026-06-10T07:00:00Z') / 1000;
const c = (component: Record<string, unknown>) => renderComponent(component);

describe('escaping: nothing a member typed becomes markup', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  });

  it('escapes text everywhere a message, embed, component or modal shows it', () => {
    const message: RenderableMessage = {
      content: EVIL,
      author: { username: EVIL },
      interaction: { name: EVIL, user: { username: EVIL } },
      embeds: [{ title: EVIL, description: EVIL, author: { name: EVIL }, fields: [{ name: EVIL, value: EVIL }], footer: { text: EVIL } }],
      attachments: [{ filename: EVIL }],
      components: [{ type: 1, components: [{ type: 2, style: 1, label: EVIL, custom_id: 'a' }] }, { type: 1, components: [{ type: 3, custom_id: 's', placeholder: EVIL, options: [] }] }],
    };
    const v2: RenderableMessage = {
      flags: V2,
      components: [{ type: 17, components: [{ type: 10, content: EVIL }, { type: 12, items: [{ media: { url: 'https://x.invalid/a.png' }, description: EVIL }] }, { type: 13, file: { url: `attachment://${EVIL}` } }] }],
    };
    const modal = { title: EVIL, components: [{ type: 18, label: EVIL, description: EVIL, component: { type: 4, style: 1, custom_id: 'q', value: EVIL } }] };
    const html = renderPage([message, v2, { kind: 'modal', data: modal }], { caption: EVIL });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror="');
    expect(html.match(/&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/g)?.length).toBeGreaterThanOrEqual(15);
  });

  it('links only http(s) URLs, with quotes escaped', () => {
    expect(inline('[click](javascript:alert(1))')).not.toContain('href');
    const html = inline('see https://example.com/a"onmouseover="x');
    expect(html).toContain('href="https://example.com/a&quot;onmouseover=&quot;x"');
    expect(html).not.toMatch(/href="[^"]*"onmouseover/);
  });

  it('shows images only from data: URLs it was given; anything else is a labelled box, never fetched', () => {
    const gallery = { type: 12, items: [{ media: { url: 'https://cdn.example/p.png' }, description: 'A photo' }] };
    expect(c(gallery)).not.toContain('<img');
    expect(c(gallery)).toContain('A photo');
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(renderComponent(gallery, { media: { 'https://cdn.example/p.png': png } })).toContain(`<img src="${png}"`);
    expect(renderComponent(gallery, { media: { 'https://cdn.example/p.png': 'javascript:alert(1)' } })).not.toContain('<img');
  });

  it('the page loads nothing and runs nothing', () => {
    const html = renderPage([{ content: 'hi https://example.com' }]);
    expect(html).toContain(`default-src 'none'; img-src data:`);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(STYLE).not.toMatch(/url\(|@import|@font-face/);
  });
});

describe('markdown', () => {
  it('renders inline styles', () => {
    expect(inline('**b** *i* _i2_ __u__ ~~s~~ ||x|| `a*b*`')).toBe('<strong>b</strong> <em>i</em> <em>i2</em> <u>u</u> <s>s</s> <span class="spoiler">x</span> <code>a*b*</code>');
    expect(inline('***both***')).toBe('<strong><em>both</em></strong>');
    expect(inline('**bold with *italic* inside**')).toBe('<strong>bold with <em>italic</em> inside</strong>');
    expect(inline('snake_case_name and 2*3*4')).toBe('snake_case_name and 2<em>3</em>4');
    expect(inline('\\*not italic\\*')).toBe('*not italic*');
    expect(inline('[the article](https://example.com/a)')).toBe('<a href="https://example.com/a" title="https://example.com/a">the article</a>');
  });

  it('renders headings, subtext, quotes, lists and code blocks', () => {
    expect(markdown('# One\n## Two\n### Three')).toBe('<h1 class="md-h">One</h1><h2 class="md-h">Two</h2><h3 class="md-h">Three</h3>');
    expect(markdown('#not a heading')).toBe('<div class="md-p">#not a heading</div>');
    expect(markdown('-# small print')).toBe('<div class="subtext">small print</div>');
    expect(markdown('> quoted\n> **on**\nafter')).toBe('<blockquote><div class="md-p">quoted<br><strong>on</strong></div></blockquote><div class="md-p">after</div>');
    expect(markdown('before\n>>> all\nof this')).toBe('<div class="md-p">before</div><blockquote><div class="md-p">all<br>of this</div></blockquote>');
    expect(markdown('- a\n- b\n  - c\n1. one')).toBe('<ul><li>a</li><li>b</li><ul><li>c</li></ul></ul><ol start="1"><li>one</li></ol>');
    expect(markdown('```\n<b>**x**</b>\n```')).toBe('<pre class="codeblock"><code>&lt;b&gt;**x**&lt;/b&gt;</code></pre>');
    expect(markdown('line one\n\nline three')).toBe('<div class="md-p">line one<br><br>line three</div>');
  });

  it('names mentions it knows and shows timestamps in the chosen zone', () => {
    const o = { roles: { '42': 'Digest' }, channels: { '7': 'news' }, users: { '9': 'asha' }, now: (AT - 3600) * 1000, timeZone: 'Europe/Berlin' };
    expect(inline('<@&42> <#7> <@9> <@&43>', o)).toBe('<span class="mention role">@Digest</span> <span class="mention channel">#news</span> <span class="mention user">@asha</span> <span class="mention role">@43</span>');
    expect(inline(`<t:${AT}:R>`, o)).toBe('<span class="timestamp">in 1 hour</span>');
    expect(formatTimestamp(AT, 't', o)).toBe('09:00');
    expect(formatTimestamp(AT, 'D', o)).toBe('June 10, 2026');
    expect(formatTimestamp(AT, 'F', o)).toBe('Wednesday, June 10, 2026 at 09:00');
    expect(formatTimestamp(AT - 3 * 86_400, 'R', { now: AT * 1000 })).toBe('3 days ago');
    expect(inline(`<t:${AT}>`, o)).toContain('June 10, 2026');
  });
});

describe('components', () => {
  it('action rows: buttons in their styles (disabled, emoji, link) and select menus', () => {
    const row = c({ type: 1, components: [
      { type: 2, style: 1, label: 'Folk hero', custom_id: 'a', emoji: { name: '🦸' } },
      { type: 2, style: 4, label: 'Villain', custom_id: 'b', disabled: true },
      { type: 2, style: 5, label: 'Article', url: 'https://example.com' },
    ] });
    // The playground (test/playground) clicks a control by its data-custom-id, opens a link by its data-url.
    expect(row).toMatch(/^<div class="row-actions"><span class="btn primary" data-custom-id="a"><span class="emoji">🦸<\/span><span>Folk hero<\/span><\/span><span class="btn danger disabled" data-custom-id="b"><span>Villain<\/span><\/span><span class="btn link" data-url="https:\/\/example.com"><span>Article<\/span><span class="ext">↗<\/span><\/span><\/div>$/);
    expect(c({ type: 1, components: [{ type: 3, custom_id: 's', placeholder: 'Open a section…', options: [{ label: 'Intro', value: 'i' }] }] })).toContain('<span>Open a section…</span>');
    expect(c({ type: 3, custom_id: 's', options: [{ label: 'Intro', value: 'i', default: true }] })).toMatch(/class="select chosen".*Intro/);
  });

  it('a container with its accent colour holds text displays, sections, separators, galleries and files', () => {
    const html = renderComponent({ type: 17, accent_color: 0x5865f2, components: [
      { type: 10, content: '## Title' },
      { type: 14, divider: true, spacing: 2 },
      { type: 9, components: [{ type: 10, content: 'Section text' }], accessory: { type: 2, style: 2, label: 'Open', custom_id: 'o' } },
      { type: 9, components: [{ type: 10, content: 'With a picture' }], accessory: { type: 11, media: { url: 'attachment://face.png' }, description: 'A face' } },
      { type: 14, divider: false },
      { type: 12, items: [{ media: { url: 'attachment://a.png' } }, { media: { url: 'attachment://b.png' } }] },
      { type: 13, file: { url: 'attachment://poll-1.csv' } },
    ] }, {}, [{ filename: 'poll-1.csv', size: 2048 }]);
    expect(html).toMatch(/^<div class="container accent" style="--accent:#5865f2">/);
    expect(html).toContain('<div class="text"><h2 class="md-h">Title</h2></div>');
    expect(html).toContain('<div class="sep line large"></div>');
    expect(html).toContain('<div class="sep"></div>');
    expect(html).toContain('<div class="section"><div class="texts"><div class="text"><div class="md-p">Section text</div></div></div><div class="accessory"><span class="btn secondary" data-custom-id="o"><span>Open</span></span></div></div>');
    expect(html).toContain('<div class="accessory"><div class="thumb caption-only">🖼 A face</div></div>');
    expect(html).toContain('<div class="gallery n2"><div class="media caption-only">🖼 a.png</div><div class="media caption-only">🖼 b.png</div></div>');
    expect(html).toContain('<div class="fname">poll-1.csv</div><div class="fsize">2.00 KB</div>');
    expect(c({ type: 17, components: [] })).toBe('<div class="container"></div>');
    expect(c({ type: 99 })).toContain('component type 99');
  });
});

describe('messages, modals and pages', () => {
  it('an embed: colour bar, title, description, inline fields, footer; content and components around it', () => {
    const html = renderMessage({ content: 'hello', embeds: [{ title: '2. **T**', description: '**d**', color: 0xf1c40f, fields: [{ name: 'A', value: '1', inline: true }, { name: '# B', value: '2' }], footer: { text: 'F' } }] });
    expect(html).toContain('<div class="embed-title">2. <strong>T</strong></div>');
    expect(html).toContain('<div class="content"><div class="md-p">hello</div></div><div class="embed" style="border-left-color:#f1c40f">');
    expect(html).toContain('<div class="embed-desc"><div class="md-p"><strong>d</strong></div></div>');
    expect(html).toContain('<div class="field inline" style="grid-column:span 12"><div class="field-name">A</div>');
    expect(html).toContain('<div class="field" style="grid-column:span 12"><div class="field-name"># B</div>');
    const row = (n: number) => renderMessage({ embeds: [{ fields: Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'v', inline: true })) }] }).match(/span \d+/g);
    expect(row(2)).toEqual(['span 6', 'span 6']);
    expect(row(4)).toEqual(['span 4', 'span 4', 'span 4', 'span 12']);
    expect(html).toContain('<div class="embed-footer">F</div>');
  });

  it('with the Components V2 flag only components show; ephemeral replies say only you can see them; who ran the command', () => {
    const html = renderMessage({ flags: V2 | EPHEMERAL, content: 'ignored', components: [{ type: 10, content: 'shown' }], interaction: { name: 'poll results', user: { username: 'asha' } } }, { authorName: 'tamasha' });
    expect(html).not.toContain('ignored');
    expect(html).toContain('shown');
    expect(html).toContain('Only you can see this');
    expect(html).toContain('<b>asha</b> used <span class="cmd">/poll results</span>');
    expect(html).toContain('<span class="name">tamasha</span>');
    expect(renderMessage({ content: 'x' })).not.toContain('Only you can see this');
    expect(renderMessage({ flags: 1 << 7 }, { authorName: 'tamasha' })).toContain('tamasha is thinking…');
  });

  it('counts relative times from when the message was sent, unless told otherwise', () => {
    const message = { content: `<t:${AT}:R>`, timestamp: new Date((AT - 7200) * 1000).toISOString() };
    expect(renderMessage(message)).toContain('in 2 hours');
    expect(renderMessage(message, { now: AT * 1000 })).toContain('in a few seconds');
  });

  it('a modal: title, labelled inputs with what they hold or their placeholder, choices ticked', () => {
    const html = renderModal({ title: 'New poll', components: [
      { type: 18, label: 'Question', component: { type: 4, style: 1, custom_id: 'q', placeholder: 'Ask…' } },
      { type: 18, label: 'Answers', description: 'One per line', component: { type: 4, style: 2, custom_id: 'a', value: 'Yes\nNo' } },
      { type: 18, label: 'Settings', component: { type: 22, custom_id: 's', options: [{ label: 'Hide', value: 'h', default: true }, { label: 'Change', value: 'c' }] } },
    ] });
    expect(html).toContain('New poll');
    expect(html).toContain('<div class="input placeholder">Ask…</div>');
    expect(html).toContain('<div class="label-desc">One per line</div><div class="input paragraph">Yes\nNo</div>');
    expect(html).toContain('<span class="box on">✓</span>Hide');
    expect(html).toContain('<span class="box"></span>Change');
  });

  it('a page is a whole document of the entries in order, at the asked width', () => {
    const html = renderPage([{ content: 'first' }, { kind: 'modal', data: { title: 'second' } }, { content: 'third' }], { width: 640, caption: '`/help`' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('--width:640px');
    expect(html.indexOf('first')).toBeLessThan(html.indexOf('second'));
    expect(html.indexOf('second')).toBeLessThan(html.indexOf('third'));
    expect(html).toContain('<code>/help</code>');
  });
});
