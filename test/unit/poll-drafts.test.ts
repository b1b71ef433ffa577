import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT } from '../../src/discord/messages/poll-modal.js';
import { DRAFT_MS, PollDrafts } from '../../src/discord/poll-form.js';
import { FakeClock } from '../helpers/fake-clock.js';

const G = '100000000000000001';
const draft = (question: string) => ({ ...EMPTY_DRAFT, question });

describe('refused /poll new forms kept for "Edit my poll"', () => {
  it('keeps one form per server and member until it lapses', () => {
    const clock = new FakeClock();
    const drafts = new PollDrafts(clock);
    drafts.keep(G, 'u1', draft('first'));
    drafts.keep(G, 'u1', draft('second'));
    drafts.keep(G, 'u2', draft('other'));
    expect(drafts.get(G, 'u1')?.question).toBe('second');
    expect(drafts.get('100000000000000002', 'u1')).toBeUndefined();
    clock.advance(DRAFT_MS - 1);
    expect(drafts.get(G, 'u2')?.question).toBe('other');
    clock.advance(1);
    expect(drafts.get(G, 'u2')).toBeUndefined();
    drafts.keep(G, 'u3', draft('posted'));
    drafts.drop(G, 'u3');
    expect(drafts.get(G, 'u3')).toBeUndefined();
  });

  it('forgets the oldest beyond 1,000, so memory stays bounded', () => {
    const drafts = new PollDrafts(new FakeClock());
    for (let i = 0; i < 1001; i++) drafts.keep(G, `u${i}`, draft(`q${i}`));
    expect(drafts.get(G, 'u0')).toBeUndefined();
    expect(drafts.get(G, 'u1')?.question).toBe('q1');
    expect(drafts.get(G, 'u1000')?.question).toBe('q1000');
  });
});
