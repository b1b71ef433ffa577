/**
 * Photographs HTML pages with headless Chromium (Debian's `chromium`), over the DevTools protocol:
 * each page is loaded from a file, measured, and captured cropped to its content (#page).
 * No puppeteer: the DevTools client of test/helpers/devtools.ts and a handful of protocol calls.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevTools } from '../helpers/devtools.js';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary to use (CHROMIUM_PATH if set, else the first one installed), or undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CHROMIUM_PATH?.trim();
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export const INSTALL_HINT = 'Install Debian\'s Chromium (and an emoji font) with:\n  sudo apt-get install chromium fonts-noto-color-emoji\nor point CHROMIUM_PATH at a Chromium or Chrome binary.';

export class Camera {
  /** Names each photographed page's file. */
  #pages = 0;
  readonly #events: Array<{ method: string; sessionId?: string; resolve: () => void }> = [];

  private constructor(private readonly browser: DevTools) {
    browser.onEvent((event) => {
      const i = this.#events.findIndex((e) => e.method === event.method && e.sessionId === event.sessionId);
      if (i !== -1) this.#events.splice(i, 1)[0]!.resolve();
    });
  }

  /** Starts a headless Chromium; `close()` it when done. */
  static async open(binary: string): Promise<Camera> {
    return new Camera(await DevTools.launch(binary, 'tamasha-pictures-'));
  }

  #event(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => this.#events.push({ method, sessionId, resolve }));
  }

  /** A PNG of `html`, `width` CSS px wide, cropped to the height of its #page element (or its body). */
  async photograph(html: string, width: number, scale = 1): Promise<Buffer> {
    const file = join(this.browser.dir, `page-${++this.#pages}.html`);
    writeFileSync(file, html);
    const { targetId } = (await this.browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    try {
      await this.browser.send('Page.enable', {}, sessionId);
      await this.browser.send('Emulation.setDeviceMetricsOverride', { width, height: 600, deviceScaleFactor: scale, mobile: false }, sessionId);
      const loaded = this.#event('Page.loadEventFired', sessionId);
      await this.browser.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      await loaded;
      const measure = '(() => { const el = document.getElementById("page") || document.body; const r = el.getBoundingClientRect(); return JSON.stringify({ w: Math.ceil(r.width), h: Math.ceil(r.height) }); })()';
      const { result } = (await this.browser.send('Runtime.evaluate', { expression: measure, returnByValue: true }, sessionId)) as { result: { value: string } };
      const size = JSON.parse(result.value) as { w: number; h: number };
      await this.browser.send('Emulation.setDeviceMetricsOverride', { width, height: Math.max(size.h, 1), deviceScaleFactor: scale, mobile: false }, sessionId);
      const shot = (await this.browser.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: Math.min(size.w, width), height: Math.max(size.h, 1), scale: 1 }, captureBeyondViewport: true }, sessionId)) as { data: string };
      return Buffer.from(shot.data, 'base64');
    } finally {
      await this.browser.send('Target.closeTarget', { targetId });
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
