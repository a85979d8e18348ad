import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native kernels use every core already; parallel test files would only fight over them.
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
