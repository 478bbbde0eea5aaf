/**
 * Stress engine throughput: option revaluations per second for 1,000 positions × 1,000 scenarios, on one
 * worker and on the pool, beside the same kernel run on the main thread (the in-process reference).
 */
import { Bench } from 'tinybench'
import { revalueScenarios } from '../src/main/domain/stress/revaluationKernel'
import { scenarioGrid } from '../src/main/domain/stress/scenarioGrid'
import { packBook } from '../src/main/engine/packBook'
import { defaultWorkerCount, StressPool } from '../src/main/engine/stressPool'
import { syntheticOptionBook } from './syntheticBook'

const POSITIONS = 1_000
const VOL_FLOOR = 0.01

export default {
  description: `option revaluations per second, ${POSITIONS} positions × 1,000 scenarios (50 spot × 20 vol)`,
  async run() {
    const { book } = packBook(syntheticOptionBook(POSITIONS))
    const grid = scenarioGrid({ from: -49, to: 49, step: 2 }, { from: -45, to: 50, step: 5 })
    const n = grid.scenarios.n
    const outUsd = new Float64Array(n)
    const outCoin = new Float64Array(n * book.nUnderlyings)
    const workers = defaultWorkerCount()
    const one = new StressPool({ workers: 1 })
    const pool = new StressPool({ workers })
    const bench = new Bench({ time: 3000, warmupTime: 500 })
    bench
      .add('reference: kernel on the main thread', () => {
        revalueScenarios(book, grid.scenarios, 0, n, VOL_FLOOR, outUsd, outCoin)
      })
      .add('worker pool, 1 worker', async () => {
        await one.run(book, grid.scenarios, VOL_FLOOR)
      })
      .add(`worker pool, ${workers} workers`, async () => {
        await pool.run(book, grid.scenarios, VOL_FLOOR)
      })
    await bench.run()
    await one.close()
    await pool.close()
    const evals = POSITIONS * n
    const rate = (i: number) => evals / (bench.tasks[i]!.result as { latency: { mean: number } }).latency.mean * 1000
    const [ref, w1, wn] = [rate(0), rate(1), rate(2)]
    const m = (x: number) => `${(x / 1e6).toFixed(2)} M/s`
    console.log(`scenarios ${n}, positions ${POSITIONS}, revaluations per run ${evals.toLocaleString('en-US')}`)
    console.log(`reference (main thread) ${m(ref)}`)
    console.log(`pool, 1 worker          ${m(w1)}  (${(w1 / ref).toFixed(2)}× reference)`)
    console.log(`pool, ${workers} workers         ${m(wn)}  (${(wn / ref).toFixed(2)}× reference, ${(wn / w1).toFixed(2)}× 1 worker)`)
  },
}
