import { findChromium, INSTALL_HINT } from '../pictures/chromium.js';

/** vitest globalSetup: says once per run when the picture pipeline's test is skipped, and how to run it. */
export default function setup(): void {
  if (!findChromium()) console.log(`\nThe picture pipeline test (test/e2e/pictures.test.ts) is SKIPPED: no Chromium found. ${INSTALL_HINT}\n`);
}
