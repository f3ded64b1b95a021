import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The console's browser tests: real headless Chromium, one file at a time (one browser each). */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['browser-test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    fileParallelism: false,
  },
});
