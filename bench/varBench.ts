/**
 * VaR benchmark (issue "Value at Risk"): Monte Carlo of 100,000 paths × 1,000 inverse option positions, 1-day,
 * Student-t moves (ν = 3) of a spot and a vol factor, full revaluation on the stress pool (the Monte Carlo task
 * kind: each worker draws its blocks' paths and revalues them), with 2 workers and with 1; the wall time of
 * `StressPool.runMonteCarlo` from call to result, after a warm-up run, mean of 2, and the CPU time the process
 * spent (all threads, process.cpuUsage): on a machine shared with other work the wall time stretches while the
 * CPU time stays, and CPU time ÷ workers is the wall time the run takes with the cores to itself. Also the path
 * drawing alone on the main thread (fillPathBlocks), to show what the paths cost beside the revaluations.
 */
import { availableParallelism, loadavg } from 'node:os'
import { cholesky } from '../src/main/domain/risk/linearAlgebra'
import { blockCount, fillPathBlocks, type MonteCarloModel } from '../src/main/domain/risk/monteCarloPaths'
import { DEFAULT_LIQUIDITY } from '../src/main/domain/stress/liquidityTable'
import { packBook } from '../src/main/engine/packBook'
import { allocateScenarios } from '../src/main/engine/packScenarios'
import { sharedFloat64 } from '../src/main/engine/sharedArrays'
import { StressPool } from '../src/main/engine/stressPool'
import { syntheticOptionBook } from './syntheticBook'

const POSITIONS = 1_000
const PATHS = 100_000
const RUNS = 2

export default {
  description: `Monte Carlo VaR, ${PATHS.toLocaleString('en-US')} paths × ${POSITIONS.toLocaleString('en-US')} option positions, 1-day, 1 and 2 workers`,
  async run(): Promise<void> {
    const { book } = packBook(syntheticOptionBook(POSITIONS, 42), { liquidity: DEFAULT_LIQUIDITY })
    // BTC's window of 2019-05-15 … 2020-05-13: daily σ 4.76 % and a vol factor of σ 10 vol points, correlation −0.3.
    const sd = [0.0476, 0.1]
    const rho = -0.3
    const L = cholesky([
      [sd[0]! ** 2, rho * sd[0]! * sd[1]!],
      [rho * sd[0]! * sd[1]!, sd[1]! ** 2],
    ])
    const model: MonteCarloModel = { m: 2, cholesky: L.flat(), df: 3, horizonDays: 1, spotFactor: [0], volFactor: [1], volFloor: 0.01 }
    const options = { liquidity: false, impactY: 0, groupId: sharedFloat64(book.n), nGroups: 1 }
    const draw = performance.now()
    fillPathBlocks(model, 1, PATHS, 0, blockCount(PATHS), allocateScenarios(PATHS, 1))
    const drawMs = performance.now() - draw
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} cores)`)
    console.log(`${POSITIONS.toLocaleString('en-US')} positions × ${PATHS.toLocaleString('en-US')} paths = ${(POSITIONS * PATHS).toLocaleString('en-US')} option revaluations per run`)
    console.log(`drawing the paths alone (main thread): ${drawMs.toFixed(0)} ms`)
    const figures: Record<number, number> = {}
    let reference: Float64Array | null = null
    for (const workers of [2, 1]) {
      const pool = new StressPool({ workers })
      try {
        await pool.runMonteCarlo(book, model, 1, 2_048 * workers, options) // warm-up: threads started, code compiled
        const times: number[] = []
        const cpu: number[] = []
        for (let r = 0; r < RUNS; r++) {
          const t = performance.now()
          const c = process.cpuUsage()
          const { out } = await pool.runMonteCarlo(book, model, 1, PATHS, options)
          times.push(performance.now() - t)
          const used = process.cpuUsage(c)
          cpu.push((used.user + used.system) / 1000)
          if (reference === null) reference = out.pnlUsd
          else if (out.pnlUsd.some((v, k) => v !== reference![k])) throw new Error(`${workers} worker(s) gave other P&L than 2 workers for the same seed`)
        }
        figures[workers] = times.reduce((a, b) => a + b, 0) / RUNS
        const cpuMean = cpu.reduce((a, b) => a + b, 0) / RUNS
        console.log(
          `${workers} worker${workers > 1 ? 's' : ' '}: wall ${(figures[workers]! / 1000).toFixed(2)} s per run (${times.map((t) => (t / 1000).toFixed(2)).join(', ')}), ${((POSITIONS * PATHS) / figures[workers]! / 1000).toFixed(2)} M revaluations / s; CPU ${(cpuMean / 1000).toFixed(2)} s, ÷ ${workers} = ${(cpuMean / workers / 1000).toFixed(2)} s`,
        )
      } finally {
        await pool.close()
      }
    }
    console.log(`ratio 1 worker / 2 workers (wall): ${(figures[1]! / figures[2]!).toFixed(2)}; P&L of every path identical on 1 and 2 workers`)
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  },
}
