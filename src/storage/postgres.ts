import KeyvPostgres from '@keyv/postgres';
import Keyv from 'keyv';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Database, Table } from './adapter.js';
import { WriteBatcher } from './batch.js';
import { RowEncoder } from './encode.js';
import { StorageError } from './errors.js';
import { parsePostgresUrl, type PostgresTarget } from './postgres-url.js';

type Run = (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>;

// PostgreSQL allows 65,535 bound parameters per statement; two per row keeps far below that.
const ROWS_PER_STATEMENT = 1000;
// Group commits of one table in flight at once, each on its own connection of the pool (10): a
// burst's next batch goes out while the previous one waits for its commit.
const STATEMENTS_IN_FLIGHT = 4;
// A query waits this long for a connection of the pool before failing (a server gone quiet).
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * keyv's adapter, on this store's own pool. The adapter keeps one pool per process, shared by every
 * adapter of the same URL and ended when any one of them disconnects (two stores in one process,
 * or one store closed while another runs, would share or lose it). Its connect() is the only seam:
 * here it hands back the store's query function, which waits for the table this store created.
 */
class PooledKeyvPostgres extends KeyvPostgres {
  override connect(): Promise<(sql: string, values?: unknown[]) => Promise<unknown[]>> {
    return Promise.resolve((this.opts as { run: Run }).run);
  }

  override async disconnect(): Promise<void> {
    // The pool belongs to the database (openPostgres), which ends it once, after every table.
  }
}

/** A table or schema name: checked once, so it can be written into SQL unquoted. */
const identifier = (name: string): string => {
  const lower = name.toLowerCase();
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(lower)) throw new StorageError(`"${name}" cannot name a PostgreSQL table or schema`);
  return lower;
};

/**
 * One concern's table. The key is TEXT COLLATE "C" so its primary-key index orders keys byte by
 * byte: a prefix is then one half-open range on that index, whatever the database's collation
 * (under en_US, ':' is ignored when sorting and `poll:1:` would range over `poll:10:` too).
 */
class PostgresTable implements Table {
  readonly keyv: Keyv<unknown>;
  readonly batcher: WriteBatcher;
  private readonly encoder: RowEncoder;
  private readonly qualified: string;

  constructor(private readonly name: string, schema: string, private readonly run: Run, logger: Logger) {
    const table = identifier(name);
    this.qualified = `${schema}.${table}`;
    const adapter = new PooledKeyvPostgres({ schema, table, run } as ConstructorParameters<typeof KeyvPostgres>[0]);
    adapter.on('error', (error: unknown) => logger.error({ err: error, table: name }, 'PostgreSQL adapter error'));
    // keyv swallows a failed read (answering "not found") unless told to throw.
    this.keyv = new Keyv<unknown>({ store: adapter, namespace: name, throwOnErrors: true });
    this.keyv.on('error', (error: unknown) => logger.error({ err: error, collection: name }, 'storage error'));
    this.encoder = new RowEncoder(this.keyv);
    this.batcher = new WriteBatcher((rows) => this.commit(rows), { rowsPerStatement: ROWS_PER_STATEMENT, inFlight: STATEMENTS_IN_FLIGHT });
  }

