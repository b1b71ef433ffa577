/**
 * What a database implements to back the store: the seam a new store (PostgreSQL next) plugs into.
 * Nothing outside src/storage/ sees these; everyone else uses Store and Collection (store.ts).
 *
 * A Database hands out one Table per concern (polls, votes, digests…, names in keys.ts). Values are
 * plain JSON-able data; keys are strings with hierarchical prefixes (`guild:<id>:poll:<id>`).
 */
export interface Database {
  table(name: string): Table;
  /** Waits for writes under way, then releases every connection and timer. */
  close(): Promise<void>;
  /** Resolves once every table opened so far has finished its start-up; rejects with a start-up failure. */
  ready(): Promise<void>;
}

export interface Table {
  /** The value, or undefined when absent. Rejects when the database cannot be read (never "not found"). */
  get(key: string): Promise<unknown>;
  /**
   * Resolves once the value is durable; rejects when it is not. Writes made in the same turn of the
   * event loop may be committed together (group commit), but writes to one key land in call order.
   */
  set(key: string, value: unknown): Promise<void>;
  /** Ordered after earlier set()s of the same key; rejects when the database fails. */
  delete(key: string): Promise<void>;
  /** Every [key, value] whose key starts with `prefix` (keys without the table name). Start-up and rare listings only. */
  entries(prefix: string): Promise<Array<[string, unknown]>>;
  /**
   * One atomic step across processes: writes `next` only if the stored value still equals
   * `expected` (undefined: the key is absent), compared as stored JSON. Ordered with set(): it
   * sees earlier writes of this process and is not overtaken by later ones.
   */
  compareAndSet(key: string, expected: unknown, next: unknown): Promise<boolean>;
}

/** The message of whatever a database threw, for a StorageError. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
