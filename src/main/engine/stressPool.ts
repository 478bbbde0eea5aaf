/**
 * The stress engine's worker pool (piscina): splits the scenarios into contiguous ranges, revalues them on
 * worker threads over shared memory, reports progress per finished range and honours an AbortSignal.
 *
 * Determinism: each scenario is summed by one worker over positions in book order, so the result is
 * bitwise identical for any number of workers or ranges.
 */
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { PackedBook, PackedScenarios } from '../domain/stress/revaluationKernel'
import { sharedFloat64 } from './sharedArrays'
import type { StressTask } from './stressWorker'

export interface StressPoolOptions {
  /** Worker threads; default one per core, at least 2. */
  workers?: number
  /**
   * Path of the built worker entry. The Electron host passes electron-vite's `?modulePath`; the default is
   * `stressWorker.ts`/`.js` beside this module (source under tsx/vitest, or an unbundled build).
   */
  workerFile?: string
}

export interface StressRunOptions {
  signal?: AbortSignal
  /** Called after each finished range with scenarios done and scenarios in all. */
  onProgress?: (done: number, total: number) => void
}

export interface StressTotals {
  /** USD P&L per scenario, length = scenarios.n. */
  pnlUsd: Float64Array
  /** Coin P&L, length = scenarios.n × book.nUnderlyings, scenario-major. */
  pnlCoin: Float64Array
}

/** Worker count used when none is given: one per core, at least 2. */
export function defaultWorkerCount(): number {
  return Math.max(2, availableParallelism())
}

function defaultWorkerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  return fileURLToPath(new URL(`./stressWorker${ext}`, import.meta.url))
}

/** Worker threads need a TypeScript loader when the entry is a .ts source file (tests, CLI from a checkout). */
function workerExecArgv(file: string): string[] | undefined {
  if (!file.endsWith('.ts')) return undefined
  const inherited = process.execArgv.filter((a) => !a.startsWith('--inspect'))
  return inherited.includes('tsx') ? inherited : [...inherited, '--import', 'tsx']
}

/** Ranges of scenarios per task: enough for even load and visible progress, few enough to stay cheap. */
function splitRanges(n: number, workers: number): Array<[number, number]> {
  const chunks = Math.max(1, Math.min(n, workers * 8))
  const ranges: Array<[number, number]> = []
  for (let c = 0; c < chunks; c++) {
    const from = Math.floor((c * n) / chunks)
    const to = Math.floor(((c + 1) * n) / chunks)
    if (to > from) ranges.push([from, to])
  }
  return ranges
}

export class StressPool {
  readonly workers: number
  private readonly pool: Piscina

  constructor(options: StressPoolOptions = {}) {
    this.workers = options.workers ?? defaultWorkerCount()
    const filename = options.workerFile ?? defaultWorkerFile()
    this.pool = new Piscina({
      filename,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: 60_000,
      execArgv: workerExecArgv(filename),
    })
  }

  /**
   * Revalues `book` in every scenario.
   * @throws the signal's reason (an AbortError) when cancelled; a worker's error otherwise.
   */
  async run(
    book: PackedBook,
    scenarios: PackedScenarios,
    volFloor: number,
    options: StressRunOptions = {},
  ): Promise<StressTotals> {
    const pnlUsd = sharedFloat64(scenarios.n)
    const pnlCoin = sharedFloat64(scenarios.n * book.nUnderlyings)
    let done = 0
    await Promise.all(
      splitRanges(scenarios.n, this.workers).map(async ([from, to]) => {
        const task: StressTask = { book, scenarios, from, to, volFloor, outUsd: pnlUsd, outCoin: pnlCoin }
        await this.pool.run(task, { signal: options.signal ?? null })
        done += to - from
        options.onProgress?.(done, scenarios.n)
      }),
    )
    return { pnlUsd, pnlCoin }
  }

  async close(): Promise<void> {
    await this.pool.close()
  }
}
