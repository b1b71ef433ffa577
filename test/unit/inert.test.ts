import { describe, expect, it } from 'vitest';
import { inert } from '../../src/text/inert.js';

const ZWSP = '\u200b';
// A Markdown link Discord would render: an unescaped `[`, then an unescaped `](`.
const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;

describe('inert (Markdown contexts)', () => {
  it('shows a masked link as its literal text, with the real URL readable', () => {
    const out = inert('[Claim Nitro](https://evil.example/x)');
    expect(out).not.toMatch(MASKED_LINK);
    expect(out).toBe('\\[Claim Nitro\\](https://evil.example/x)');
  });

  it('also breaks the <url> form of masked links', () => {
    expect(inert('[free](<https://evil.example>)')).not.toMatch(MASKED_LINK);
  });

  it('keeps a plain URL exactly as typed', () => {
    expect(inert('see https://example.com/a_b?x=1&y=2#top now')).toBe('see https://example.com/a_b?x=1&y=2#top now');
  });

  it('cannot start a heading, a subtext line, a block quote or a list', () => {
    expect(inert('# Big')).toBe('\\# Big');
    expect(inert('-# small')).toBe('\\-# small');
    expect(inert('> quoted')).toBe('\\> quoted');
    expect(inert('>>> all of it')).toBe('\\>>> all of it');
    expect(inert('- item')).toBe('\\- item');
    expect(inert('+ item')).toBe('\\+ item');
    expect(inert('* item')).toBe('\\* item');
    expect(inert('1. first')).toBe('1\\. first');
  });

  it('puts every line on one line, so later lines cannot start anything either', () => {
    const out = inert('ok\n# heading\n> quote\r\n- list');
    expect(out).not.toContain('\n');
    expect(out).toBe('ok # heading > quote - list');
  });

  it('escapes emphasis, spoilers, code and code fences', () => {
    expect(inert('**bold** __under__ *it* ~~gone~~')).toBe('\\*\\*bold\\*\\* \\_\\_under\\_\\_ \\*it\\* \\~\\~gone\\~\\~');
    expect(inert('||secret||')).toBe('\\|\\|secret\\|\\|');
    expect(inert('```js\nalert(1)```')).toBe('\\`\\`\\`js alert(1)\\`\\`\\`');
  });

  it('doubles backslashes, so typed text cannot undo an escape', () => {
    expect(inert('\\[x\\](https://evil.example)')).not.toMatch(MASKED_LINK);
    expect(inert('a\\*b')).toBe('a\\\\\\*b');
  });

  it('never pings or shows a mention pill', () => {
    const out = inert('@everyone @here <@123456789012345678> <@!123456789012345678> <@&223456789012345678> <#323456789012345678> </poll:1>');
    expect(out).not.toMatch(/@(everyone|here)/);
    expect(out).not.toMatch(/<[@#/]/);
    expect(out).toContain(`@${ZWSP}everyone`);
    expect(out).toContain(`<${ZWSP}@123456789012345678>`);
  });
});

describe('inert (plain contexts: button labels, autocomplete names)', () => {
  it('adds nothing visible (those places render no Markdown and no mentions), but cannot link or break lines', () => {
    expect(inert('Yes *really* @here', 'plain')).toBe('Yes *really* @here');
    expect(inert('[Claim](https://evil.example)', 'plain')).not.toMatch(/\]\(/);
    expect(inert('one\ntwo', 'plain')).toBe('one two');
  });
});
