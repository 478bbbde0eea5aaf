/**
 * Import throughput (issue "Importers", must-show): a generated 1,000,000-row trade log (Binance futures
 * trade history, new layout, newest row first as Binance exports it, three symbols incl. a COIN-M one)
 * imported by `riskdesk import` semantics — streaming read, strict decoding, header detection, every field
 * validated, fills stored through prepared statements in one transaction with duplicate-row detection,
 * replayed into positions; parsing in a worker thread while the calling thread writes (a file of 16 MB or
 * more) — beside the floor: the time the sqlite3 shell takes to `.import` the same file into a bare table
 * (no validation at all). Each import runs in a fresh child process so its peak memory (max RSS, including
 * Node and module loading) is its own. The file is generated into a temporary directory at bench time and
 * deleted afterwards. The load average is printed first: the figures mean little on a busy machine.
 *
 * Then (issue "Reliability and security", item 1) the time to import a generic trades CSV whose one data row
 * is 1, 10 and 50 MB long (the trade id): the 1 MB row is read and imported, the longer ones refused at the
 * reader's 1 MiB limit with their line number; the time must grow at most linearly with the file's size
 * (the sha256 of the whole file, taken first, is what grows). Files generated, never committed.
 *
 * Env: IMPORT_BENCH_ROWS (default 1,000,000), IMPORT_BENCH_RUNS (default 3, medians are reported),
 * IMPORT_BENCH_ORDER (`newest-first`, default, or `oldest-first`), IMPORT_BENCH_PARTS (`throughput`,
 * `long-lines`, or both, the default, comma-separated), IMPORT_BENCH_IN_THREAD=1 (parse and write on one
 * thread: the import without the import thread, what a channel serving one call at a time would give at best).
 */
import { spawnSync } from 'node:child_process'
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 1_000_000)
const RUNS = Number(process.env.IMPORT_BENCH_RUNS ?? 3)
const ORDER = process.env.IMPORT_BENCH_ORDER === 'oldest-first' ? 'oldest-first' : 'newest-first'
const HEADER = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID'
const CHILD = fileURLToPath(new URL('./importBenchChild.ts', import.meta.url))
const PARTS = (process.env.IMPORT_BENCH_PARTS ?? 'throughput,long-lines').split(',')
/** Sizes of the one long line, MB (10^6 characters). */
const LONG_LINE_MB = [1, 10, 50]

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same file. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Writes the log; returns its size in bytes. Rows are generated oldest first, written in ORDER. */
function generate(path: string): number {
  const rand = rng(20261121)
  const symbols = [
    { name: 'BTCUSDT', price: 60_000, step: 0.001, fee: 'USDT', digits: 1 },
    { name: 'ETHUSDT', price: 3_000, step: 0.01, fee: 'USDT', digits: 2 },
    { name: 'BTCUSD_PERP', price: 60_000, step: 1, fee: 'BTC', digits: 1 },
  ]
  let t = Date.UTC(2024, 0, 1)
  const rows: string[] = new Array(ROWS)
  for (let i = 0; i < ROWS; i++) {
    const s = symbols[i % 3]!
    s.price *= 1 + (rand() - 0.5) * 0.002
    t += Math.floor(rand() * 3000)
    const d = new Date(t)
    const time = `${two(d.getUTCFullYear() % 100)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
    const side = rand() < 0.5 ? 'BUY' : 'SELL'
    const qty = (s.step * (1 + Math.floor(rand() * 20))).toFixed(s.step < 1 ? (s.step === 0.001 ? 3 : 2) : 0)
    const price = s.price.toFixed(s.digits)
    const amount = s.name === 'BTCUSD_PERP' ? ((Number(qty) * 100) / s.price).toFixed(8) : (Number(qty) * s.price).toFixed(4)
    const fee = (Number(amount) * 0.0004).toFixed(8)
    rows[i] = `123456789,${time},${s.name},${side},${price},${qty},${amount},${fee} ${s.fee},0,${side === 'BUY'},${rand() < 0.3},${100_000_000 + i},${200_000_000 + (i >> 1)}`
  }
  const fd = openSync(path, 'w')
  writeSync(fd, `${HEADER}\n`)
  const chunk: string[] = []
  const flush = () => {
    writeSync(fd, chunk.join(''))
    chunk.length = 0
  }
  for (let k = 0; k < ROWS; k++) {
    chunk.push(`${rows[ORDER === 'newest-first' ? ROWS - 1 - k : k]}\n`)
    if (chunk.length === 20_000) flush()
  }
  flush()
  // On disk before anything is timed: neither the floor nor the import pays the file's writeback.
  fsyncSync(fd)
  closeSync(fd)
  return statSync(path).size
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

function sqliteFloor(dir: string, file: string): number {
  const db = join(dir, `floor-${Math.random().toString(36).slice(2)}.db`)
  const script = `CREATE TABLE t (${HEADER.split(',').map((_, i) => `c${i}`).join(', ')});\n.mode csv\n.import --skip 1 "${file}" t\n`
  const start = performance.now()
  const r = spawnSync('sqlite3', [db], { input: script, encoding: 'utf8' })
  const ms = performance.now() - start
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`)
  rmSync(db, { force: true })
  return ms
}

