/**
 * Writers wait their turn (issue "Reliability and security", item 2), with real processes on one SQLite file:
 * `riskdesk serve` on a database holding the demo book; a CLI import of a generated 60,000-row Binance trade
 * log takes the write lock; while it holds it, a second CLI import (15,000 rows), a CLI stress run (which
 * stores its run), a CLI `scenarios save` and an upload through the web host are started at once. Every one must succeed — a CLI
 * one that had to wait saying so on stderr, and nothing else — and the web host must keep answering reads
 * meanwhile (WAL: readers read the last commit). Before the write gate: "database is locked" from the CLI
 * after 5 s, HTTP 500 for the upload, and every web request held for those 5 s.
 *
 * Expected counts come from the generator (every generated row is one fill) and the demo's own files
 * (resources/demo: 8 positions); the default stress grid is 21 spot × 9 vol shocks = 189 scenarios.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe } from '../support/browser'
import { BIN } from '../support/cli'
import { REPO, tempDir } from '../support/paths'
import { writeBinanceTradeLog } from '../support/tradeLog'

/** The web upload: one BTC-PERPETUAL position (generic positions CSV). */
const UPLOAD = 'venue,account,instrument,quantity,entry_price\nderibit,main,BTC-PERPETUAL,1000,9000\n'

let dir: string
let db: string
let server: ChildProcess
let origin: string
let token: string

/** A riskdesk command as a child process; resolves with its exit code and both streams. */
function riskdesk(...args: string[]): { done: Promise<{ code: number; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, '--db', db, ...args], { cwd: REPO })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return { done: new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))) }
}

