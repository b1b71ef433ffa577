import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Loopback, startLoopbackDiscord } from '../loopback/index.js';
import { fakeToken } from '../helpers/token.js';
import { APP_ID, TOKEN } from './harness.js';

// Real processes: starting one takes seconds on a loaded machine. These bound a hung test only; the
// promises under test (exit within 10 s of SIGTERM, …) are asserted from the moment they start.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** `npm start` as a user runs it: a real process, configured only through its environment. */
let loop: Loopback;
const dir = mkdtempSync(join(tmpdir(), 'tamasha-proc-'));

beforeAll(async () => {
  loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
});
afterAll(async () => {
  await loop.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>, cwd = dir): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  // Run from an empty folder with an explicit environment, so a developer's .env or shell can't leak in.
  const child = spawn(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/index.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(cwd === dir ? { DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, STORY_DIR: resolve('data') } : {}), ...env },
    cwd,
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves when the process has printed `text` (checked on each chunk it writes, not on a timer). */
async function untilPrinted(proc: ReturnType<typeof run>, text: string, ms = 45_000): Promise<void> {
  if (proc.output().includes(text)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the process to print ${text}`)), ms);
    const check = (): void => {
      if (!proc.output().includes(text)) return;
      clearTimeout(timer);
      proc.child.stdout?.off('data', check);
      resolve();
    };
    proc.child.stdout?.on('data', check);
  });
}

describe('the bot process', () => {
  it('stops with exit code 1 and names the variables when nothing is configured', async () => {
    const proc = run({});
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/DISCORD_CLIENT_ID is not set/);
    expect(proc.output()).toMatch(/DISCORD_TOKEN is not set/);
  });

  it('stops with exit code 1 when Discord rejects the token, without printing it', async () => {
    const wrong = fakeToken(APP_ID).replace('xxx', 'yyy');
    const proc = run({ DISCORD_TOKEN: wrong, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: loop.apiUrl });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/Discord rejected DISCORD_TOKEN/);
    expect(proc.output()).not.toContain(wrong);
  });

  it('comes online with a .env copied from .env.example, only the token, the application id and the API filled in', async () => {
    // What a newcomer does (README: cp .env.example .env): every other variable is there, empty.
    // discord.js reads SHARD_COUNT from the environment itself, so an empty one must count as unset.
    const filled: Record<string, string> = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: loop.apiUrl, DATABASE_URL: `sqlite://${join(dir, 'example.sqlite')}`, STORY_DIR: resolve('data') };
    const example = readFileSync('.env.example', 'utf8').replace(/^([A-Z_]+)=.*$/gm, (line, name: string) => (name in filled ? `${name}=${filled[name]}` : line));
    for (const name of Object.keys(filled)) expect(example, `.env.example has ${name}`).toMatch(new RegExp(`^${name}=`, 'm'));
    const envDir = mkdtempSync(join(dir, 'newcomer-'));
    writeFileSync(join(envDir, '.env'), example);
    const proc = run({}, envDir);
    await Promise.race([untilPrinted(proc, 'tamasha is online'), proc.exited.then((code) => Promise.reject(new Error(`exited ${code} before coming online:\n${proc.output()}`)))]);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('logs in on a fresh database, logs JSON without the token and with no error, and exits 0 on SIGTERM', async () => {
    // A file no earlier test created (the token test above opened bot.sqlite before Discord refused it).
    const proc = run({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: loop.apiUrl, LOG_LEVEL: 'debug', DATABASE_URL: `sqlite://${join(dir, 'fresh.sqlite')}` });
    await untilPrinted(proc, 'tamasha is online');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const lines = proc.output().trim().split('\n');
    expect(lines.every((l) => JSON.parse(l) !== null)).toBe(true);
    // First start: creating the file, switching it to WAL and creating the tables is no error or fatal (level 50/60).
    expect(lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50)).toEqual([]);
    expect(proc.output()).toMatch(/"signal":"SIGTERM"/);
    expect(proc.output()).not.toContain(TOKEN);
  });
});
