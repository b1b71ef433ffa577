import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { checkStore, openStore, StoreUnavailableError } from '../../src/storage/store.js';
import { adminQuery, postgresEnabled, usePostgres } from '../helpers/postgres.js';

/** What only a real PostgreSQL server shows: group commit, races between pools, failures, the index. */
describe.skipIf(!postgresEnabled)('the PostgreSQL store', () => {
  const server = usePostgres();
  const open = (url: string) => openStore(url, createLogger('silent'));

  /** Counts the statements that write `table` (a statement-level trigger), to see group commit. */
  const countStatements = async (schema: string, table: string) => {
    await adminQuery(`CREATE TABLE ${schema}.statements (n int)`);
    await adminQuery(`CREATE FUNCTION ${schema}.count_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${schema}.statements VALUES (1); RETURN NULL; END $$`);
    await adminQuery(`CREATE TRIGGER counted AFTER INSERT ON ${schema}.${table} FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.count_statement()`);
    return async () => Number((await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.statements`))[0]?.n);
  };

  it('commits the writes of one event-loop turn as one statement; the last write to a key wins', async () => {
    const url = server.url();
    const store = open(url);
    const votes = store.collection<number>('votes');
    await store.ready();
    const statements = await countStatements(server.schemaOf(url), 'votes');
    await Promise.all([
      ...Array.from({ length: 1000 }, (_, i) => votes.set(`poll:p:user:${i}`, i % 4)),
      ...Array.from({ length: 50 }, (_, i) => votes.set('poll:p:user:same', i)),
    ]);
    expect(await statements()).toBe(2); // 1,050 rows, at most 1,000 per statement
    await store.close();
    const reopened = open(url); // a new pool: what was acknowledged is committed
    const again = reopened.collection<number>('votes');
    expect(await again.entries('poll:p:')).toHaveLength(1001);
    expect(await again.get('poll:p:user:same')).toBe(49);
    expect(await again.get('poll:p:user:7')).toBe(3);
    await reopened.close();
  });

  it('rejects every write of a group commit that fails, stores none of them, and commits the next turn', async () => {
    const url = server.url();
    const schema = server.schemaOf(url);
    const store = open(url);
    const votes = store.collection<string>('votes');
    await store.ready();
    // A real failure inside the statement: the server refuses one row, so the whole statement fails.
    await adminQuery(`CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.value LIKE '%poison%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await adminQuery(`CREATE TRIGGER refuse BEFORE INSERT ON ${schema}.votes FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse()`);
    const outcomes = await Promise.allSettled([...Array.from({ length: 20 }, (_, i) => votes.set(`k${i}`, 'fine')), votes.set('bad', 'poison')]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/StorageError: could not write votes:k0: refused/);
    expect(await votes.entries()).toEqual([]);
    await votes.set('k1', 'fine');
    expect(await votes.get('k1')).toBe('fine');
    await store.close();
  });

  it('lets exactly one of two pools (two processes) win a claim, and one compare-and-set among them', async () => {
    const url = server.url();
    const [a, b] = [open(url), open(url)];
    await Promise.all([a.ready(), b.ready()]);
    for (let round = 0; round < 20; round++) {
      const wins = await Promise.all([a, b].flatMap((s, i) => [0, 1, 2].map((j) => s.collection<string>('locks').claim(`day:${round}`, `p${i}.${j}`))));
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
    const current = await a.collection<string>('locks').get('day:0');
    const moved = await Promise.all([a, b].map((s, i) => s.collection<string>('locks').compareAndSet('day:0', current, `next${i}`)));
    expect(moved.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('starts when several processes create the same tables at the same moment (CREATE ... IF NOT EXISTS races)', async () => {
    // Two creators can both pass IF NOT EXISTS; the loser fails on the catalog: its table's row type
    // "already exists" (42710), a unique index (23505), or the relation (42P07). Seen in CI with two
    // verdict processes; here four pools race on fresh schemas, every collection at once.
    for (let round = 0; round < 8; round++) {
      const url = server.url();
      const stores = Array.from({ length: 4 }, () => open(url));
      const names = ['polls', 'votes', 'digests', 'verdictStances', 'verdictDays', 'arguments'];
      await Promise.all(stores.flatMap((store) => names.map((name) => store.collection<string>(name).get('nothing'))));
      await Promise.all(stores.map((store) => store.ready()));
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('lists a prefix with the primary-key index, and bytewise (poll:1: never matches poll:10:)', async () => {
    const url = server.url();
    const store = open(url);
    const votes = store.collection<number>('votes');
    await Promise.all([votes.set('poll:1:user:a', 1), votes.set('poll:10:user:b', 2), votes.set('poll:1:user:c', 3)]);
    expect(await votes.entries('poll:1:')).toEqual([['poll:1:user:a', 1], ['poll:1:user:c', 3]]);
    const schema = server.schemaOf(url);
    // With sequential scans priced out, a range the index cannot serve would still show "Seq Scan".
    const lines = await explain(schema);
    expect(lines.join('\n')).toMatch(/Index (Only )?Scan (using|on) votes_pkey/);
    await store.close();
  });

  it('rejects a read it cannot make, instead of answering "not found"', async () => {
    const url = server.url();
    const store = open(url);
    const polls = store.collection<string>('polls');
    await polls.set('a', 'kept');
    await adminQuery(`DROP TABLE ${server.schemaOf(url)}.polls`);
    await expect(polls.get('a')).rejects.toThrow(/does not exist/);
    await store.close();
  });

  it('names its connections after the process (application_name, in pg_stat_activity) unless DATABASE_URL names them', async () => {
    const named = async (url: string, applicationName?: string) => {
      const store = openStore(url, createLogger('silent'), { applicationName });
      await store.collection<number>('votes').set('k', 1);
      const rows = await adminQuery<{ name: string }>(`SELECT application_name AS name FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE $1`, [`%${server.schemaOf(url)}.votes%`]);
      await store.close();
      return [...new Set(rows.map((r) => r.name))];
    };
    expect(await named(server.url(), 'tamasha shards 2,3')).toEqual(['tamasha shards 2,3']);
    const chosen = new URL(server.url());
    chosen.searchParams.set('application_name', 'eu-west-7');
    expect(await named(chosen.toString(), 'tamasha shards 2,3')).toEqual(['eu-west-7']);
  });

  it('says in one sentence at start-up when the server does not answer or the database does not exist', async () => {
    const target = new URL(server.url());
    await expect(checkStore(server.url())).resolves.toBeUndefined();
    const refused = new URL(target);
    refused.port = '1';
    await expect(checkStore(refused.toString())).rejects.toThrow(/cannot be reached: PostgreSQL at 127\.0\.0\.1:1 did not answer \(ECONNREFUSED\)/);
    await expect(checkStore(refused.toString())).rejects.toBeInstanceOf(StoreUnavailableError);
    const missing = new URL(target);
    missing.pathname = '/tamasha_no_such_db';
    await expect(checkStore(missing.toString())).rejects.toThrow(/"tamasha_no_such_db" on .* does not exist on that server: create it \(createdb tamasha_no_such_db\)/);
  });
});

/** EXPLAIN on one connection with sequential scans switched off (a multi-statement query returns no rows). */
async function explain(schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const rows = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT key, value FROM ${schema}.votes WHERE key >= $1 AND key < $2 ORDER BY key`, ['votes:poll:1:', 'votes:poll:1;'])).rows;
    return rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.end();
  }
}
