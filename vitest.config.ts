import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Says once per run that the PostgreSQL (or Chromium) tests are skipped, and how to run them.
    globalSetup: ['test/helpers/postgres-notice.ts', 'test/helpers/chromium-notice.ts'],
    // vi.waitFor waits up to 10 s, not 1 s, unless a test says otherwise (see the file).
    setupFiles: ['test/helpers/wait-for.ts'],
    // Threads, and more workers than the 2 cores: many journeys wait on real processes, sockets and
    // timers rather than the CPU. Measured on the 2-core machine: 128 s with the defaults, 74 s so.
    pool: 'threads',
    maxWorkers: 4,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
