/**
 * One import in a process of its own (bench/importBench.ts): imports FILE into DB and prints one JSON line
 * with the wall time of the import call, the CPU time of the process's threads during it, the peak memory (max RSS) and what was stored (or, for a
 * refused file, its first issue).
 */
import { openDatabase } from '../src/main/db/database'
import { ImportFailedError, importFile } from '../src/main/services/importService'

const [file, dbPath] = process.argv.slice(2)
if (!file || !dbPath) throw new Error('usage: importBenchChild FILE DB')
const db = openDatabase(dbPath)
const start = performance.now()
const cpu0 = process.cpuUsage()
let out: { rows: number; fills: number; positions: number; failed?: string }
try {
  // IMPORT_BENCH_IN_THREAD=1: parse and write on one thread (what a one-call-at-a-time channel such as synckit would give at best).
  const r = importFile(db, file, { portfolio: 'bench', now: Date.UTC(2026, 10, 21), inWorker: process.env.IMPORT_BENCH_IN_THREAD === '1' ? false : undefined })
  out = { rows: r.rows, fills: r.fills, positions: r.positions }
} catch (e) {
  if (!(e instanceof ImportFailedError)) throw e
  const i = e.issues[0]!
  out = { rows: 0, fills: 0, positions: 0, failed: `refused: line ${i.line}: ${i.message.slice(0, 60)}…` }
}
const ms = performance.now() - start
const cpu = process.cpuUsage(cpu0)
db.close()
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, ...out })}\n`)
