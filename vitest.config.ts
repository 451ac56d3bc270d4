import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each make their own database; e2e drives one browser at a time.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    // A poll asks again until this long (e2e polls wait on a browser and a server).
    expect: { poll: { timeout: 10_000 } },
  },
});
