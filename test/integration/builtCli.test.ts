/**
 * The built `riskdesk` command: vite.cli.config.ts bundles the CLI and its worker entries into out/cli/,
 * which bin/riskdesk.mjs runs. Checked in two layouts made in a temporary directory (the repository's own
 * out/cli is left alone):
 * - installed: bin/, package.json, resources/ and node_modules/ (links to the repository's) and a fresh
 *   build, no sources, so whatever runs is the build. Its demo must equal the demo of the TypeScript
 *   sources (RISKDESK_SOURCES=1) number for number, its stress runs in its own worker file, and a trade log
 *   of 16 MB or more goes through its import thread: the position is checked by hand.
 * - checkout: the same plus a copy of src/, so the bin compares the build's inputs with the sources: a
 *   touched or vanished source, or no build at all, makes it run the sources with a one-line notice, and
 *   still give the same answer.
 */
import { execFile, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { WORKER_IMPORT_BYTES } from '../../src/main/services/importThread'
import { BIN } from '../support/cli'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, FIXTURES, REPO, tempDir } from '../support/paths'

const exec = promisify(execFile)

/** Runs `node BIN ARGS…` in `cwd`; a non-zero exit is returned, not thrown. */
async function run(bin: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 << 20 })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, stdout: err.stdout, stderr: err.stderr }
  }
}

/** A package layout in a temporary directory: bin/, package.json, links to resources/ and node_modules/. */
function layout(): string {
  const dir = tempDir('riskdesk-built-')
  mkdirSync(join(dir, 'bin'))
  copyFileSync(BIN, join(dir, 'bin', 'riskdesk.mjs'))
  copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'))
  symlinkSync(join(REPO, 'resources'), join(dir, 'resources'))
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/** `doc` with each reading of the clock (an ISO instant at or after `since`, ms since epoch) replaced by "<now>". */
function withoutClock(doc: unknown, since: number): unknown {
  if (typeof doc === 'string') return /^\d{4}-\d\d-\d\dT/.test(doc) && Date.parse(doc) >= since ? '<now>' : doc
  if (Array.isArray(doc)) return doc.map((x) => withoutClock(x, since))
  if (doc && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, withoutClock(v, since)]))
  return doc
}

const NOTICE = /^riskdesk: running the TypeScript sources \(slower start\): (.*); npm run build makes a current one\n/

type DemoJson = { positions: { positions: unknown[] }; stress: Record<string, unknown>; margin: { accounts: unknown } }

let installed: string
let installedBin: string

beforeAll(() => {
  installed = layout()
  installedBin = join(installed, 'bin', 'riskdesk.mjs')
  const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js')
  const build = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, RISKDESK_CLI_OUT_DIR: join(installed, 'out', 'cli') },
    encoding: 'utf8',
  })
  expect(build.status, build.stderr).toBe(0)
})

