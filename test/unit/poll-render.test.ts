import { describe, expect, it } from 'vitest';
import { isResultsPost, openPollsMessage, pollMessage, resultsPost, standingsMessage } from '../../src/discord/messages/poll.js';
import { checkedPayload } from '../helpers/v2-payload.js';
import { textDisplays } from '../loopback/validate-v2.js';
import { buttonsFor } from '../../src/discord/messages/poll.js';
import { wholePercentages } from '../../src/card.js';
import { bar } from '../../src/card.js';
import { renderPoll, renderResults } from '../../src/polls/render.js';
import type { Poll, Tally } from '../../src/polls/types.js';
import { headlineFields } from '../../src/polls/validate.js';
import { TRANSLATED_LOCALES } from '../../src/i18n/locales.js';
import { loadStoryPack } from '../../src/story/load.js';

const NOW = Date.UTC(2026, 0, 15, 12);

function poll(over: Partial<Poll> = {}): Poll {
  return {
    id: 'a1b2c3d4',
    guildId: '111111111111111111',
    channelId: '222222222222222222',
    messageId: null,
    creatorId: '333333333333333333',
    question: 'Folk hero or villain?',
    answers: [
      { label: 'Folk hero', emoji: '🦸' },
      { label: 'Villain', emoji: '🦹' },
    ],
    headline: true,
    createdAt: NOW - 1000,
    closesAt: NOW + 3_600_000,
    hideResults: false,
    allowChange: true,
    voterRoleId: null,
    status: 'open',
    closedAt: null,
    closedBy: null,
    resultsPosted: false,
    ...over,
  };
}


