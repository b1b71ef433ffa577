import { vi } from 'vitest';

/**
 * vi.waitFor gives up after 1 s unless told otherwise. On a loaded machine (CI beside other work) an
 * assertion that waits on a few store writes once took longer and failed a test that was right, so a
 * wait here lasts up to 10 s unless the test names its own timeout. A passing wait is no slower.
 */
const waitFor = vi.waitFor.bind(vi);
vi.waitFor = ((callback: Parameters<typeof vi.waitFor>[0], options?: Parameters<typeof vi.waitFor>[1]) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 10_000, ...options })) as typeof vi.waitFor;
