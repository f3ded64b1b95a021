import { defineConfig } from 'vitest/config';

/** Real headless Chromium watching the real client: one file at a time (one browser each). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    fileParallelism: false,
  },
});
