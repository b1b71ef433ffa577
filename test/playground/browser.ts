/**
 * A headless Chromium tab driven over the DevTools protocol (test/helpers/devtools.ts), for the playground's
 * browser test and its README picture: open a URL, type with real key events, run a script in the page,
 * wait for something to show, take a screenshot. No puppeteer or playwright.
 */
import { DevTools } from '../helpers/devtools.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Tab {
  #sessionId = '';
  /** Exceptions thrown in the page and console errors, for a failing test to show. */
  readonly errors: string[] = [];

  private constructor(private readonly browser: DevTools) {
    browser.onEvent((event) => {
      if (event.method === 'Runtime.exceptionThrown') this.errors.push(JSON.stringify(event.params).slice(0, 500));
    });
  }

  /** Starts Chromium and opens one tab of `width`×`height` CSS px. */
  static async open(binary: string, width = 1200, height = 800): Promise<Tab> {
    const tab = new Tab(await DevTools.launch(binary, 'tamasha-playground-'));
    const { targetId } = (await tab.#send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await tab.#send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    tab.#sessionId = sessionId;
    await tab.#send('Page.enable');
    await tab.#send('Runtime.enable');
    await tab.#send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return tab;
  }

  #send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.#sessionId || undefined);
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
    await this.browser.close();
  }
}

/**
 * Types `line` into the playground's composer (emptied first) and presses Enter: 'sent' once the composer
 * is empty again, or the error the page shows instead.
 */
export async function sendLine(tab: Tab, line: string): Promise<string> {
  await tab.eval("document.getElementById('line').value = '', document.getElementById('line').focus(), true");
  await tab.type(line);
  await tab.press('Enter');
  return tab.waitFor<string>(`"${line}" to be sent`, "document.getElementById('line').value === '' ? 'sent' : document.getElementById('error').textContent");
}
