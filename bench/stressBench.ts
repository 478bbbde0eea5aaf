/**
 * Stress engine benchmarks (issue "Stress engine"):
 *  1. option revaluations per second, 1,000 and 10,000 inverse option positions × 1,000 scenarios (50 spot ×
 *     20 vol): the engine's kernel on one worker and on the pool, beside a minimal single-thread reference
 *     kernel in the same process (the bare Black-76 revaluation loop without the engine's features);
 *  2. the interactive what-if: time from "run" to the full 41 × 21 grid for a 200-position book through the
 *     service (valuation from SQLite, packing, pool, assembly), after warm-up.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { openDatabase, type Db } from '../src/main/db/database'
import { black76PriceUnchecked } from '../src/main/domain/pricing/black76'
import { DEFAULT_LIQUIDITY } from '../src/main/domain/stress/liquidityTable'
import { DEFAULT_BETAS } from '../src/main/domain/stress/betaTable'
import type { PackedBook, PackedScenarios } from '../src/main/domain/stress/revaluationKernel'
import { gridSet } from '../src/main/domain/stress/scenarioSets'
import { packBook } from '../src/main/engine/packBook'
import { packScenarios } from '../src/main/engine/packScenarios'
import { sharedFloat64 } from '../src/main/engine/sharedArrays'
import { defaultWorkerCount, StressPool } from '../src/main/engine/stressPool'
import { importFile } from '../src/main/services/importService'
import { runStress } from '../src/main/services/stressService'
import { seededRandom, syntheticOptionBook } from './syntheticBook'
import { stressRequest } from '../src/shared/stressApi'

const VOL_FLOOR = 0.01

/**
 * The bare loop: inverse option P&L per scenario — the change of USD value, the venue's coin mark moved by the
 * model's change (floored at 0) at the shocked index less the mark at today's (revaluationKernel.ts) — with no
 * groups, no Taylor, no liquidity, no NaN guard.
 */
function referenceKernel(b: PackedBook, sc: PackedScenarios, out: Float64Array): void {
  for (let k = 0; k < sc.n; k++) {
    const factor = 1 + sc.spotShock[k]!
    const dv = sc.volSize[k]! / 100
    let total = 0
    for (let i = 0; i < b.n; i++) {
      const f1 = b.underlying0[i]! * factor
      const sigma = Math.max(b.sigma0[i]! + dv, VOL_FLOOR)
      const v1 = black76PriceUnchecked(b.isCall[i]! === 1, f1, b.strike[i]!, b.T[i]!, sigma)
      const moved = b.mark0[i]! + v1 / f1 - b.price0[i]! / b.underlying0[i]!
      total += b.quantity[i]! * ((moved > 0 ? moved : 0) * b.index0[i]! * factor - b.mark0[i]! * b.index0[i]!)
    }
    out[k] = total
  }
}

const rateOf = (bench: Bench, i: number, evals: number) =>
  (evals / (bench.tasks[i]!.result as { latency: { mean: number } }).latency.mean) * 1000
const m = (x: number) => `${(x / 1e6).toFixed(2)} M/s`

