/** vitest globalSetup: says once per run how to run the PostgreSQL tests when they are skipped. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL?.trim()) {
    console.log('\nPostgreSQL tests (the store on PostgreSQL, and the shard-process journeys on it) are SKIPPED: TEST_DATABASE_URL is not set. To run them against a server:\n  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test\n');
  }
}
