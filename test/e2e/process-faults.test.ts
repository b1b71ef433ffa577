import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Loopback, startLoopbackDiscord } from '../loopback/index.js';
import { APP_ID, TOKEN } from './harness.js';

// Real processes: starting one takes seconds on a loaded machine. These bound a hung test only; the
// promises under test (exit within 10 s of SIGTERM, …) are asserted from the moment they start.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** `npm start` against a store that cannot be used: one sentence and exit 1, never a crash. */
let loop: Loopback;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-proc-faults-'));
const immutable: string[] = [];

beforeAll(async () => {
  loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
});
afterAll(async () => {
  for (const path of immutable) execFileSync('chattr', ['-i', path]);
  await loop.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runBot(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/index.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORY_DIR: resolve('data'), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: loop.apiUrl, ...env },
    cwd: dir,
  });
  let output = '';
  const seen = (d: Buffer) => {
    output += d.toString();
    // Online with a store it cannot use: the failure this file is about. Stop it here.
    if (output.includes('tamasha is online')) child.kill('SIGKILL');
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  const hung = setTimeout(() => child.kill('SIGKILL'), 45_000); // never leave a stray bot behind
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearTimeout(hung);
  return { code, output };
}

function expectOneSentence(output: string, reason: RegExp): void {
  expect(output).toMatch(/tamasha cannot start: the database/);
  expect(output).toMatch(reason);
  expect(output).toMatch(/DATABASE_URL/);
  expect(output).not.toMatch(/\n\s+at |triggerUncaughtException|node:internal|Unhandled/);
  expect(output).not.toContain('tamasha is online');
}

/** Makes a file unwritable even for root (whom chmod does not stop); false where that is impossible. */
function makeReadOnly(path: string): boolean {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['444', path]);
    return true;
  }
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    immutable.push(path);
    return true;
  } catch {
    return false;
  }
}

describe('the bot process when its store is unusable at start', () => {
  it('a path that is a folder: one sentence, exit 1', async () => {
    const folder = join(dir, 'a-folder.sqlite');
    mkdirSync(folder);
    const { code, output } = await runBot({ DATABASE_URL: `sqlite://${folder}` });
    expect(code).toBe(1);
    expectOneSentence(output, /cannot be opened/);
  });

  it('a path under a file: one sentence, exit 1', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    const { code, output } = await runBot({ DATABASE_URL: `sqlite://${join(file, 'bot.sqlite')}` });
    expect(code).toBe(1);
    expectOneSentence(output, /cannot be opened/);
  });

  it('a file that is not a SQLite database: one sentence, exit 1', async () => {
    const file = join(dir, 'not-a-database.sqlite');
    writeFileSync(file, 'These are notes, not a database.\n'.repeat(200));
    const { code, output } = await runBot({ DATABASE_URL: `sqlite://${file}` });
    expect(code).toBe(1);
    expectOneSentence(output, /is not a SQLite database, or is damaged/);
  });

  it('a read-only database file: one sentence, exit 1', async () => {
    const file = join(dir, 'read-only.sqlite');
    const db = new sqlite3.Database(file);
    await new Promise<void>((ok, fail) => db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(x);', (e) => (e ? fail(e) : ok())));
    await new Promise<void>((ok) => db.close(() => ok()));
    if (!makeReadOnly(file)) return; // no way to make a read-only file here (root without chattr)
    const { code, output } = await runBot({ DATABASE_URL: `sqlite://${file}` });
    expect(code).toBe(1);
    expectOneSentence(output, /read-only/);
  });

  it('a database another program holds locked: one sentence, exit 1', async () => {
    const file = join(dir, 'locked.sqlite');
    const locker = new sqlite3.Database(file);
    await new Promise<void>((ok, fail) => locker.exec('PRAGMA locking_mode=EXCLUSIVE; CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);', (e) => (e ? fail(e) : ok())));
    try {
      const { code, output } = await runBot({ DATABASE_URL: `sqlite://${file}` });
      expect(code).toBe(1);
      expectOneSentence(output, /locked/);
    } finally {
      await new Promise<void>((ok) => locker.exec('ROLLBACK', () => locker.close(() => ok())));
    }
  });

  it('a PostgreSQL server that does not answer: one sentence, exit 1, and the password is never shown', async () => {
    const { code, output } = await runBot({ DATABASE_URL: 'postgres://tamasha:s3cret-pw@127.0.0.1:1/tamasha' });
    expect(code).toBe(1);
    expectOneSentence(output, /"tamasha" on 127\.0\.0\.1:1 cannot be reached: PostgreSQL at 127\.0\.0\.1:1 did not answer \(ECONNREFUSED\)/);
    expect(output).not.toContain('s3cret-pw');
  });
});