describe('riskdesk built ahead of time (installed: no sources beside it)', () => {
  it('has the CLI and both worker entries as JavaScript, and --help runs it with nothing on stderr', async () => {
    for (const f of ['riskdesk.js', 'stressWorker.js', 'importWorkerEntry.js', 'inputs.json'])
      expect(statSync(join(installed, 'out', 'cli', f)).isFile()).toBe(true)
    const r = await run(installedBin, ['--help'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    for (const command of ['import', 'positions', 'greeks', 'stress', 'margin', 'cascade', 'serve', 'demo']) expect(r.stdout).toMatch(new RegExp(`\\n  ${command}\\b`))
  })

  it('gives the demo the TypeScript sources give: positions, Greeks, the stress grid (worker threads), margin', async () => {
    const dir = tempDir()
    const since = Date.now() - 1000
    const [built, sources] = await Promise.all([
      run(installedBin, ['--db', join(dir, 'built.db'), 'demo', '--json']),
      run(BIN, ['--db', join(dir, 'sources.db'), 'demo', '--json'], { RISKDESK_SOURCES: '1' }),
    ])
    expect(built.code, built.stderr).toBe(0)
    expect(sources.code, sources.stderr).toBe(0)
    expect(built.stderr).toBe('')
    const a = withoutClock(JSON.parse(built.stdout), since) as DemoJson
    const b = withoutClock(JSON.parse(sources.stdout), since) as DemoJson
    // resources/demo/demo-portfolio.csv has 16 rows (balances may add lines of their own)
    expect(a.positions.positions.length).toBeGreaterThanOrEqual(16)
    expect(a.positions).toEqual(b.positions)
    const { runId: _a, elapsedMs: _ae, ...stressA } = a.stress
    const { runId: _b, elapsedMs: _be, ...stressB } = b.stress
    expect(stressA.workers).toBeGreaterThanOrEqual(2)
    expect(stressA).toEqual(stressB)
    expect(a.margin.accounts).toEqual(b.margin.accounts)
  })

  it('runs hedge --json: the LP solver (HiGHS WebAssembly) loads beside the build', async () => {
    // The cash-and-carry book of test/integration/hedge.test.ts: 10 BTC of collateral at the chain's index
    // 9,347.68 USD = 93,476.8 USD, hedged to USD delta 0 ± 5 with the perpetual only → short 93,480 USD of
    // BTC-PERPETUAL face (whole 10 USD contracts, Deribit's contract size).
    const dir = tempDir()
    const db = join(dir, 'hedge.db')
    for (const args of [
      ['import', CHAIN_2020_05_14],
      ['import', DERIBIT_POSITIONS, '--portfolio', 'dump', '--account', 'acct-1'],
      ['import', join(FIXTURES, 'wholebook', 'ten-btc-collateral-balances.csv'), '--portfolio', 'treasury'],
    ]) {
      const r = await run(installedBin, ['--db', db, ...args])
      expect(r.code, r.stderr).toBe(0)
    }
    const r = await run(installedBin, ['--db', db, 'hedge', '--portfolio', 'treasury', '--target', 'deltaUsd=0+-5', '--candidates', 'perpetual', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    const doc = JSON.parse(r.stdout)
    expect(doc.status).toBe('optimal')
    expect(doc.legs.map((l: { instrument: string; quantity: string }) => [l.instrument, l.quantity])).toEqual([['BTC-PERPETUAL', '-93480']])
  })

  it('imports a trade log of 16 MB or more through its import thread', async () => {
    // 160,000 Binance USDⓈ-M fills, all BUY 0.001 BTCUSDT at 60,000.0, one second apart, oldest first.
    // By hand: the position is 160,000 × 0.001 = 160 BTC long at an average entry of 60,000 USDT.
    const dir = tempDir()
    const rows = 160_000
    const lines = ['Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID']
    const two = (n: number) => String(n).padStart(2, '0')
    for (let i = 0; i < rows; i++) {
      const d = new Date(Date.UTC(2024, 0, 1) + i * 1000)
      const time = `${two(d.getUTCFullYear() % 100)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
      lines.push(`123456789,${time},BTCUSDT,BUY,60000.0,0.001,60.0,0.02400000 USDT,0,true,false,${100_000_000 + i},${200_000_000 + i}`)
    }
    const file = join(dir, 'Export Trade History-oldest(UTC+0).csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    expect(statSync(file).size).toBeGreaterThanOrEqual(WORKER_IMPORT_BYTES)

    const db = join(dir, 'riskdesk.db')
    const imported = await run(installedBin, ['--db', db, 'import', file, '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ status: 'imported', rows, fills: rows, positions: 1 })
    const positions = await run(installedBin, ['--db', db, 'positions', '--json'])
    expect(positions.code, positions.stderr).toBe(0)
    const [p, ...others] = JSON.parse(positions.stdout).positions
    expect(others).toEqual([])
    expect(p).toMatchObject({ venue: 'binance', kind: 'perpetual', settlement: 'linear' })
    expect(Number(p.quantity)).toBe(160)
    expect(Number(p.entryPrice)).toBe(60000)
  })
})

describe('riskdesk in a checkout: a build older than its sources is never used', () => {
  let checkout: string
  let bin: string
  const inputsFile = () => join(checkout, 'out', 'cli', 'inputs.json')
  type Inputs = { files: Array<[string, number, number]> }

  beforeAll(() => {
    checkout = layout()
    bin = join(checkout, 'bin', 'riskdesk.mjs')
    cpSync(join(REPO, 'src'), join(checkout, 'src'), { recursive: true })
    for (const f of ['package-lock.json', 'vite.cli.config.ts']) copyFileSync(join(REPO, f), join(checkout, f))
    cpSync(join(installed, 'out'), join(checkout, 'out'), { recursive: true })
    // The build's inputs as they are in this copy (the copy, not the build, is what the bin compares).
    const inputs = JSON.parse(readFileSync(inputsFile(), 'utf8')) as Inputs
    inputs.files = inputs.files.map(([path]) => {
      const s = statSync(join(checkout, path))
      return [path, s.mtimeMs, s.size]
    })
    writeFileSync(inputsFile(), JSON.stringify(inputs))
  })

  it('runs the build while its inputs are unchanged, the sources (with a notice) once one is touched', async () => {
    const current = await run(bin, ['--help'])
    expect(current.code, current.stderr).toBe(0)
    expect(current.stderr).toBe('')

    const main = join(checkout, 'src', 'main', 'hosts', 'cli', 'main.ts')
    const later = new Date(statSync(main).mtimeMs + 60_000)
    utimesSync(main, later, later)
    const touched = await run(bin, ['--help'])
    expect(touched.code, touched.stderr).toBe(0)
    expect(touched.stderr).toMatch(NOTICE)
    expect(NOTICE.exec(touched.stderr)![1]).toBe('src/main/hosts/cli/main.ts changed after the build in out/cli')
    expect(touched.stdout).toBe(current.stdout)
  })

  it('names a vanished input, and a missing build', async () => {
    const inputs = JSON.parse(readFileSync(inputsFile(), 'utf8')) as Inputs
    inputs.files = [['src/main/gone.ts', 1, 1], ...inputs.files]
    writeFileSync(inputsFile(), JSON.stringify(inputs))
    const gone = await run(bin, ['--help'])
    expect(NOTICE.exec(gone.stderr)?.[1]).toBe('src/main/gone.ts, which the build in out/cli was made from, is gone')

    rmSync(join(checkout, 'out', 'cli'), { recursive: true })
    const missing = await run(bin, ['--help'])
    expect(NOTICE.exec(missing.stderr)?.[1]).toBe('there is no build in out/cli')
  })
})
