import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Worker threads and Chromium are real here; keep files from fighting over 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    // Nothing under test may load Electron's binary (DESIGN.md §6).
    alias: { electron: new URL('./test/support/noElectron.ts', import.meta.url).pathname },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', '**/node_modules/**'] } },
      // Browser tests: one Chromium per worker and the demo database, made once per run (test/support/e2eGlobalSetup.ts).
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/e2eGlobalSetup.ts'] } },
    ],
  },
})