async function throughput(POSITIONS: number): Promise<void> {
  const packed = packBook(syntheticOptionBook(POSITIONS), { liquidity: DEFAULT_LIQUIDITY })
  const set = gridSet({ from: -49, to: 49, step: 2 }, { from: -45, to: 50, step: 5 }, { vol: { floor: 1 } })
  const { scenarios } = packScenarios(set.scenarios, packed.underlyings, DEFAULT_BETAS)
  const options = { liquidity: false, impactY: 1, groupId: sharedFloat64(POSITIONS), nGroups: 1 }
  const workers = defaultWorkerCount()
  const one = new StressPool({ workers: 1 })
  const pool = new StressPool({ workers })
  const reference = new Float64Array(scenarios.n)
  const bench = new Bench({ time: 4000, warmupTime: 1000 })
  bench
    .add('reference kernel, main thread', () => referenceKernel(packed.book, scenarios, reference))
    .add('engine, 1 worker', async () => void (await one.run(packed.book, scenarios, options)))
    .add(`engine, ${workers} workers`, async () => void (await pool.run(packed.book, scenarios, options)))
  await bench.run()
  const check = await pool.run(packed.book, scenarios, options)
  await one.close()
  await pool.close()
  const evals = POSITIONS * scenarios.n
  const [ref, w1, wn] = [rateOf(bench, 0, evals), rateOf(bench, 1, evals), rateOf(bench, 2, evals)]
  const maxDiff = Math.max(...Array.from(reference, (r, k) => Math.abs(r - check.pnlUsd[k]!) / Math.max(1, Math.abs(r))))
  console.log(`${POSITIONS.toLocaleString('en-US')} option positions × ${scenarios.n} scenarios = ${evals.toLocaleString('en-US')} revaluations per run`)
  console.log(`reference kernel (main thread)  ${m(ref)}`)
  console.log(`engine, 1 worker                ${m(w1)}  (${(w1 / ref).toFixed(2)}× reference)`)
  console.log(`engine, ${workers} workers               ${m(wn)}  (${(wn / ref).toFixed(2)}× reference, ${(wn / w1).toFixed(2)}× 1 worker)`)
  console.log(`engine vs reference totals: max relative difference ${maxDiff.toExponential(1)}`)
}

/** A 200-position book of options from the real 2020-05-14 chain, in a temporary database (also the report bench's). */
export function whatIfDatabase(): { db: Db; positions: number } {
  const dir = mkdtempSync(join(tmpdir(), 'riskdesk-bench-'))
  const db = openDatabase(join(dir, 'bench.db'))
  const chain = new URL('../resources/demo/deribit_btc_option_chain_2020-05-14.csv', import.meta.url).pathname
  importFile(db, chain)
  const names = db.prepare<[], { name: string }>("SELECT name FROM instruments WHERE kind = 'option' ORDER BY name").all().map((r) => r.name)
  const rand = seededRandom(11)
  const rows = Array.from({ length: 200 }, (_, i) => {
    const name = names[(i * 37) % names.length]!
    return `deribit,acct${i % 4},${name},${Math.round((rand() - 0.5) * 100) / 10 || 1},0.05`
  })
  const unique = [...new Map(rows.map((r) => [r.split(',').slice(1, 3).join(), r])).values()]
  writeFileSync(join(dir, 'book.csv'), ['venue,account,instrument,quantity,entry_price', ...unique].join('\n'))
  importFile(db, join(dir, 'book.csv'), { portfolio: 'whatif' })
  return { db, positions: unique.length }
}

async function whatIf(): Promise<void> {
  const { db, positions } = whatIfDatabase()
  const pool = new StressPool()
  const request = stressRequest.parse({ portfolio: 'whatif', spot: { from: -50, to: 50, step: 2.5 }, vol: { from: -50, to: 50, step: 5 } })
  for (let i = 0; i < 20; i++) await runStress(db, pool, request) // warm-up: JIT, workers, SQLite cache
  const times: number[] = []
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now()
    const r = await runStress(db, pool, request)
    times.push(performance.now() - t0)
    if (r.scenarioCount !== 861) throw new Error('expected a 41 × 21 grid')
  }
  await pool.close()
  db.close()
  times.sort((a, b) => a - b)
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1)
  console.log(`what-if: ${positions} positions × 861 scenarios (41 spot × 21 vol) through runStress, ${pool.workers} workers, 50 runs after 20 warm-up`)
  console.log(`  median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (run → full grid: valuation, packing, pool, assembly, stored run)`)
}

export default {
  description: 'stress engine throughput and the interactive what-if latency',
  async run() {
    await throughput(1_000)
    await throughput(10_000)
    await whatIf()
  },
}
