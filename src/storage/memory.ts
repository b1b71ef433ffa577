import { isDeepStrictEqual } from 'node:util';
import Keyv from 'keyv';
import type { Logger } from '../logger.js';
import type { Database, Table } from './adapter.js';
import { StorageError } from './errors.js';

/** For `memory:`: one process holds the only copy, so a check and a write under one lock suffice. */
class MemoryTable implements Table {
  readonly keyv: Keyv<unknown>;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly name: string, logger: Logger) {
    this.keyv = new Keyv<unknown>({ namespace: name, throwOnErrors: true });
    this.keyv.on('error', (error: unknown) => logger.error({ err: error, collection: name }, 'storage error'));
  }

  get(key: string): Promise<unknown> {
    return this.keyv.get(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    if (!(await this.keyv.set(key, value))) throw new StorageError(`could not write ${this.name}:${key}`);
  }

  async delete(key: string): Promise<void> {
    await this.keyv.delete(key);
  }

  async entries(prefix: string): Promise<Array<[string, unknown]>> {
    if (!this.keyv.iterator) throw new StorageError(`the store behind ${this.name} cannot list keys`);
    const found: Array<[string, unknown]> = [];
    for await (const [key, value] of this.keyv.iterator(this.name) as AsyncGenerator<[string, unknown]>) {
      const bare = key.startsWith(`${this.name}:`) ? key.slice(this.name.length + 1) : key;
      if (bare.startsWith(prefix)) found.push([bare, value]);
    }
    return found;
  }

  compareAndSet(key: string, expected: unknown, next: unknown): Promise<boolean> {
    // Compared as they would be stored: JSON drops undefined fields.
    const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    const step = this.chain.then(async () => {
      const current = await this.keyv.get(key);
      if (!isDeepStrictEqual(plain(current), plain(expected))) return false;
      if (!(await this.keyv.set(key, next))) throw new StorageError(`could not write ${key}`);
      return true;
    });
    this.chain = step.catch(() => undefined);
    return step;
  }
}

/** `memory:`: lost on exit; for tests and benchmarks. */
export function openMemory(logger: Logger): Database {
  const tables: MemoryTable[] = [];
  return {
    table(name) {
      const table = new MemoryTable(name, logger);
      tables.push(table);
      return table;
    },
    // Nothing to start: a memory table is ready when it exists.
    ready: async () => undefined,
    async close() {
      await Promise.all(tables.map((table) => table.keyv.disconnect()));
      tables.length = 0;
    },
  };
}
