/**
 * A headless Chromium and its DevTools protocol client: starts it with a scratch profile, sends
 * protocol calls over one WebSocket (`ws`), passes its events on, closes it. Shared by the picture
 * camera (test/pictures/chromium.ts) and the playground's browser tab (test/playground/browser.ts).
 * No puppeteer or playwright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

/** A protocol event: its method, parameters and the session (tab) it came from. */
export type DevToolsEvent = { method: string; params?: Record<string, unknown>; sessionId?: string };

export class DevTools {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly #listeners: Array<(event: DevToolsEvent) => void> = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    /** A scratch folder of this browser's own (its profile is in it), removed by close(). */
    readonly dir: string,
  ) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as Message;
      if (msg.id !== undefined) {
        const waiter = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) waiter?.reject(new Error(msg.error.message));
        else waiter?.resolve(msg.result ?? {});
      } else if (msg.method) {
        const event: DevToolsEvent = { method: msg.method, ...(msg.params ? { params: msg.params } : {}), ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) };
        for (const listener of this.#listeners) listener(event);
      }
    });
  }

  /** Starts headless Chromium with a scratch profile and connects to its DevTools WebSocket; `close()` it when done. */
  static async launch(binary: string, dirPrefix: string): Promise<DevTools> {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--no-default-browser-check', '--mute-audio', '--remote-debugging-port=0', `--user-data-dir=${join(dir, 'profile')}`, 'about:blank'];
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not start within 30 s:\n${seen.slice(-2000)}`)), 30_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited (${code}) before it was ready:\n${seen.slice(-2000)}`));
      });
    });
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new DevTools(proc, ws, dir);
  }

  /** One protocol call, to the browser or (with `sessionId`) to one attached tab; rejects with the protocol's error. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Calls `listener` with every protocol event from now on. */
  onEvent(listener: (event: DevToolsEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Closes the browser (killing it after 5 s if it does not exit) and removes its scratch folder. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    await this.send('Browser.close').catch(() => undefined);
    this.ws.close();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
