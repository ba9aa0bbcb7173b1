import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: files run two at a time; PGlite and the demo estate are heavy to start.
    maxWorkers: 2,
  },
});
