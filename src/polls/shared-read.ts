/**
 * One read shared by every caller that asks before it starts: a caller is answered by a read that
 * started after it asked (so it sees what the caller wrote just before), and a burst of callers
 * costs a read or two, not one each. At most one read runs at a time; the next waits for it.
 */
export class SharedRead<T> {
  private pending: Promise<T> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.pending) return this.pending;
    const next = this.running.then(
      () => this.start(),
      () => this.start(),
    );
    this.pending = next;
    return next;
  }

  private start(): Promise<T> {
    this.pending = null; // from here on, a new caller needs a read that starts after it
    const read = this.read();
    this.running = read.catch(() => undefined);
    return read;
  }
}
