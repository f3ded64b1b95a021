import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // npm install of the packed tarballs alone may take a minute on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 240_000,
    // Both files start many Node processes; one at a time keeps the timings sane on 2 cores.
    fileParallelism: false,
  },
});
