/**
 * `npm run pictures:playground`: the README's picture of the playground (test/pictures/playground.png).
 * Starts the playground, plays a few steps in headless Chromium (a section, the headline poll and a
 * vote, the composer completing a command) and photographs the page.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, INSTALL_HINT } from '../pictures/chromium.js';
import { PICTURES_DIR, pngSize } from '../pictures/take.js';
import { sendLine, Tab } from './browser.js';
import { startPlayground } from './index.js';

export async function photographPlayground(chromium: string, file = join(PICTURES_DIR, 'playground.png')): Promise<{ width: number; height: number; bytes: number }> {
  const p = await startPlayground({ start: Date.parse('2026-06-10T07:00:00Z') });
  try {
    const tab = await Tab.open(chromium, 1280, 860);
    try {
      await tab.goto(p.url);
      await tab.waitFor('the page', "document.body.dataset.ready === '1'");
      const send = async (line: string): Promise<void> => {
        const outcome = await sendLine(tab, line);
        if (outcome !== 'sent') throw new Error(`${line}: ${outcome}`);
      };
      await send('/story section section:what-happened');
      await tab.waitFor('the section', "document.getElementById('messages').innerText.includes('What reportedly happened')");
      await send('/poll start');
      await tab.waitFor('the poll', "document.querySelectorAll('#messages .btn[data-custom-id^=\"poll:vote:\"]').length > 0");
      await tab.eval("[...document.querySelectorAll('#messages .btn[data-custom-id^=\"poll:vote:\"]')].at(0).click(), true");
      await tab.waitFor('the confirmation', "document.querySelectorAll('#messages .only-you').length > 0");
      await tab.eval("document.getElementById('line').focus(), true");
      await tab.type('/poll re');
      await tab.waitFor('the suggestions', "document.querySelectorAll('#suggest .s').length > 0");
      await tab.eval("(() => { const m = document.getElementById('messages'); m.scrollTop = m.scrollHeight; return true; })()");
      const png = await tab.screenshot();
      writeFileSync(file, png);
      return { ...pngSize(png), bytes: png.length };
    } finally {
      await tab.close();
    }
  } finally {
    await p.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chromium = findChromium();
  if (!chromium) {
    console.error(`npm run pictures:playground needs Chromium, and found none.\n${INSTALL_HINT}`);
    process.exitCode = 1;
  } else {
    const size = await photographPlayground(chromium);
    console.log(`playground.png  ${size.width}×${size.height}  ${(size.bytes / 1024).toFixed(0)} KB`);
  }
}
