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
      // Unit tests in worker threads: no child process per file (≈1 CPU-second less per file on this machine).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads' } },
      // Integration tests spawn the CLI, import large files and open the web host: in child processes (forks),
      // reused from file to file (isolate: false). Each file making its own process re-imported the services for
      // itself (8 small files: 34 s isolated, 17 s not; 8 CLI-heavy ones: 54 s against 46 s); no file mocks a
      // module or changes the environment, and each opens its own database and pools. All 42 pass either way.
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/unit/**', 'test/e2e/**', '**/node_modules/**'], pool: 'forks', isolate: false } },
      // Browser tests: one Chromium per worker and the demo database, made once per run (test/support/e2eGlobalSetup.ts).
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/e2eGlobalSetup.ts'] } },
    ],
  },
})
