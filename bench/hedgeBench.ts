/**
 * Hedge benchmark (issue 13): a 200-position book hedged over the real Deribit chain of 2020-05-14 (its 310
 * options and the futures whose prices it carries, plus BTC-PERPETUAL: every instrument the book's market
 * values), targets on delta, gamma and vega in each of the four tenor buckets (6 constraints). Measured per
 * run: the LP and rounding solves (`solveMs`, HiGHS in WebAssembly, warm re-solves for rounding) and the whole
 * call (valuing the book, pricing every candidate, the LP, rounding, valuing the book again with the legs).
 * Reference in the same process: `valueBook` of the same book alone (the valuation the call runs twice). The
 * CPU time of the whole call (process.cpuUsage) is printed too: on a shared machine the wall time stretches
 * while the CPU time stays. The
 * HiGHS runtime is loaded once before the runs (about half a second: the WebAssembly compile), and said.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { availableParallelism, loadavg } from 'node:os'
import { parse } from 'csv-parse/sync'
import { openDatabase } from '../src/main/db/database'
import { importFile } from '../src/main/services/importService'
import { highsRuntime } from '../src/main/services/lpSolver'
import { suggestHedge } from '../src/main/services/hedgeService'
import { valueBook } from '../src/main/services/valuationService'
import { hedgeRequest } from '../src/shared/hedgeApi'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, tempDir } from '../test/support/paths'
import { seededRandom } from './syntheticBook'

const POSITIONS = 200
const RUNS = 15

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

export default {
  description: `hedge suggestion: ${POSITIONS}-position book, every instrument of the real 2020-05-14 Deribit chain as a candidate, 6 targets`,
  async run(): Promise<void> {
    const dir = tempDir('riskdesk-hedge-bench-')
    const db = openDatabase(join(dir, 'bench.db'))
    importFile(db, CHAIN_2020_05_14)
    // Makes BTC-PERPETUAL a known instrument (its quote stays in that portfolio's own market).
    importFile(db, DERIBIT_POSITIONS, { portfolio: 'dump', account: 'acct-1' })
    const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
    const rand = seededRandom(7)
    const lines = ['venue,account,instrument,quantity,entry_price,entry_time,note']
    // 200 distinct options of the chain (a seeded Fisher–Yates shuffle), one net position each.
    const order = chain.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1))
      ;[order[i], order[k]] = [order[k]!, order[i]!]
    }
    for (let i = 0; i < POSITIONS; i++) {
      const row = chain[order[i]!]!
      const q = Math.round((rand() - 0.5) * 100) / 10 || 1
      lines.push(`deribit,options,${row.instrument_name},${q},${row.mark_price},2020-05-13T12:00:00Z,`)
    }
    const book = join(dir, 'book.csv')
    writeFileSync(book, `${lines.join('\n')}\n`)
    importFile(db, book, { portfolio: 'bench' })

    const request = hedgeRequest.parse({
      portfolio: 'bench',
      targets: [
        { underlying: 'BTC', greek: 'delta', target: 0, band: 0.5 },
        { underlying: 'BTC', greek: 'gamma', target: 0, band: 0.005 },
        ...(['<7d', '7–30d', '30–90d', '>90d'] as const).map((tenor) => ({ underlying: 'BTC', greek: 'vega' as const, tenor, target: 0, band: 200 })),
      ],
      candidates: { kinds: ['perpetual', 'future', 'option'] },
    })
    const load = performance.now()
    await highsRuntime()
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} cores)`)
    console.log(`HiGHS runtime load (once per process): ${(performance.now() - load).toFixed(0)} ms`)
    const first = await suggestHedge(db, request)
    console.log(
      `${first.candidatesConsidered} candidates, status ${first.status}, ${first.legs.length} legs, cost ${first.costUsd.toFixed(2)} USD (LP ${first.lpCostUsd?.toFixed(2) ?? '—'}), targets met: ${first.targets.filter((t) => t.met).length}/${first.targets.length}`,
    )
    const solve: number[] = []
    const total: number[] = []
    const reference: number[] = []
    const cpu: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now()
      const c = process.cpuUsage()
      const result = await suggestHedge(db, request)
      total.push(performance.now() - t)
      const used = process.cpuUsage(c)
      cpu.push((used.user + used.system) / 1000)
      solve.push(result.solveMs)
      const v = performance.now()
      valueBook(db, { portfolio: 'bench' })
      reference.push(performance.now() - v)
    }
    const row = (name: string, xs: number[]) => console.log(`${name.padEnd(44)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(7)} ms   p90 ${quantile(xs, 0.9).toFixed(1).padStart(7)} ms`)
    console.log(`${RUNS} runs after a warm-up:`)
    row('LP + rounding solves (solveMs, target < 250)', solve)
    row('whole suggestHedge call', total)
    row('  its CPU time (what an idle core would take)', cpu)
    row('reference: valueBook of the same book', reference)
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    db.close()
  },
}
