/**
 * Photographs HTML pages with headless Chromium (Debian's `chromium`), over the DevTools protocol:
 * each page is loaded from a file, measured, and captured cropped to its content (#page).
 * No puppeteer: one WebSocket (`ws`) and a handful of protocol calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary to use (CHROMIUM_PATH if set, else the first one installed), or undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CHROMIUM_PATH?.trim();
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export const INSTALL_HINT = 'Install Debian\'s Chromium (and an emoji font) with:\n  sudo apt-get install chromium fonts-noto-color-emoji\nor point CHROMIUM_PATH at a Chromium or Chrome binary.';

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

export class Camera {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly #events: Array<{ method: string; sessionId?: string; resolve: () => void }> = [];

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
      } else if (msg.method) {
        const i = this.#events.findIndex((e) => e.method === msg.method && e.sessionId === msg.sessionId);
        if (i !== -1) this.#events.splice(i, 1)[0]!.resolve();
      }
    });
  }

  /** Starts a headless Chromium; `close()` it when done. */
  static async open(binary: string): Promise<Camera> {
    const { proc, ws, dir } = await launchChromium(binary, 'tamasha-pictures-');
    return new Camera(proc, ws, dir);
  }

  #send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  #event(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => this.#events.push({ method, sessionId, resolve }));
  }

  /** A PNG of `html`, `width` CSS px wide, cropped to the height of its #page element (or its body). */
  async photograph(html: string, width: number, scale = 1): Promise<Buffer> {
    const file = join(this.dir, `page-${this.#nextId}.html`);
    writeFileSync(file, html);
    const { targetId } = (await this.#send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.#send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    try {
      await this.#send('Page.enable', {}, sessionId);
      await this.#send('Emulation.setDeviceMetricsOverride', { width, height: 600, deviceScaleFactor: scale, mobile: false }, sessionId);
      const loaded = this.#event('Page.loadEventFired', sessionId);
      await this.#send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      await loaded;
      const measure = '(() => { const el = document.getElementById("page") || document.body; const r = el.getBoundingClientRect(); return JSON.stringify({ w: Math.ceil(r.width), h: Math.ceil(r.height) }); })()';
      const { result } = (await this.#send('Runtime.evaluate', { expression: measure, returnByValue: true }, sessionId)) as { result: { value: string } };
      const size = JSON.parse(result.value) as { w: number; h: number };
      await this.#send('Emulation.setDeviceMetricsOverride', { width, height: Math.max(size.h, 1), deviceScaleFactor: scale, mobile: false }, sessionId);
      const shot = (await this.#send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: Math.min(size.w, width), height: Math.max(size.h, 1), scale: 1 }, captureBeyondViewport: true }, sessionId)) as { data: string };
      return Buffer.from(shot.data, 'base64');
    } finally {
      await this.#send('Target.closeTarget', { targetId });
    }
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    await this.#send('Browser.close').catch(() => undefined);
    this.ws.close();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Starts headless Chromium with a scratch profile and connects to its DevTools WebSocket (shared by
 * the picture camera and the playground's browser tests).
 */
export async function launchChromium(binary: string, dirPrefix: string): Promise<{ proc: ChildProcess; ws: WebSocket; dir: string }> {
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
  return { proc, ws, dir };
}
