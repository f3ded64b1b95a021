import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets, child processes and outages on a shared 2-core machine: be generous.
    testTimeout: 90_000,
    hookTimeout: 30_000,
    // Two files at a time: the soak and the fault runs must not starve each other.
    maxWorkers: 2,
  },
});
