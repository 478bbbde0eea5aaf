#!/usr/bin/env node
// Entry of the `riskdesk` command. Riskdesk needs Node.js ≥ 22 (better-sqlite3 13); from a checkout,
// `npm run riskdesk -- <command>` runs it on the Node 24 that `npm ci` installs (devDependency `node`).
//
// It runs the build in out/cli/ (plain JavaScript made by `npm run build`, see vite.cli.config.ts). In a
// checkout, a build is used only while every file it was made from is unchanged (out/cli/inputs.json lists
// them with mtime and size); when the build is missing or older than its sources, the TypeScript sources
// run instead through tsx, slower to start, with a one-line notice on stderr. RISKDESK_SOURCES=1 runs the
// sources without looking at the build (and without the notice).
import { existsSync, readFileSync, statSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(
    `riskdesk needs Node.js 22 or newer; this is ${process.version}.\n` +
      'From a checkout, run it through npm, which uses the Node 24 installed by npm ci:\n' +
      '  npm run riskdesk -- <command>\n',
  )
  process.exit(1)
}

const root = fileURLToPath(new URL('../', import.meta.url))
const builtEntry = `${root}out/cli/riskdesk.js`

/** Why the build cannot be used (a short phrase), or null when it is current. */
function buildProblem() {
  const inputsFile = `${root}out/cli/inputs.json`
  if (!existsSync(builtEntry) || !existsSync(inputsFile)) return 'there is no build in out/cli'
  // Installed without its sources (no checkout): the build is all there is.
  if (!existsSync(`${root}src/main`)) return null
  let files
  try {
    files = JSON.parse(readFileSync(inputsFile, 'utf8')).files
  } catch {
    return 'out/cli/inputs.json is unreadable'
  }
  for (const [path, mtimeMs, size] of files) {
    const s = statSync(root + path, { throwIfNoEntry: false })
    if (s === undefined) return `${path}, which the build in out/cli was made from, is gone`
    if (s.mtimeMs !== mtimeMs || s.size !== size) return `${path} changed after the build in out/cli`
  }
  return null
}

const problem = process.env.RISKDESK_SOURCES === '1' ? 'sources' : buildProblem()
if (problem === null) {
  // V8's code cache for the bundle, kept beside it (replaced with each build): ~60 ms less per start.
  module.enableCompileCache?.(`${root}out/cli/.compile-cache`)
  const { main } = await import(pathToFileURL(builtEntry).href)
  await main(process.argv)
} else {
  if (!existsSync(`${root}src/main`)) {
    process.stderr.write(`riskdesk: this installation is incomplete: ${problem} and no sources\n`)
    process.exit(1)
  }
  if (problem !== 'sources')
    process.stderr.write(`riskdesk: running the TypeScript sources (slower start): ${problem}; npm run build makes a current one\n`)
  const { register } = await import('tsx/esm/api')
  register()
  const { main } = await import('../src/main/hosts/cli/main.ts')
  await main(process.argv)
}
