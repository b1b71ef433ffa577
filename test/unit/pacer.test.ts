import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/digests/pacer.js';

describe('Pacer', () => {
  it('spaces starts evenly, never more than perSecond in a second, in order', async () => {
    const pacer = new Pacer(20);
    const t0 = Date.now();
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pacer.take().then(() => {
          order.push(i);
          times.push(Date.now() - t0);
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Timers may fire a millisecond early; 20 starts always span at least ~950 ms.
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBeGreaterThanOrEqual(990);
    expect(times[0]).toBeLessThan(100);
  });

  it('releases every waiter at once on shutdown', async () => {
    const pacer = new Pacer(1);
    await pacer.take();
    const waiting = Promise.all([pacer.take(), pacer.take()]);
    pacer.release();
    await expect(waiting).resolves.toBeDefined();
  });
});
