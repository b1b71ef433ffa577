import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../pictures/chromium.js';
import { pngSize, takePictures, WIDTH } from '../pictures/take.js';

const chromium = findChromium();
const dir = mkdtempSync(join(tmpdir(), 'tamasha-pictures-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Skipped without Chromium; test/helpers/chromium-notice.ts says so once per run, and how to install it.
describe.skipIf(!chromium)('npm run pictures (headless Chromium)', () => {
  it('photographs /help as the bot answered it: a PNG cropped to the content, at the page width', async () => {
    const lines: string[] = [];
    const [picture] = await takePictures({ chromium: chromium!, only: ['help'], outDir: dir, html: true, log: (l) => lines.push(l) });
    expect(picture?.file).toBe(join(dir, 'help.png'));
    const png = readFileSync(join(dir, 'help.png'));
    const size = pngSize(png);
    expect(size.width).toBe(WIDTH);
    expect(size.height).toBeGreaterThan(200); // a whole help message, not an empty page…
    expect(size.height).toBeLessThan(4000); // …and cropped to it, not a tall empty canvas
    expect(png.length).toBeGreaterThan(10_000);
    expect(png.length).toBeLessThan(1_000_000);
    // The page shows the bot's own answer: every command it lists.
    const html = readFileSync(join(dir, 'help.html'), 'utf8');
    for (const command of ['/story', '/take', '/poll', '/discuss', '/digest']) expect(html).toContain(command);
    expect(lines).toEqual([expect.stringMatching(/^help\.png {2}720×\d+ {2}\d+ KB$/)]);
  }, 60_000);
});

describe('npm run pictures without Chromium', () => {
  it('says so, how to install it, and exits 1', async () => {
    const run = promisify(execFile)('npx', ['tsx', 'test/pictures/take.ts', 'help'], { env: { ...process.env, CHROMIUM_PATH: join(dir, 'no-chromium-here') } });
    const error = (await run.then(() => undefined, (e: unknown) => e)) as { code?: number; stderr?: string } | undefined;
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('apt-get install chromium');
  }, 30_000);
});

describe('pngSize', () => {
  it('reads the IHDR of a PNG and refuses anything else', () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d49484452000002d0000001f4', 'hex');
    expect(pngSize(header)).toEqual({ width: 720, height: 500 });
    expect(() => pngSize(Buffer.from('GIF89a............................'))).toThrow('not a PNG');
  });
});
