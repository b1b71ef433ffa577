import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/queue.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue.runNow', () => {
  it('starts an idle key\'s task in the call, and queues the same key\'s later tasks behind it in call order', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const first = queue.runNow('k', () => {
      log.push('first started');
      return new Promise<number>((resolve) => (release = () => resolve(1)));
    });
    expect(log).toEqual(['first started']);
    const second = queue.runNow('k', async () => {
      log.push('second started');
      return 2;
    });
    const third = queue.run('k', async () => {
      log.push('third started');
      return 3;
    });
    const other = queue.runNow('other', async () => {
      log.push('other started');
      return 4;
    });
    expect(log).toEqual(['first started', 'other started']);
    await tick();
    expect(log).toEqual(['first started', 'other started']);
    release();
    expect(await Promise.all([first, second, third, other])).toEqual([1, 2, 3, 4]);
    expect(log).toEqual(['first started', 'other started', 'second started', 'third started']);
  });

  it('turns a task that throws in the call into a rejection, and the key runs on', async () => {
    const queue = new KeyedQueue();
    const failed = queue.runNow('k', () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.runNow('k', async () => 'next')).resolves.toBe('next');
  });

  it('forgets a key once its last task settled: idle() resolves and a new task starts in the call again', async () => {
    const queue = new KeyedQueue();
    await queue.runNow('k', async () => undefined);
    await queue.idle();
    let started = false;
    const again = queue.runNow('k', async () => {
      started = true;
    });
    expect(started).toBe(true);
    await again;
  });
});
