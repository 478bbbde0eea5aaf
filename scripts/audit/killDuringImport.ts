/**
 * Audit (issue "Reliability and security": "kill -9 during a large import"): imports generated Binance
 * trade logs with `riskdesk import` and kills the process with SIGKILL at a random moment, KILLS times, on
 * one database that already holds an earlier import; each attempt imports a log of its own (another seed,
 * so never a duplicate of one a late kill let commit) into a portfolio of its own. After every kill:
 * `PRAGMA integrity_check` must say ok, and that import must be all there (every row one fill, one import
 * record) or not at all, every earlier one untouched. Then one import runs to its end on the same database
 * (no lock or journal left behind). Prints the counts; exits 1 on any failure.
 *
 *   node_modules/.bin/node --import tsx scripts/audit/killDuringImport.ts [KILLS=10] [ROWS=200000]
 *
 * The kill moments are spread uniformly over the time one full import takes (measured first), so some land
 * while reading, some while writing, some around the commit. Takes a few minutes on a loaded machine.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { writeBinanceTradeLog } from '../../test/support/tradeLog'

const KILLS = Number(process.argv[2] ?? 10)
const ROWS = Number(process.argv[3] ?? 200_000)
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const BIN = join(REPO, 'bin', 'riskdesk.mjs')
const dir = mkdtempSync(join(tmpdir(), 'riskdesk-kill-audit-'))
const db = join(dir, 'riskdesk.db')
const log = join(dir, 'trades.csv')
const earlier = join(dir, 'earlier.csv')

const importArgs = (file: string, portfolio: string) => [BIN, '--db', db, 'import', file, '--portfolio', portfolio, '--utc-offset', '+00:00']

function state(killed: string): { integrity: string; killedFills: number; killedImports: number; earlierFills: number } {
  const c = new BetterSqlite3(db, { readonly: true })
  try {
    const count = (portfolio: string, what: 'fills' | 'imports') =>
      (
        c
          .prepare(
            what === 'fills'
              ? 'SELECT COUNT(*) AS n FROM fills f JOIN imports i ON i.id = f.import_id JOIN portfolios p ON p.id = i.portfolio_id WHERE p.name = ?'
              : 'SELECT COUNT(*) AS n FROM imports i JOIN portfolios p ON p.id = i.portfolio_id WHERE p.name = ?',
          )
          .get(portfolio) as { n: number }
      ).n
    return {
      integrity: c.pragma('integrity_check', { simple: true }) as string,
      killedFills: count(killed, 'fills'),
      killedImports: count(killed, 'imports'),
      earlierFills: count('earlier', 'fills'),
    }
  } finally {
    c.close()
  }
}

writeBinanceTradeLog(log, ROWS, 7)
writeBinanceTradeLog(earlier, 1_000, 8)
const first = spawnSync(process.execPath, importArgs(earlier, 'earlier'), { cwd: REPO, encoding: 'utf8' })
if (first.status !== 0) throw new Error(`the earlier import failed: ${first.stderr}`)

// One full import into a scratch copy of the setup, to know how long an import takes here.
const t0 = performance.now()
const probe = spawnSync(process.execPath, [BIN, '--db', join(dir, 'probe.db'), 'import', log, '--portfolio', 'probe', '--utc-offset', '+00:00'], { cwd: REPO, encoding: 'utf8' })
const fullMs = performance.now() - t0
if (probe.status !== 0) throw new Error(`the timing import failed: ${probe.stderr}`)
console.log(`one full import of ${ROWS.toLocaleString('en-US')} rows: ${(fullMs / 1000).toFixed(1)} s (process start included)`)

let ok = 0
let all = 0
let none = 0
let midImport = 0
const failures: string[] = []
const landed: string[] = []
for (let k = 0; k < KILLS; k++) {
  const file = join(dir, `trades-${k}.csv`)
  writeBinanceTradeLog(file, ROWS, 100 + k)
  const at = fullMs * (0.15 + 0.85 * ((k + Math.random()) / KILLS))
  const child = spawn(process.execPath, importArgs(file, `killed-${k}`), { cwd: REPO, stdio: 'ignore' })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const timer = setTimeout(() => child.kill('SIGKILL'), at)
  const code = await exited
  clearTimeout(timer)
  if (code === null) midImport++
  const s = state(`killed-${k}`)
  const whole = s.killedFills === ROWS && s.killedImports === 1
  const empty = s.killedFills === 0 && s.killedImports === 0
  // Every import an earlier attempt committed is still whole.
  const earlierWhole = landed.every((p) => state(p).killedFills === ROWS)
  const good = s.integrity === 'ok' && (whole || empty) && s.earlierFills === 1_000 && earlierWhole
  if (whole) landed.push(`killed-${k}`)
  rmSync(file)
  if (good) ok++
  else failures.push(`kill ${k + 1}: ${JSON.stringify(s)}`)
  if (whole) all++
  if (empty) none++
  console.log(
    `kill ${k + 1}/${KILLS} at ${(at / 1000).toFixed(2)} s (${code === null ? 'killed' : `had exited ${code}`}): integrity ${s.integrity}, ` +
      `the import ${whole ? 'all there' : empty ? 'not there' : `PARTLY there (${s.killedFills} fills)`}, earlier import ${s.earlierFills} fills`,
  )
}

// The database is usable afterwards: an import runs to its end.
const last = spawnSync(process.execPath, importArgs(log, 'last'), { cwd: REPO, encoding: 'utf8' })
const lastState = state('last')
const finished = last.status === 0 && lastState.integrity === 'ok' && lastState.killedFills === ROWS
console.log(
  `\n${KILLS} attempts, ${midImport} killed before they ended: integrity ok and all-or-nothing after ${ok}; the import all there after ${all}, not there after ${none}; ` +
    `a last import afterwards ${finished ? 'succeeded' : 'FAILED'} (${lastState.killedFills} fills, integrity ${lastState.integrity})`,
)
if (failures.length > 0) console.log(failures.join('\n'))
rmSync(dir, { recursive: true, force: true })
process.exit(failures.length === 0 && finished ? 0 : 1)
