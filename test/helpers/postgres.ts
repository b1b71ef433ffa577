import pg from 'pg';
import { afterAll, beforeEach } from 'vitest';

/**
 * The PostgreSQL store's tests run against TEST_DATABASE_URL (e.g.
 * postgres://postgres@127.0.0.1:5432/postgres). Unset, they are skipped (a newcomer with only Node
 * still passes; test/helpers/postgres-notice.ts says once how to run them). Set, a server that does
 * not answer fails them: CI sets it, and must not pass by skipping.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const postgresEnabled = TEST_DATABASE_URL !== undefined;

const base = (): string => {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return TEST_DATABASE_URL;
};

/** Answers within a few seconds, or throws saying PostgreSQL at that URL did not answer. */
export async function expectPostgresAnswers(url = base()): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at ${url} did not answer (${error instanceof Error ? error.message || error.name : String(error)}). Start it, or unset TEST_DATABASE_URL to skip the PostgreSQL tests.`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `sql` on the test server with a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: base(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

let counter = 0;
const prefix = `tamasha_test_${process.pid}_${Date.now().toString(36)}`;

/**
 * For a describe block on PostgreSQL: fails its tests when the server does not answer, hands out a
 * DATABASE_URL with a schema of its own per call (parallel runs and leftovers never meet), and drops
 * those schemas afterwards. Call it inside the describe, which is skipped when postgresEnabled is false.
 */
export function usePostgres(): { url: () => string; schemaOf: (url: string) => string } {
  const schemas: string[] = [];
  // Before each test, not once before all: a failed beforeAll reports its tests as skipped, and
  // an unreachable server must count as failed tests. The check itself runs once.
  let answered: Promise<void> | undefined;
  beforeEach(async () => {
    if (postgresEnabled) await (answered ??= expectPostgresAnswers());
  });
  afterAll(async () => {
    if (schemas.length > 0) await adminQuery(`DROP SCHEMA IF EXISTS ${schemas.splice(0).join(', ')} CASCADE`);
  });
  return {
    url() {
      const schema = `${prefix}_${counter++}`;
      schemas.push(schema);
      const url = new URL(base());
      url.searchParams.set('schema', schema);
      return url.toString();
    },
    schemaOf: (url) => new URL(url).searchParams.get('schema') ?? 'public',
  };
}

/** One row written, as watchWriters recorded it: table, key, value and the writer's application_name. */
export interface WrittenRow {
  tbl: string;
  key: string;
  value: string;
  writer: string;
}

/**
 * Records every row written to `tables` of `schema` (insert, update, delete) with the application_name
 * of the connection that wrote it: which process wrote what, as the database saw it. The tables must
 * exist. Returns a reader of the records.
 */
export async function watchWriters(schema: string, tables: readonly string[]): Promise<() => Promise<WrittenRow[]>> {
  await adminQuery(`CREATE TABLE ${schema}.tamasha_writes (tbl text, key text, value text, writer text)`);
  await adminQuery(`CREATE FUNCTION ${schema}.tamasha_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO ${schema}.tamasha_writes VALUES (TG_TABLE_NAME, OLD.key, OLD.value, current_setting('application_name'));
      ELSE
        INSERT INTO ${schema}.tamasha_writes VALUES (TG_TABLE_NAME, NEW.key, NEW.value, current_setting('application_name'));
      END IF;
      RETURN NULL;
    END $$`);
  for (const table of tables) await adminQuery(`CREATE TRIGGER tamasha_write AFTER INSERT OR UPDATE OR DELETE ON ${schema}.${table.toLowerCase()} FOR EACH ROW EXECUTE FUNCTION ${schema}.tamasha_write()`);
  return () => adminQuery<WrittenRow>(`SELECT tbl, key, value, writer FROM ${schema}.tamasha_writes`);
}