async function api(name: string, input: unknown): Promise<{ status: number; ms: number; body: { result?: unknown; error?: string } }> {
  const t0 = performance.now()
  const res = await fetch(`${origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  })
  const body = (await res.json()) as { result?: unknown; error?: string }
  return { status: res.status, ms: performance.now() - t0, body }
}

/** True while another connection holds the file's write lock (a BEGIN IMMEDIATE that never waits fails). */
function writeLockHeld(): boolean {
  const probe = new BetterSqlite3(db, { timeout: 0 })
  try {
    probe.exec('BEGIN IMMEDIATE')
    probe.exec('ROLLBACK')
    return false
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return true
    throw e
  } finally {
    probe.close()
  }
}

beforeAll(async () => {
  dir = tempDir()
  db = join(dir, 'riskdesk.db')
  const demo = await riskdesk('demo', '--json').done
  expect(demo.code).toBe(0)
  ;({ server, url: origin } = await startServe(db).then((s) => ({ server: s.server, url: s.url })))
  token = new URL(origin).hash.slice('#token='.length)
  origin = new URL(origin).origin
  // The serve's first import loads and compiles the importers (a second or more on a loaded machine): done
  // here, with a preview, so that the reads below time the writers, not that one-time start.
  const preview = await api('previewImport', { fileName: 'warm-up.csv', contentBase64: Buffer.from(UPLOAD).toString('base64'), settings: { portfolio: 'web' } })
  expect(preview.body.result).toMatchObject({ status: 'preview', ok: true })
}, 180_000)

afterAll(() => {
  server?.kill('SIGTERM')
})

describe('concurrent writers on one database', () => {
  it('two CLI imports, a CLI stress run, a CLI scenarios save and a web upload started together all succeed; the web host keeps answering', async () => {
    const big = join(dir, 'big-trades.csv')
    const small = join(dir, 'small-trades.csv')
    writeBinanceTradeLog(big, 60_000, 1)
    writeBinanceTradeLog(small, 15_000, 2)
    const scenarioFile = join(dir, 'crash.json')
    writeFileSync(scenarioFile, JSON.stringify({ name: 'while importing', spot: { shock: -0.3 } }))
    const upload = Buffer.from(UPLOAD).toString('base64')

    // The long import first; once it holds the write lock, everything else starts at once.
    const first = riskdesk('import', big, '--portfolio', 'first', '--utc-offset', '+00:00', '--json')
    const lockDeadline = Date.now() + 120_000
    while (!writeLockHeld()) {
      if (Date.now() > lockDeadline) throw new Error('the first import never took the write lock')
      await new Promise((r) => setTimeout(r, 20))
    }
    const second = riskdesk('import', small, '--portfolio', 'second', '--utc-offset', '+00:00', '--json')
    const stress = riskdesk('stress', '--portfolio', 'demo', '--workers', '1', '--json')
    const save = riskdesk('scenarios', 'save', scenarioFile)
    const t0 = performance.now()
    const marks: string[] = []
    const uploaded = api('importUpload', { fileName: 'web-upload.csv', contentBase64: upload, settings: { portfolio: 'web' } })
    void uploaded.then((r) => marks.push(`upload answered at ${(performance.now() - t0).toFixed(0)} (${r.ms.toFixed(0)} ms)`))
    void first.done.then(() => marks.push(`first done at ${(performance.now() - t0).toFixed(0)}`))
    void second.done.then(() => marks.push(`second done at ${(performance.now() - t0).toFixed(0)}`))
    void stress.done.then(() => marks.push(`stress done at ${(performance.now() - t0).toFixed(0)}`))
    const slow: string[] = []

    // Reads through the web host while the writers run (and wait).
    const latencies: number[] = []
    let writersDone = false
    const all = Promise.all([first.done, second.done, stress.done, uploaded, save.done]).finally(() => (writersDone = true))
    let lockedReads = 0
    while (!writersDone) {
      const locked = writeLockHeld()
      // A light read (the portfolios and their position counts): its time is the host's answering, not the
      // valuation's CPU, which on a machine loaded to 20 takes ten times its share anyway.
      const r = await api('listPortfolios', {})
      expect(r.status).toBe(200)
      if (r.ms > 300) slow.push(`${r.ms.toFixed(0)} ms read ending at ${(performance.now() - t0).toFixed(0)}`)
      if (locked) {
        latencies.push(r.ms)
        lockedReads++
      }
      await new Promise((res) => setTimeout(res, 25))
    }
    const [a, b, s, u, v] = await all
    console.log(`${marks.join('; ')}; reads over 300 ms: ${slow.length > 0 ? slow.join(', ') : 'none'}`)

    // stderr holds nothing but the wait message (and, from a stale build, the bin's notice that it runs the sources).
    const said = (x: { stderr: string }) => x.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('riskdesk: running the TypeScript sources'))
    // `another writer (its command line, pid, for how long) is using the database FILE; waiting…`, the other
    // writer named from the note it leaves beside the database while it holds the lock.
    const escaped = db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const waitLine = (who: string) => new RegExp(`^riskdesk: another writer \\(${who}, pid \\d+, writing for \\d+ s\\) is using the database ${escaped}; waiting for it to finish \\(at most 60 s\\)…$`)
    // (A writer that finds the lock taken a moment before the holder's note is written says "another writer".)
    const anyWriter = new RegExp(`^riskdesk: another writer( \\(riskdesk .*, pid \\d+, writing for \\d+ s\\))? is using the database ${escaped}; waiting for it to finish \\(at most 60 s\\)…$`)
    for (const x of [b, s, v]) for (const l of said(x)) expect(l).toMatch(anyWriter)
    expect({ code: a.code, said: said(a) }).toEqual({ code: 0, said: [] })
    expect((JSON.parse(a.stdout) as Array<{ status: string; fills: number }>)[0]).toMatchObject({ status: 'imported', fills: 60_000 })
    expect(b.code).toBe(0)
    // The second import started while the first held the lock: it waited, said so once, and named the first.
    expect(said(b)).toHaveLength(1)
    expect(said(b)[0]).toMatch(waitLine('riskdesk import big-trades\\.csv --portfolio first --utc-offset \\+00:00 --json'))
    expect((JSON.parse(b.stdout) as Array<{ status: string; fills: number }>)[0]).toMatchObject({ status: 'imported', fills: 15_000 })
    expect(s.code).toBe(0)
    const run = JSON.parse(s.stdout) as { runId: number; scenarioCount: number; positions: number }
    expect(run.scenarioCount).toBe(189)
    expect(run.runId).toBeGreaterThan(0)
    expect(v.code).toBe(0)
    expect(v.stdout).toBe('saved "while importing" (1 scenarios)\n')
    expect(u.status).toBe(200)
    expect(u.body.result).toMatchObject({ status: 'imported', ok: true, positions: [{ instrument: 'BTC-PERPETUAL', quantity: '1000' }] })

    // Everything landed, once: the three new portfolios beside the demo.
    const check = new BetterSqlite3(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    const fills = check
      .prepare('SELECT p.name, COUNT(*) AS n FROM fills f JOIN imports i ON i.id = f.import_id JOIN portfolios p ON p.id = i.portfolio_id GROUP BY p.name ORDER BY p.name')
      .all()
    check.close()
    expect(fills).toEqual([
      { name: 'first', n: 60_000 },
      { name: 'second', n: 15_000 },
    ])

    const sorted = [...latencies].sort((x, y) => x - y)
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN
    const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? NaN
    const max = sorted.at(-1) ?? NaN
    console.log(
      `web host reads (listPortfolios) while another process held the write lock: ${lockedReads} reads, ` +
        `median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    )
    expect(lockedReads).toBeGreaterThan(5)
    // 200 ms is the target, held by the median. The other bounds are generous: on this 2-core machine shared
    // with other sessions (load 15-22 measured) a process is at times not scheduled for seconds. What they
    // rule out is the stall this replaces: SQLite's busy wait held the serve's event loop 5 s per blocked write.
    expect(median).toBeLessThan(200)
    expect(p90).toBeLessThan(1000)
    expect(max).toBeLessThan(5000)
  }, 300_000)
})