describe('tally rendering', () => {
  it('wholePercentages sum to 100 and bars follow them', () => {
    expect(wholePercentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(wholePercentages([13, 12])).toEqual([52, 48]);
    expect(wholePercentages([0, 0])).toEqual([0, 0]);
    expect(wholePercentages([2, 1, 1, 1, 1, 1]).reduce((a, b) => a + b)).toBe(100);
    expect(bar(52)).toBe('█████░░░░░');
    expect(bar(0)).toBe('░░░░░░░░░░');
    expect(bar(100)).toBe('██████████');
  });

  it('shows standings, voters and the deadline as Discord timestamp markup', () => {
    const card = renderPoll(poll(), { counts: [13, 12], voters: 25 }, NOW);
    expect(card.title).toBe('Folk hero or villain?');
    expect(card.description).toContain('**🦸 Folk hero**\n█████░░░░░ 52% · 13 votes');
    expect(card.description).toContain('█████░░░░░ 48% · 12 votes');
    expect(card.description).toContain('**25 voters**');
    expect(card.description).toContain(`Closes <t:${(NOW + 3_600_000) / 1000}:R>`);
  });

  it('hides the standings until the poll closes when asked', () => {
    const hidden = poll({ hideResults: true });
    const card = renderPoll(hidden, { counts: [13, 12], voters: 25 }, NOW);
    expect(card.description).not.toMatch(/%|█|13/);
    expect(card.description).toContain('Results are shown when the poll closes.');
    expect(card.description).toContain('**25 voters**');
    const closed = renderPoll({ ...hidden, status: 'closed', closedAt: NOW, closedBy: 'deadline' }, { counts: [13, 12], voters: 25 }, NOW);
    expect(closed.description).toContain('52%');
    expect(closed.description).toContain(`Closed <t:${NOW / 1000}:R>`);
  });

  it('neutralises mentions in member text so it cannot ping', () => {
    const evil = poll({ question: '@everyone <@123> vote!', answers: [{ label: '@here', emoji: null }, { label: '<@&456> <#789>', emoji: null }] });
    const card = renderPoll(evil, { counts: [1, 0], voters: 1 }, NOW);
    const results = renderResults(evil, { counts: [1, 0], voters: 1 });
    for (const text of [card.title, card.description ?? '', results]) {
      expect(text).not.toMatch(/@everyone|@here|<@\d|<@&\d|<#\d/);
    }
  });

  it('shows a link-shaped question or answer as text, never as a masked link', () => {
    const evil = poll({ question: '[Claim Nitro](https://evil.example/x)', answers: [{ label: '[Free](https://evil.example/y)', emoji: null }, { label: '# No', emoji: null }] });
    const card = renderPoll(evil, { counts: [1, 0], voters: 1 }, NOW);
    const results = renderResults({ ...evil, status: 'closed' }, { counts: [1, 0], voters: 1 });
    for (const text of [card.title, card.description ?? '', results]) expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(card.description).not.toMatch(/^#/m);
  });

  it("shows the story pack's framing under a headline poll, and nothing under a member's poll", async () => {
    const pack = loadStoryPack('data');
    const fields = headlineFields(pack.headlinePoll);
    const headline = poll({ question: fields.question, answers: fields.answers, headline: true, note: fields.note ?? null });
    expect(renderPoll(headline, { counts: [0, 0, 0, 0], voters: 0 }, NOW).description).toContain('folk hero or the dumbest man alive');
    expect(renderPoll(poll({ headline: false }), { counts: [0, 0], voters: 0 }, NOW).description).not.toContain('framing');
  });

  it('writes a short results message', () => {
    const text = renderResults(poll({ status: 'closed' }), { counts: [12, 13], voters: 25 });
    expect(text).toBe('📊 Poll closed: Folk hero or villain? — 🦹 Villain 52% (13) · 🦸 Folk hero 48% (12) — 25 voters');
    expect(renderResults(poll(), { counts: [0, 0], voters: 0 })).toContain('no votes were cast');
  });

  it('stays within Discord limits with the longest possible texts', () => {
    // Markdown characters double when escaped; mentions grow with zero-width spaces.
    const long = poll({
      question: '*_<@1>'.repeat(50),
      answers: Array.from({ length: 10 }, (_, i) => ({ label: `${i}${'*@here'.repeat(9)}`, emoji: '🦸' })),
      voterRoleId: '444444444444444444',
    });
    const tally: Tally = { counts: Array.from({ length: 10 }, (_, i) => i * 1_000_000), voters: 45_000_000 };
    // With the digest's Notify me too: a ten-button poll leaves it out rather than pass 40 components.
    const notify = { notifyRoleId: '555555555555555555' };
    const shapes = [long, { ...long, hideResults: true }, { ...long, status: 'closed' as const, closedAt: NOW }, { ...long, maxChoices: 10 }, { ...long, ...notify }, { ...long, maxChoices: 10, ...notify }];
    // In every language the bot writes, not only English: a poll keeps its server's language.
    for (const p of ['en', ...TRANSLATED_LOCALES].flatMap((locale) => shapes.map((shape) => ({ ...shape, locale })))) {
      const card = renderPoll(p, tally, NOW);
      expect(card.title.length).toBeLessThanOrEqual(256);
      for (const message of [pollMessage(p, tally, NOW, p.status === 'closed'), standingsMessage(p, tally, NOW)]) {
        const size = checkedPayload(message);
        expect(size.components).toBeLessThanOrEqual(40);
        expect(size.text).toBeLessThanOrEqual(4000);
        // Shown whole: nothing had to be clipped to fit, so the card's text is all there, in order.
        const shown = textDisplays(message.components.map((c) => c.toJSON())).join('\n');
        expect(shown.replace(/\s+/g, ' ')).toContain((card.description ?? '').replace(/\s+/g, ' '));
      }
    }
    for (const locale of ['en', ...TRANSLATED_LOCALES]) expect(checkedPayload(resultsPost({ ...long, status: 'closed', locale }, tally)).text).toBeLessThanOrEqual(4000);
    const listed = openPollsMessage(Array.from({ length: 25 }, (_, i) => ({ ...long, id: `0000000${i % 10}`, messageId: `${i}` })));
    if (!('components' in listed)) throw new Error('a list of polls is laid out in components');
    expect(checkedPayload(listed).components).toBeLessThanOrEqual(40);
    const results = renderResults(long, tally);
    expect(results.length).toBeLessThanOrEqual(2000);
    expect(results).not.toMatch(/@here|<@\d/);
  });
});

describe('a poll\'s language', () => {
  const tally: Tally = { counts: [1, 0], voters: 1 };

  it('is English for a poll stored before polls had one, and the stored server language otherwise', () => {
    expect(renderPoll(poll(), tally, NOW).footer).toBe('Poll a1b2c3d4 · One vote per member · you can change or retract it');
    expect(renderPoll(poll({ locale: 'pt-BR' }), tally, NOW).footer).toBe('Enquete a1b2c3d4 · Um voto por membro · você pode mudar ou retirar seu voto');
    expect(buttonsFor(poll({ locale: 'fr' }), false).at(-1)?.[0]?.label).toBe('Retirer mon vote');
    // The member asking for the standings reads them in their own language, whatever the poll's.
    expect(textDisplays(standingsMessage(poll({ locale: 'ja' }), tally, NOW, 'de').components.map((c) => c.toJSON())).join('\n')).toContain('100% · 1 Stimme');
  });

  it('never changes the question or answers, only the words around them', () => {
    const results = renderResults(poll({ locale: 'hi', status: 'closed' }), tally);
    expect(results).toBe('📊 मतदान बंद: Folk hero or villain? — 🦸 Folk hero 100% (1) · 🦹 Villain 0% (0) — 1 मतदाता');
  });

  it('a results post is recognised after a restart in whichever language it was posted', () => {
    for (const locale of [undefined, 'ja', 'es-419', 'hi']) {
      const post = resultsPost(poll({ locale, status: 'closed' }), tally);
      const shown = { content: '', components: post.components } as unknown as Parameters<typeof isResultsPost>[0];
      expect(isResultsPost(shown, 'a1b2c3d4')).toBe(true);
      expect(isResultsPost(shown, 'ffffffff')).toBe(false);
    }
  });
});

describe('buttonsFor', () => {
  const ten = poll({ answers: Array.from({ length: 10 }, (_, i) => ({ label: `Answer ${i}`, emoji: null })) });

  it('lays 10 answers and retract out in rows of at most 5, with unique ids', () => {
    const rows = buttonsFor(ten, false);
    expect(rows.map((r) => r.length)).toEqual([5, 5, 1]);
    expect(rows.length).toBeLessThanOrEqual(5);
    const ids = rows.flat().map((b) => b.customId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
    expect(ids[0]).toBe('poll:vote:a1b2c3d4:0');
    expect(ids[9]).toBe('poll:vote:a1b2c3d4:9');
    expect(ids[10]).toBe('poll:retract:a1b2c3d4');
    expect(rows.flat().every((b) => !b.disabled)).toBe(true);
  });

  it('disables every button once closed, and leaves retract out when votes are final', () => {
    expect(buttonsFor(ten, true).flat().every((b) => b.disabled)).toBe(true);
    const final = buttonsFor({ ...ten, allowChange: false }, false);
    expect(final.map((r) => r.length)).toEqual([5, 5]);
    expect(buttonsFor(poll(), false)[0]?.[0]).toEqual({ customId: 'poll:vote:a1b2c3d4:0', label: 'Folk hero', emoji: '🦸', disabled: false });
  });
});
