/**
 * One import in a process of its own (bench/importBench.ts): imports FILE into DB and prints one JSON line
 * with the wall time of the import call, the CPU time of the process's threads during it, the peak memory
 * (max RSS) and what was stored (or, for a refused file, its first issue).
 *
 * IMPORT_BENCH_IN_THREAD=1: parse and write on one thread (what a channel serving one call at a time, such as
 * synckit, would give at best). IMPORT_BENCH_ASYNC=1: the path `riskdesk import` and the app take
 * (importSourceAsync: the import thread's calls served from the event loop through a connection of its own).
 */
import { basename } from 'node:path'
import { openDatabase } from '../src/main/db/database'
import { importSourceAsync, outcomeOf, ImportFailedError, importFile, type ImportOptions } from '../src/main/services/importService'

const [file, dbPath] = process.argv.slice(2)
if (!file || !dbPath) throw new Error('usage: importBenchChild FILE DB')
const db = openDatabase(dbPath)
const options: ImportOptions = { portfolio: 'bench', now: Date.UTC(2026, 10, 21), inWorker: process.env.IMPORT_BENCH_IN_THREAD === '1' ? false : undefined }
const start = performance.now()
const cpu0 = process.cpuUsage()
let out: { rows: number; fills: number; positions: number; failed?: string }
try {
  const r =
    process.env.IMPORT_BENCH_ASYNC === '1'
      ? outcomeOf(await importSourceAsync(db, { path: file, fileName: basename(file) }, options))
      : importFile(db, file, options)
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
