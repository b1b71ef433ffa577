import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArrivalWindow } from '../../src/arrival-window.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ArrivalWindow', () => {
  it('frees a slot a whole window after the answer came back, not after the send', async () => {
    vi.useFakeTimers();
    const window = new ArrivalWindow(2, 1_000, () => Date.now());
    const t0 = Date.now();
    const first = await window.acquire();
    const second = await window.acquire();
    let thirdAt: number | undefined;
    const third = window.acquire().then((release) => {
      thirdAt = Date.now() - t0;
      return release;
    });
    // The first answer is slow (it reached Discord late): 300 ms.
    await vi.advanceTimersByTimeAsync(300);
    first();
    second();
    await vi.advanceTimersByTimeAsync(1_000 - 1);
    expect(thirdAt).toBeUndefined(); // 1,299 ms after the send, 999 ms after the answer
    await vi.advanceTimersByTimeAsync(1);
    expect(thirdAt).toBe(1_300);
    (await third)();
    expect(window.used).toBe(1);
  });

  it('counts requests still in flight, however long they take', async () => {
    vi.useFakeTimers();
    const window = new ArrivalWindow(1, 1_000, () => Date.now());
    const slow = await window.acquire();
    let next = false;
    void window.acquire().then(() => (next = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(next).toBe(false);
    slow();
    await vi.advanceTimersByTimeAsync(999);
    expect(next).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(next).toBe(true);
  });

  it('serves waiters first come, first served, no more at once than are free', async () => {
    vi.useFakeTimers();
    const window = new ArrivalWindow(3, 1_000, () => Date.now());
    const held = await Promise.all([window.acquire(), window.acquire(), window.acquire()]);
    const order: number[] = [];
    const waiting = [1, 2, 3, 4].map((n) => window.acquire().then((release) => (order.push(n), release)));
    for (const release of held) release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([1, 2, 3]);
    expect(window.used).toBe(3);
    for (const release of await Promise.all(waiting.slice(0, 3))) release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('releasing twice frees one slot', async () => {
    const window = new ArrivalWindow(2);
    const release = await window.acquire();
    release();
    release();
    expect(window.used).toBe(1);
  });
});
