import { findChromium, INSTALL_HINT } from '../pictures/chromium.js';

/** vitest globalSetup: says once per run when the headless Chromium tests are skipped, and how to run them. */
export default function setup(): void {
  if (!findChromium()) console.log(`\nThe picture pipeline test (test/e2e/pictures.test.ts) and the playground's browser test (test/e2e/playground.test.ts) are SKIPPED: no Chromium found. ${INSTALL_HINT}\n`);
}
