import pg from 'pg';
import { StoreUnavailableError } from './errors.js';

export interface PostgresTarget {
  /** DATABASE_URL without tamasha's own `schema` parameter, for pg. */
  connectionString: string;
  /** Where tamasha's tables live; `?schema=` in DATABASE_URL, default public. */
  schema: string;
  /** `"db" on host:port`, never the password: for messages. */
  label: string;
  host: string;
  database: string;
}

/** DATABASE_URL with its password masked, for messages and logs (the start-up error prints the URL). */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\/.+/.test(url);

export function parsePostgresUrl(url: string): PostgresTarget {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  const host = `${decodeURIComponent(parsed.hostname) || 'localhost'}:${parsed.port || '5432'}`;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  return { connectionString: parsed.toString(), schema, label: `"${database}" on ${host}`, host, database };
}

// How long the start-up check waits for the server before saying it did not answer.
const CHECK_TIMEOUT_MS = 5_000;

function explain(error: unknown, target: PostgresTarget): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === '3D000') return `does not exist on that server: create it (createdb ${target.database}) or name another in DATABASE_URL`;
  if (code === '28P01' || code === '28000') return `refused the login (${message})`;
  if (code === '42501') return `does not let this user create or write tamasha's tables (${message})`;
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(code) || /timeout|terminated/i.test(message)) {
    return `cannot be reached: PostgreSQL at ${target.host} did not answer (${code || message})`;
  }
  return `cannot be used (${message})`;
}

/**
 * Proves at start-up that the server answers, the database exists and tamasha may create and write
 * its tables, with one short-lived connection: a wrong host, port or name fails here in one sentence
 * instead of as an error on every command.
 */
export async function checkPostgres(url: string): Promise<void> {
  let target: PostgresTarget;
  try {
    target = parsePostgresUrl(url);
  } catch (error) {
    throw new StoreUnavailableError(withoutPassword(url), 'named by DATABASE_URL', 'cannot be found: DATABASE_URL is not a valid URL', { cause: error });
  }
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  // A connection that fails after connect() resolved emits 'error'; the failing query reports it.
  client.on('error', () => undefined);
  try {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(target.schema.toLowerCase())) {
      throw Object.assign(new Error(`?schema=${target.schema} is not a plain lower-case name`), { code: 'SCHEMA' });
    }
    await client.connect();
    const schema = target.schema.toLowerCase();
    if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(ignoreDuplicate);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.tamasha_meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)`).catch(ignoreDuplicate);
    await client.query(`INSERT INTO ${schema}.tamasha_meta (key, value) VALUES ('last_start', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [new Date().toISOString()]);
  } catch (error) {
    throw new StoreUnavailableError(withoutPassword(url), target.label, explain(error, target), { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Another process starting at the same moment may create the same object first.
function ignoreDuplicate(error: unknown): void {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (!['23505', '42P06', '42P07'].includes(code)) throw error;
}
