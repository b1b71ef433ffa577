import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ID, TOKEN } from './harness.js';

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves when the output contains `text`; rejects if the process exits first or after `ms`. */
  until: (text: string, ms?: number) => Promise<void>;
}

/**
 * `npm start` (or another entry, such as `npm run shards`'s src/shards.ts) as a real process against a
 * loopback Discord, configured only through its environment.
 */
export function startBotProcess(apiUrl: string, cwd: string, env: Record<string, string>, preload: string[] = [], entry = 'src/index.ts'): BotProcess {
  const imports = [resolve('node_modules/tsx/dist/loader.mjs'), ...preload.map((p) => resolve(p))].flatMap((p) => ['--import', pathToFileURL(p).href]);
  const child = spawn(process.execPath, [...imports, resolve(entry)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORY_DIR: resolve('data'), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: apiUrl, ...env },
    cwd,
  });
  let output = '';
  const waiters = new Set<() => void>();
  const seen = (d: Buffer) => {
    output += d.toString();
    for (const check of waiters) check();
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const until = (text: string, ms = 45_000) =>
    new Promise<void>((ok, fail) => {
      const check = () => {
        if (!output.includes(text)) return;
        waiters.delete(check);
        clearTimeout(timer);
        ok();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        fail(new Error(`timed out waiting for "${text}" in the bot's output:\n${output.slice(-2000)}`));
      }, ms);
      void exited.then(() => setImmediate(() => (waiters.has(check) ? (clearTimeout(timer), waiters.delete(check), fail(new Error(`the bot exited before printing "${text}":\n${output.slice(-2000)}`))) : undefined)));
      waiters.add(check);
      check();
    });
  return { child, output: () => output, exited, until };
}

/** The process's exit code, or a failure if it is still running after `ms` (then it is killed). */
export async function exitWithin(proc: BotProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
  const result = await Promise.race([proc.exited, late]);
  clearTimeout(timer);
  if (result === 'late') {
    proc.child.kill('SIGKILL');
    throw new Error(`the bot was still running ${ms} ms later:\n${proc.output().slice(-2000)}`);
  }
  return result;
}
