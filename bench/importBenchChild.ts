/**
 * One import in a process of its own (bench/importBench.ts): imports FILE into DB and prints one JSON line
 * with the wall time of the import call, the process's peak memory (max RSS) and what was stored.
 */
import { openDatabase } from '../src/main/db/database'
import { importFile } from '../src/main/services/importService'

const [file, dbPath] = process.argv.slice(2)
if (!file || !dbPath) throw new Error('usage: importBenchChild FILE DB')
const db = openDatabase(dbPath)
const start = performance.now()
const r = importFile(db, file, { portfolio: 'bench', now: Date.UTC(2026, 10, 21) })
const ms = performance.now() - start
db.close()
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows: r.rows, fills: r.fills, positions: r.positions })}\n`)
