/**
 * Start-up time of the `riskdesk` command (issue "Architecture", must-show: `riskdesk greeks --db DEMO` under
 * 400 ms wall and `riskdesk --help` under 250 ms), beside plain `node -e 0` in the same run: the floor no
 * command can beat on this machine.
 *
 * First it builds the CLI (`vite build --config vite.cli.config.ts`, as `npm run build` does) and imports
 * the demo into a temporary database. Then each command runs as a fresh process (`spawnSync` of this Node,
 * wall time from before the spawn to after the exit), the commands taking turns so a change of machine load
 * hits them alike. Reported: the very first run after the build (V8's code cache still empty), then median
 * and min of the rest. The TypeScript sources through tsx (RISKDESK_SOURCES=1), what every start cost before
 * the build, run a few times for comparison. The load average is printed before and after: on a busy
 * machine the min is the figure to read.
 *
 * Env: STARTUP_BENCH_RUNS (default 15), STARTUP_BENCH_SOURCE_RUNS (default 3).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const RUNS = Number(process.env.STARTUP_BENCH_RUNS ?? 15)
const SOURCE_RUNS = Number(process.env.STARTUP_BENCH_SOURCE_RUNS ?? 3)
const REPO = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(REPO, 'bin', 'riskdesk.mjs')

interface Case {
  label: string
  args: string[]
  env?: Record<string, string>
  runs: number
}

/** Runs `node ARGS` to completion; returns the wall time in ms. @throws when it fails or prints a notice. */
function timeRun(c: Case): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, c.args, { cwd: REPO, env: { ...process.env, ...c.env }, encoding: 'utf8', maxBuffer: 16 << 20 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`${c.label} exited with ${r.status}: ${r.stderr}`)
  // A notice means the bin fell back to the sources: the figure would not be the build's.
  if (c.env?.RISKDESK_SOURCES !== '1' && r.stderr.includes('running the TypeScript sources'))
    throw new Error(`${c.label} did not run the build: ${r.stderr.trim()}`)
  return ms
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'riskdesk-startup-'))
  try {
    const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js')
    const build = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: REPO, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`the CLI build failed: ${build.stderr}`)
    const db = join(dir, 'demo.db')
    const demo = spawnSync(process.execPath, [BIN, '--db', db, 'demo'], { cwd: REPO, encoding: 'utf8' })
    if (demo.status !== 0) throw new Error(`riskdesk demo failed: ${demo.stderr}`)

    const cases: Case[] = [
      { label: 'node -e 0', args: ['-e', '0'], runs: RUNS },
      { label: 'riskdesk --help', args: [BIN, '--help'], runs: RUNS },
      { label: 'riskdesk greeks --db DEMO', args: [BIN, '--db', db, 'greeks'], runs: RUNS },
      { label: 'riskdesk greeks --db DEMO, sources (tsx)', args: [BIN, '--db', db, 'greeks'], env: { RISKDESK_SOURCES: '1' }, runs: SOURCE_RUNS },
    ]
    console.log(`load average before: ${load()}`)
    // The demo filled V8's code cache (out/cli/.compile-cache); a rebuild empties it, so the next start is
    // the first one of a build.
    const rebuild = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: REPO })
    if (rebuild.status !== 0) throw new Error('the CLI rebuild failed')
    const first = timeRun(cases[2]!)
    const times = cases.map(() => [] as number[])
    for (let round = 0; round < RUNS; round++)
      cases.forEach((c, i) => {
        if (round < c.runs) times[i]!.push(timeRun(c))
      })
    console.log(`load average after:  ${load()}`)
    console.log(`first \`riskdesk greeks --db DEMO\` after a build (empty code cache): ${first.toFixed(0)} ms`)
    console.log('\n| command | runs | median ms | min ms | median − node -e 0 |')
    console.log('|---|---|---|---|---|')
    const floor = median(times[0]!)
    cases.forEach((c, i) => {
      const m = median(times[i]!)
      const extra = i === 0 ? '' : `${(m - floor).toFixed(0)}`
      console.log(`| ${c.label} | ${times[i]!.length} | ${m.toFixed(0)} | ${Math.min(...times[i]!).toFixed(0)} | ${extra} |`)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export default { description: 'cold start of the riskdesk command (built) beside node -e 0 and the tsx sources', run }
