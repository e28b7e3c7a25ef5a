import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Generous: nothing asserts timings, and a test must pass with the other core busy.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One process per core (2 in CI); each file's app, PGlite included, runs in its worker.
    pool: 'forks',
    // Test files of one worker share loaded modules instead of importing the app again each time;
    // per-process caches keyed by force are cleared by createTestApp (test/helpers.ts).
    isolate: false,
    maxWorkers: 2,
  },
});
