import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../src/discord/custom-id.js';

describe('custom_id scheme', () => {
  it('round-trips scope, action and arguments', () => {
    const id = encodeCustomId('poll', 'vote', 'abc123', 2);
    expect(id).toBe('poll:vote:abc123:2');
    expect(decodeCustomId(id)).toEqual({ scope: 'poll', action: 'vote', args: ['abc123', '2'] });
  });

  it('refuses to build an id over 100 characters or with a separator inside an argument', () => {
    expect(() => encodeCustomId('story', 'page', 'x'.repeat(60), 'y'.repeat(40))).toThrow(/longer than 100/);
    expect(() => encodeCustomId('story', 'page', 'a:b')).toThrow(/must match/);
  });

  it.each(['', 'primary', 'story:', ':page', 'story:page:<script>', 'a'.repeat(101), 'story:page:a b'])('decodes %j as not ours', (id) => {
    expect(decodeCustomId(id)).toBeNull();
  });
});
