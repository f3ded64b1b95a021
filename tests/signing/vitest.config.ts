import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Pure computation plus one loopback server: well under these, even on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 15_000,
  },
});