  /**
   * One multi-row upsert, committed on its own (autocommit), so it resolves only once durable.
   * PostgreSQL refuses a statement that updates one row twice, so when a key was written several
   * times in the batch only its last value goes out: the same end state, in one commit.
   */
  private async commit(rows: Array<[string, string]>): Promise<void> {
    const last = new Map<string, string>();
    for (const [key, raw] of rows) {
      last.delete(key);
      last.set(key, raw);
    }
    const values = [...last.keys()].map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    await this.run(`INSERT INTO ${this.qualified} (key, value) VALUES ${values} ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [...last].flat());
  }

  get(key: string): Promise<unknown> {
    return this.keyv.get(key);
  }

  set(key: string, value: unknown): Promise<void> {
    // Group commit, in keyv's own encoding (see RowEncoder).
    return this.encoder.write(value, (raw) => this.batcher.write(`${this.name}:${key}`, raw));
  }

  /** Through the batcher: ordered after this process's earlier writes of the key, one statement. */
  async delete(key: string): Promise<void> {
    await this.batcher.exclusive(() => this.run(`DELETE FROM ${this.qualified} WHERE key = $1`, [`${this.name}:${key}`]));
  }

  async entries(prefix: string): Promise<Array<[string, unknown]>> {
    const from = `${this.name}:${prefix}`;
    // The first key past every key starting with `from`: its last character plus one ("votes:" → "votes;").
    const to = from.slice(0, -1) + String.fromCodePoint((from.codePointAt(from.length - 1) ?? 0) + 1);
    const rows = await this.run(`SELECT key, value FROM ${this.qualified} WHERE key >= $1 AND key < $2 ORDER BY key`, [from, to]);
    const deserialize = this.keyv.deserialize ?? ((raw: string) => JSON.parse(raw) as unknown);
    const found: Array<[string, unknown]> = [];
    for (const row of rows) {
      const data = (await deserialize(String(row.value))) as { value?: unknown } | undefined;
      if (data?.value !== undefined) found.push([String(row.key).slice(this.name.length + 1), data.value]);
    }
    return found;
  }

  /** One statement, compared as stored JSON, run in the batcher's order (see sqlite.ts). */
  async compareAndSet(key: string, expected: unknown, next: unknown): Promise<boolean> {
    const full = `${this.name}:${key}`;
    // Encoded in the call when the serializer allows, so the statement joins the queue in call order with set().
    const rows = await this.encoder.write(next, (raw) =>
      expected === undefined
        ? this.batcher.exclusive(() => this.run(`INSERT INTO ${this.qualified} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`, [full, raw]))
        : this.batcher.exclusive(async () => this.run(`UPDATE ${this.qualified} SET value = $1 WHERE key = $2 AND value = $3 RETURNING key`, [raw, full, await this.encoder.encode(expected)])),
    );
    return rows.length === 1;
  }
}

/** Creates the schema and a table, tolerating another process creating them at the same moment. */
async function createTable(pool: pg.Pool, target: PostgresTarget, table: string): Promise<void> {
  const statements = [
    ...(target.schema === 'public' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${target.schema}`]),
    `CREATE TABLE IF NOT EXISTS ${target.schema}.${table} (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)`,
  ];
  for (const sql of statements) {
    for (let attempt = 1; ; attempt++) {
      try {
        await pool.query(sql);
        break;
      } catch (error) {
        // IF NOT EXISTS is not atomic: two creators at once can both pass the check, and the loser
        // fails on the catalog's unique index (23505), on its table's row type (42710: type "votes"
        // already exists) or as a duplicate (42P06, 42P07); the object exists then.
        const code = (error as { code?: string }).code;
        if (code !== undefined && ['23505', '42710', '42P06', '42P07'].includes(code) && attempt < 3) continue;
        throw error;
      }
    }
  }
}

/**
 * `postgres://user@host:port/db[?schema=name]`: one table per concern (polls, votes…) in that schema
 * (default public), one pool per store, group commit, conditional writes as single statements.
 * Its connections carry `applicationName`, so pg_stat_activity tells the shard processes apart.
 */
export function openPostgres(url: string, logger: Logger, applicationName?: string): Database {
  const target = parsePostgresUrl(url);
  const schema = identifier(target.schema);
  // The fallback yields to `?application_name=` in the URL (and to PGAPPNAME): the operator's choice wins.
  const pool = new pg.Pool({ connectionString: target.connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, fallback_application_name: applicationName });
  // A connection dropped while idle (server restart) is reported here; unheard, it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL connection lost while idle; the pool will open a new one'));
  const tables: PostgresTable[] = [];
  const started: Array<Promise<void>> = [];
  let ended = false;
  return {
    table(name) {
      const created = createTable(pool, { ...target, schema }, identifier(name));
      created.catch((error: unknown) => logger.error({ err: error, table: name }, 'could not create the PostgreSQL table'));
      started.push(created);
      // Every statement waits for the table; a failed creation fails them with its error.
      const run: Run = async (sql, values) => {
        await created;
        return (await pool.query(sql, values)).rows as Array<Record<string, unknown>>;
      };
      const table = new PostgresTable(name, schema, run, logger);
      tables.push(table);
      return table;
    },
    async ready() {
      await Promise.all(started);
    },
    async close() {
      await Promise.all(tables.map((table) => table.batcher.idle()));
      tables.length = 0;
      started.length = 0;
      if (!ended) {
        ended = true;
        await pool.end();
      }
    },
  };
}