interface ChildResult {
  ms: number
  maxRssMb: number
  rows: number
  fills: number
  positions: number
  /** The first issue of a failed import, `line N: message`. */
  failed?: string
}

function riskdeskImport(dir: string, file: string): ChildResult {
  const db = join(dir, `riskdesk-${Math.random().toString(36).slice(2)}.db`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, file, db], { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (r.status !== 0) throw new Error(`import child failed: ${r.stderr}\n${r.stdout}`)
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult
}

/** A generic trades CSV: header, then one row whose trade id makes the line `mb` MB long. */
function longLineFile(dir: string, mb: number): string {
  const path = join(dir, `long-line-${mb}MB.csv`)
  const head = 'venue,account,instrument,time,side,quantity,price,fee,fee_currency,trade_id\nderibit,desk,BTC-PERPETUAL,2024-01-02T08:00:00Z,buy,10,8000,0,BTC,'
  const fd = openSync(path, 'w')
  writeSync(fd, head)
  const block = 'x'.repeat(1_000_000)
  for (let i = 0; i < mb; i++) writeSync(fd, block)
  writeSync(fd, '\n')
  fsyncSync(fd)
  closeSync(fd)
  return path
}

function longLines(dir: string): void {
  console.log(`\none long line (generic trades CSV, the trade id ${LONG_LINE_MB.join(', ')} MB long; reader limit 1 MiB = 1,048,576 characters), ${RUNS} runs each, medians:`)
  const rows: Array<{ mb: number; ms: number; outcome: string }> = []
  for (const mb of LONG_LINE_MB) {
    const file = longLineFile(dir, mb)
    const runs = Array.from({ length: RUNS }, () => riskdeskImport(dir, file))
    const ms = median(runs.map((r) => r.ms))
    const outcome = runs[0]!.failed ?? `imported (${runs[0]!.rows} row, ${runs[0]!.fills} fill)`
    rows.push({ mb, ms, outcome })
    console.log(`  ${String(mb).padStart(3)} MB line: ${(ms / 1000).toFixed(3)} s (${(ms / mb).toFixed(1)} ms/MB)   runs: ${runs.map((r) => (r.ms / 1000).toFixed(3)).join(', ')} s   ${outcome}`)
    rmSync(file, { force: true })
  }
  const first = rows[0]!
  const last = rows.at(-1)!
  console.log(`  growth ${first.mb} → ${last.mb} MB: × ${(last.ms / first.ms).toFixed(1)} for × ${last.mb / first.mb} the size (linear or better when ≤ ${last.mb / first.mb})`)
}

export default {
  description: `streaming import of a generated ${ROWS.toLocaleString('en-US')}-row Binance futures trade log (${ORDER}) beside sqlite3 .import of the same file`,
  async run() {
    const sqliteVersion = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' })
    if (sqliteVersion.status !== 0) throw new Error('the sqlite3 command-line shell is needed for the floor (apt-get install sqlite3)')
    console.log(`load average before (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(2)).join(', ')} on ${availableParallelism()} cores`)
    const dir = mkdtempSync(join(tmpdir(), 'riskdesk-import-bench-'))
    try {
      if (!PARTS.includes('throughput')) return longLines(dir)
      // Binance writes the export's UTC offset only in the file name.
      const file = join(dir, `Export Trade History-2024(UTC+0).csv`)
      const size = generate(file)
      console.log(`file: ${ROWS.toLocaleString('en-US')} rows + header, ${(size / 1e6).toFixed(1)} MB; sqlite3 ${sqliteVersion.stdout.trim().split(' ')[0]}; ${RUNS} runs each, medians`)
      const floors: number[] = []
      const imports: Array<ReturnType<typeof riskdeskImport>> = []
      for (let i = 0; i < RUNS; i++) {
        floors.push(sqliteFloor(dir, file))
        imports.push(riskdeskImport(dir, file))
      }
      const floor = median(floors)
      const ms = median(imports.map((x) => x.ms))
      const rss = Math.max(...imports.map((x) => x.maxRssMb))
      const last = imports.at(-1)!
      console.log(`sqlite3 .import (floor)     ${(floor / 1000).toFixed(2)} s   (${Math.round(ROWS / (floor / 1000)).toLocaleString('en-US')} rows/s)   runs: ${floors.map((x) => (x / 1000).toFixed(2)).join(', ')} s`)
      if (process.env.IMPORT_BENCH_IN_THREAD === '1') console.log('(IMPORT_BENCH_IN_THREAD=1: parsing and writing on one thread)')
      console.log(`riskdesk import             ${(ms / 1000).toFixed(2)} s   (${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US')} rows/s)   runs: ${imports.map((x) => (x.ms / 1000).toFixed(2)).join(', ')} s`)
      console.log(`ratio                       ${(ms / floor).toFixed(2)} × the floor (target ≤ 3)`)
      console.log(`peak memory (max RSS)       ${rss.toFixed(0)} MB (target < 400)`)
      console.log(`stored                      ${last.fills.toLocaleString('en-US')} fills, ${last.positions} positions from ${last.rows.toLocaleString('en-US')} rows`)
      rmSync(file, { force: true })
      if (PARTS.includes('long-lines')) longLines(dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
