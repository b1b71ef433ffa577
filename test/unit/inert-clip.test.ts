import { describe, expect, it } from 'vitest';
import type { ArgumentService } from '../../src/arguments/service.js';
import type { RankedArgument } from '../../src/arguments/types.js';
import { digestDebate } from '../../src/digest-debate.js';
import { pollExportMessage } from '../../src/discord/messages/poll-export.js';
import { castVote } from '../../src/polls/flow.js';
import { renderResults } from '../../src/polls/render.js';
import type { PollService } from '../../src/polls/service.js';
import type { Poll } from '../../src/polls/types.js';
import { ballotLabels } from '../../src/polls/vote.js';

/**
 * Member text is clipped first, then made inert. Escaping first lets the clip fall between a
 * backslash and the character it escapes: the text then shows a stray backslash before the `…`,
 * and the character it cut off is counted against the limit.
 */
// A backslash that escapes nothing but the ellipsis: an escape cut in half.
const CUT_ESCAPE = /(?<!\\)(?:\\\\)*\\…/;

const NOW = Date.UTC(2026, 0, 15, 12);
/** `n - 2` letters, then `*x*`: escaped, the `\` of `\*` lands at the cut of a clip to `n`. */
const atCut = (n: number) => `${'a'.repeat(n - 2)}*x*`;

function poll(over: Partial<Poll> = {}): Poll {
  return {
    id: 'a1b2c3d4', guildId: '111111111111111111', channelId: '222222222222222222', messageId: null, creatorId: '333333333333333333',
    question: 'Q?', answers: [{ label: atCut(60), emoji: null }, { label: 'B', emoji: null }], headline: false, createdAt: NOW - 1000, closesAt: NOW + 3_600_000,
    hideResults: false, allowChange: true, voterRoleId: null, status: 'open', closedAt: null, closedBy: null, resultsPosted: false, ...over,
  };
}

describe('clipped member text keeps its escapes whole', () => {
  it('in the vote confirmation (polls/flow.ts)', async () => {
    const p = poll();
    const service = { vote: async () => ({ kind: 'recorded', poll: p, ballot: 0, previous: null }) } as unknown as PollService;
    let content = '';
    await castVote(service, { action: 'vote', args: [p.id, '0'], guildId: p.guildId, userId: '1', memberRoleIds: [], locale: 'en' }, (reply) => {
      content = reply.content;
    });
    expect(content).toMatch(/^Your vote for/);
    expect(content).not.toMatch(CUT_ESCAPE);
    expect(content).toContain('a\\*…');
  });

  it("in a ballot's labels (polls/vote.ts)", () => {
    const labels = ballotLabels(poll(), 0);
    expect(labels).not.toMatch(CUT_ESCAPE);
    expect(labels).toBe(`"${'a'.repeat(58)}\\*…"`);
  });

  it('in the results post (polls/render.ts)', () => {
    const text = renderResults(poll({ question: atCut(400) }), { counts: [1, 0], voters: 1 }, 'en');
    expect(text).not.toMatch(CUT_ESCAPE);
  });

  it("in the digest's argument line (digest-debate.ts)", async () => {
    const argument = { id: 'x', guildId: 'g', side: 's', text: atCut(140), sectionId: null, authorId: 'u', createdAt: 0, hidden: false, reviewedAt: null, channelId: 'c', messageId: 'm' };
    const ranked: RankedArgument = { argument, upvotes: 2, reports: 0, score: 2 };
    const debate = digestDebate({ top: async () => ({ items: [ranked], page: 0, pages: 1, total: 1 }) } as unknown as Pick<ArgumentService, 'top'>, [{ id: 's', label: '**Side**' }], { list: async () => [] });
    const { arguments: lines } = await debate.forDigest('g', 0, () => true, 'en');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(CUT_ESCAPE);
    expect(lines[0]).toContain('a\\*…');
    expect(lines[0]).not.toMatch(/(?<!\\)\*\*Side/);
  });

  it('in the export line (discord/messages/poll-export.ts)', () => {
    const message = pollExportMessage(poll({ question: atCut(200) }), { filename: 'p.csv', csv: 'a', countsShown: true }, 1_000_000, 'en');
    expect(message.content).not.toMatch(CUT_ESCAPE);
  });
});
