/**
 * A headless Chromium tab driven over the DevTools protocol (one WebSocket, `ws`), for the playground's
 * browser test and its README picture: open a URL, type with real key events, run a script in the page,
 * wait for something to show, take a screenshot. No puppeteer or playwright.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { launchChromium } from '../pictures/chromium.js';
import WebSocket from 'ws';

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Tab {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  #sessionId = '';
  /** Exceptions thrown in the page and console errors, for a failing test to show. */
  readonly errors: string[] = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    private readonly dir: string,
  ) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as Message;
      if (msg.id !== undefined) {
        const waiter = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) waiter?.reject(new Error(msg.error.message));
        else waiter?.resolve(msg.result ?? {});
      } else if (msg.method === 'Runtime.exceptionThrown') {
        this.errors.push(JSON.stringify(msg.params).slice(0, 500));
      }
    });
  }

  /** Starts Chromium and opens one tab of `width`×`height` CSS px. */
  static async open(binary: string, width = 1200, height = 800): Promise<Tab> {
    const { proc, ws, dir } = await launchChromium(binary, 'tamasha-playground-');
    const tab = new Tab(proc, ws, dir);
    const { targetId } = (await tab.#send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await tab.#send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    tab.#sessionId = sessionId;
    await tab.#send('Page.enable');
    await tab.#send('Runtime.enable');
    await tab.#send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return tab;
  }

  #send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params, ...(this.#sessionId ? { sessionId: this.#sessionId } : {}) }));
    });
  }

  async goto(url: string): Promise<void> {
    await this.#send('Page.navigate', { url });
  }

  /** The value of `expression` (awaited if a promise), as JSON. */
  async eval<T>(expression: string): Promise<T> {
    const out = (await this.#send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (out.exceptionDetails) throw new Error(`In the page: ${out.exceptionDetails.exception?.description ?? out.exceptionDetails.text}`);
    return out.result.value as T;
  }

  /** Polls `expression` until it is truthy; returns its value. */
  async waitFor<T>(what: string, expression: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.eval<T>(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${this.errors.length ? `\npage errors:\n${this.errors.join('\n')}` : ''}`);
      await sleep(100);
    }
  }

  /** Types into the focused element as a keyboard does (input events on each insert). */
  async type(text: string): Promise<void> {
    await this.#send('Input.insertText', { text });
  }

  async press(key: 'Enter' | 'Tab' | 'Escape' | 'ArrowDown'): Promise<void> {
    const codes = { Enter: 13, Tab: 9, Escape: 27, ArrowDown: 40 };
    const base = { key, code: key, windowsVirtualKeyCode: codes[key], nativeVirtualKeyCode: codes[key] };
    await this.#send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...base, ...(key === 'Enter' ? { text: '\r' } : {}) });
    await this.#send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }

  /** A PNG of the viewport. */
  async screenshot(): Promise<Buffer> {
    const shot = (await this.#send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    this.#sessionId = '';
    await this.#send('Browser.close').catch(() => undefined);
    this.ws.close();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
