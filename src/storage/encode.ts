import type Keyv from 'keyv';
import { StorageError } from './errors.js';

/**
 * A value as keyv stores it (`{ value, expires }` through its serializer), so get() and entries()
 * read the batcher's rows like any other. `sync` says the serializer answers at once (keyv's default
 * JSON one does): a table then encodes in the call itself, so a write joins its batcher's queue in
 * the same step as the call, with no promise per write for the encoding. With a serializer that
 * answers with a promise every write of the table awaits it instead, so writes keep call order either way.
 */
export class RowEncoder {
  readonly sync: boolean;

  constructor(private readonly keyv: Keyv<unknown>) {
    const probe = keyv.serialize?.({ value: null, expires: undefined });
    if (probe instanceof Promise) probe.catch(() => undefined);
    this.sync = probe === undefined || typeof probe === 'string';
  }

  /** The row text, at once: only when `sync`. Throws StorageError when the serializer gave no text. */
  private text(value: unknown): string {
    return checked(this.keyv.serialize ? this.keyv.serialize({ value, expires: undefined }) : JSON.stringify({ value }));
  }

  /**
   * Encodes `value` and hands the row text to `write`: in the call itself when `sync` (a serializer
   * that throws becomes a rejection), else once the serializer's promise settles.
   */
  write<R>(value: unknown, write: (raw: string) => Promise<R>): Promise<R> {
    if (!this.sync) return this.encode(value).then(write);
    let raw: string;
    try {
      raw = this.text(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return write(raw);
  }

  /** The row text, whatever the serializer. */
  async encode(value: unknown): Promise<string> {
    return checked(this.keyv.serialize ? await this.keyv.serialize({ value, expires: undefined }) : JSON.stringify({ value }));
  }
}

function checked(raw: unknown): string {
  if (typeof raw !== 'string') throw new StorageError('the serializer did not produce text');
  return raw;
}
