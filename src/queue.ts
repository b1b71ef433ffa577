/**
 * Runs tasks with the same key one after another, in call order; different keys run concurrently.
 * Within one process this keeps read-modify-write of one key from interleaving (the store's
 * compareAndSet is for what two processes may race on). A key's
 * entry is dropped when its last task settles, so idle keys cost nothing.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /**
   * Like run, but when nothing of `key` is queued the task starts in this call rather than a
   * microtask later: one promise less for the common case (a key used once at a time), the same
   * order per key. For tasks that may start inside the caller's turn.
   */
  runNow<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let result: Promise<T>;
    if (previous) result = previous.then(task);
    else {
      try {
        result = task();
      } catch (error) {
        result = Promise.reject(error as Error);
      }
    }
    const settled = (): void => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = result.then(settled, settled);
    this.tails.set(key, tail);
    return result;
  }

  /** Settles when every task queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
