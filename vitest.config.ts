import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Worker threads and Chromium are real here; keep files from fighting over 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    // Nothing under test may load Electron's binary (DESIGN.md §6).
    alias: { electron: new URL('./test/support/noElectron.ts', import.meta.url).pathname },
  },
})
