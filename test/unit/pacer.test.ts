import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '../../src/digests/pacer.js';

describe('Pacer', () => {
  // The pacer reads Date.now() and sets timers: vitest's fake timers drive both, so the spacing is
  // checked exactly, whatever the machine's speed.
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces starts evenly, never more than perSecond in a second, in order', async () => {
    const pacer = new Pacer(20);
    const order: number[] = [];
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pacer.take().then(() => {
          order.push(i);
          times.push(Date.now());
        }),
      ),
    );
    await vi.runAllTimersAsync();
    await all;
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(times).toEqual(Array.from({ length: 30 }, (_, i) => i * 50));
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBe(1_000);
  });

  it('releases every waiter at once on shutdown', async () => {
    const pacer = new Pacer(1);
    await pacer.take();
    const waiting = Promise.all([pacer.take(), pacer.take()]);
    pacer.release();
    await expect(waiting).resolves.toBeDefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
