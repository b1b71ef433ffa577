import KeyvSqlite, { type KeyvSqliteOptions } from '@keyv/sqlite';

// A start-up refused as busy is tried again on a new connection for up to this long.
const START_RETRY_MS = 2_000;
const START_PAUSE_MS = 20;

export interface StartOptions {
  /** Statements wait until this has settled (the switch to WAL), whatever its outcome. */
  after?: Promise<unknown>;
  /** Statements that belong to the connection (pragmas): run on the connection that is kept. */
  setup?: string[];
  onBusy?: (attempt: number) => void;
}

/**
 * A @keyv/sqlite adapter whose start-up survives a busy file. The adapter opens its connection
 * and creates its table from its constructor and keeps that outcome for good: when the six
 * connections of a fresh store created their tables at once under load, one CREATE TABLE waited
 * out the busy timeout and its collection then failed every statement for the life of the process
 * (and the failure surfaced as an unhandled rejection). Here a start-up refused as busy is retried
 * on a new connection, and every statement waits until `after` has settled and the start-up is
 * done, so no statement of the store races its own start-up. `started` rejects with the start-up's
 * error when it gives up; the statements then reject with it too.
 */
export function startAdapter(options: KeyvSqliteOptions, start: StartOptions = {}): { adapter: KeyvSqlite; started: Promise<void> } {
  const adapter = new KeyvSqlite(options);
  let current = { query: adapter.query, close: adapter.close };
  // Settles once the connection is open and its table exists; handled at once, never left unheard.
  const probe = (connection: typeof current) => connection.query('SELECT 1').then(() => undefined, (error: unknown) => error);
  let outcome = probe(current);
  const started = (async () => {
    await start.after?.catch(() => undefined);
    const giveUpAt = Date.now() + START_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      const error = await outcome;
      if (error === undefined) break;
      if (code(error) !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw error;
      start.onBusy?.(attempt);
      // The failed connection keeps its failure; a new adapter is the only way to a new one.
      await current.close().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, START_PAUSE_MS));
      const fresh = new KeyvSqlite(options);
      fresh.on('error', () => undefined); // its failure is reported through `started`
      current = { query: fresh.query, close: fresh.close };
      outcome = probe(current);
    }
    for (const sql of start.setup ?? []) await current.query(sql);
  })();
  started.catch(() => undefined); // callers hear it through their statements or by awaiting it
  adapter.query = async (sql, ...params) => {
    await started;
    return current.query(sql, ...params);
  };
  adapter.close = async () => {
    // A connection that never started has nothing to close (its close rejects with the failure).
    if (await started.then(() => false, () => true)) return current.close().catch(() => undefined);
    await current.close();
  };
  return { adapter, started };
}

function code(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}
