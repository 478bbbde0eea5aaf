/**
 * The stress engine's worker pool (piscina): splits the scenarios into contiguous ranges, revalues them on
 * worker threads over shared memory, reports progress per finished range and honours an AbortSignal.
 *
 * Determinism: each scenario is summed by one worker over positions in book order, so the result is
 * bitwise identical for any number of workers or ranges.
 */
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Piscina } from 'piscina'
import { blockCount, type MonteCarloModel } from '../domain/risk/monteCarloPaths'
import type { KernelOptions, KernelOutput, PackedBook, PackedScenarios } from '../domain/stress/revaluationKernel'
import { allocateScenarios } from './packScenarios'
import { sharedFloat64 } from './sharedArrays'
import type { MonteCarloTask, StressTask } from './stressWorker'

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

/** Result arrays for `n` scenarios over shared memory (see KernelOutput for shapes). */
export function allocateOutput(scenarios: number, underlyings: number, groups: number, positions: number): KernelOutput {
  return {
    pnlUsd: sharedFloat64(scenarios),
    pnlCoin: sharedFloat64(scenarios * underlyings),
    groupPnlUsd: sharedFloat64(scenarios * groups),
    taylorUsd: sharedFloat64(scenarios),
    liquidityUsd: sharedFloat64(scenarios),
    balancePnlUsd: sharedFloat64(scenarios),
    balancePnlCoin: sharedFloat64(scenarios * underlyings),
    badScenarios: new Int32Array(new SharedArrayBuffer(Math.max(positions, 1) * Int32Array.BYTES_PER_ELEMENT)),
    detail: null,
  }
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
  private readonly filename: string
  /** The piscina pool, made (and piscina loaded) on the first run: a process that runs no stress never
   * pays for loading piscina. */
  private pool: Promise<Piscina> | null = null

  constructor(options: StressPoolOptions = {}) {
    this.workers = options.workers ?? defaultWorkerCount()
    this.filename = options.workerFile ?? defaultWorkerFile()
  }

  private threads(): Promise<Piscina> {
    return (this.pool ??= import('piscina').then(
      ({ Piscina }) =>
        new Piscina({
          filename: this.filename,
          minThreads: this.workers,
          maxThreads: this.workers,
          idleTimeout: 60_000,
          execArgv: workerExecArgv(this.filename),
        }),
    ))
  }

  /**
   * Revalues `book` in every scenario; `options.groupId` should live in shared memory (sharedFrom) so workers
   * do not copy it.
   * @throws the signal's reason (an AbortError) when cancelled; a worker's error otherwise.
   */
  async run(
    book: PackedBook,
    scenarios: PackedScenarios,
    options: KernelOptions,
    runOptions: StressRunOptions = {},
  ): Promise<KernelOutput> {
    const out = allocateOutput(scenarios.n, book.nUnderlyings, options.nGroups, book.n)
    const pool = await this.threads()
    let done = 0
    await Promise.all(
      splitRanges(scenarios.n, this.workers).map(async ([from, to]) => {
        const task: StressTask = { book, scenarios, from, to, options, out }
        await pool.run(task, { signal: runOptions.signal ?? null })
        done += to - from
        runOptions.onProgress?.(done, scenarios.n)
      }),
    )
    return out
  }

  /**
   * Monte Carlo on the pool (the second task kind): each task writes the paths of a range of path blocks
   * into shared scenario arrays and revalues them. Paths depend on the seed and their block only, and each
   * scenario is summed by one worker in book order, so figures are bitwise identical for any worker count.
   * @returns the kernel's output and the scenarios (paths) it revalued
   * @throws the signal's reason (an AbortError) when cancelled; a worker's error otherwise.
   */
  async runMonteCarlo(
    book: PackedBook,
    model: MonteCarloModel,
    seed: number,
    paths: number,
    options: KernelOptions,
    runOptions: StressRunOptions = {},
  ): Promise<{ out: KernelOutput; scenarios: PackedScenarios }> {
    const scenarios = allocateScenarios(paths, book.nUnderlyings)
    const out = allocateOutput(paths, book.nUnderlyings, options.nGroups, book.n)
    const pool = await this.threads()
    runOptions.onProgress?.(0, paths) // the total is known before the first block ends
    let done = 0
    await Promise.all(
      splitRanges(blockCount(paths), this.workers).map(async ([fromBlock, toBlock]) => {
        const task: MonteCarloTask = { kind: 'monteCarlo', book, scenarios, model, seed, paths, fromBlock, toBlock, options, out }
        done += (await pool.run(task, { signal: runOptions.signal ?? null })) as number
        runOptions.onProgress?.(done, paths)
      }),
    )
    return { out, scenarios }
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).close()
  }
}
