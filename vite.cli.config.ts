/**
 * Build of the `riskdesk` command (CLI and the web host it serves) and its worker-thread entries, ahead of
 * time, into out/cli/: plain ES modules for Node ≥ 22, so `bin/riskdesk.mjs` runs JavaScript instead of
 * compiling TypeScript on every start. `npm run build` runs it after electron-vite's build.
 *
 * - Pure-JS libraries (commander, zod, date-fns, decimal.js…) are bundled in: Node's ES module loader
 *   resolves date-fns/parse's ~70 files in about 0.8 s here, and one file loads in milliseconds.
 * - Kept external: better-sqlite3 (native addon), piscina (starts its own worker file from its package),
 *   fastify and @fastify/static (loaded only by `riskdesk serve`), playwright-core (loaded only to print a
 *   report; it finds its own files in its package), highs (the LP solver: its loader finds highs.wasm beside
 *   its own JavaScript).
 * - Every output file keeps a fixed name in one flat folder, so the worker files are found beside the code
 *   that starts them (`./stressWorker.js`, `./importWorkerEntry.js` and its task `./importTask.js`: see
 *   engine/stressPool.ts, engine/importWorker.ts and services/importThread.ts).
 * - The build writes to out/cli.next-PID/ and then swaps it in, so a process starting meanwhile sees the old
 *   build or the new one, never half of one. With it goes out/cli/inputs.json: every project file the
 *   bundle was made from (repository-relative path, mtime in ms, size in bytes, stat'ed before the bundler
 *   read it) plus package.json, package-lock.json and this file. bin/riskdesk.mjs compares these with the
 *   checkout and runs the sources instead when any differs, so a build older than its sources is never used
 *   silently.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const ROOT = fileURLToPath(new URL('.', import.meta.url))
/** out/cli; RISKDESK_CLI_OUT_DIR (an absolute path) builds elsewhere (the test of the built bin does). */
const OUT = process.env.RISKDESK_CLI_OUT_DIR ?? join(ROOT, 'out', 'cli')
/** Per process: two builds at once each swap in a whole build. */
const STAGING = `${OUT}.next-${process.pid}`
/** Loaded from node_modules at run time (see above); everything else is bundled. */
const EXTERNAL_PACKAGES = ['better-sqlite3', 'piscina', 'fastify', '@fastify/static', 'playwright-core', 'highs']

const isExternal = (id: string): boolean =>
  id.startsWith('node:') || builtinModules.includes(id) || EXTERNAL_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`))

/** Records each input file's stat as it is loaded, then swaps the staged output in and writes inputs.json. */
function recordInputs(): Plugin {
  const inputs = new Map<string, [number, number]>()
  return {
    name: 'riskdesk-cli-inputs',
    enforce: 'pre',
    buildStart() {
      inputs.clear()
    },
    load(id) {
      const file = id.split('?')[0]!
      if (isAbsolute(file) && !inputs.has(file) && existsSync(file)) {
        const s = statSync(file)
        inputs.set(file, [s.mtimeMs, s.size])
      }
      return null
    },
    writeBundle() {
      // node_modules is checked through package-lock.json (npm ci installs what it names), which keeps the
      // start-up check to the project's own ~150 files.
      for (const extra of ['package.json', 'package-lock.json', 'vite.cli.config.ts']) {
        const s = statSync(join(ROOT, extra))
        inputs.set(join(ROOT, extra), [s.mtimeMs, s.size])
      }
      const files = [...inputs]
        .filter(([file]) => !file.split(sep).includes('node_modules'))
        .map(([file, [mtimeMs, size]]) => [relative(ROOT, file).split(sep).join('/'), mtimeMs, size] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      writeFileSync(join(STAGING, 'inputs.json'), `${JSON.stringify({ node: process.version, files })}\n`)
      const old = `${OUT}.old-${process.pid}`
      // Another build may swap at the same moment: retry until ours is the one in place.
      for (let attempt = 1; ; attempt++) {
        try {
          if (existsSync(OUT)) renameSync(OUT, old)
          renameSync(STAGING, OUT)
          break
        } catch (e) {
          if (attempt === 5) throw e
        }
      }
      rmSync(old, { recursive: true, force: true })
    },
  }
}

export default defineConfig({
  ssr: { noExternal: true, external: EXTERNAL_PACKAGES },
  plugins: [recordInputs()],
  build: {
    ssr: true,
    target: 'node22',
    outDir: STAGING,
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        riskdesk: join(ROOT, 'src/main/hosts/cli/main.ts'),
        stressWorker: join(ROOT, 'src/main/engine/stressWorker.ts'),
        importWorkerEntry: join(ROOT, 'src/main/engine/importWorkerEntry.ts'),
        importTask: join(ROOT, 'src/main/services/importTask.ts'),
      },
      external: isExternal,
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: '[name].js',
        // Whitespace out and ASCII only (Node decodes an ASCII source faster): ~30 ms less per start. Names
        // are kept, so stack traces stay readable.
        minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
        charset: 'ascii',
      },
    },
  },
})
