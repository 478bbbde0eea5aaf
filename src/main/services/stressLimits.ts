/**
 * How much stress work one Riskdesk process takes on at once, so that one client (a script against the web
 * host, a stuck UI) cannot occupy every core and the memory of the process: at most
 * MAX_CONCURRENT_STRESS_RUNS runs (stress and VaR: runStress and runVar calls and started jobs together, see
 * jobRunner.ts) and at most maxWorkersPerRun() worker threads per run.
 */
import { availableParallelism } from 'node:os'

/** Stress and VaR runs (synchronous calls and jobs) one process runs at once. */
export const MAX_CONCURRENT_STRESS_RUNS = 4

/** Worker threads one run may ask for: this machine's logical cores, and at least 4. */
export function maxWorkersPerRun(): number {
  return Math.max(4, availableParallelism())
}

/** Thrown when MAX_CONCURRENT_STRESS_RUNS runs are already running (the web host answers 429). */
export class StressCapacityError extends Error {
  constructor() {
    super(`${MAX_CONCURRENT_STRESS_RUNS} stress and VaR runs are already running in this Riskdesk; try again when one has finished (or cancel one)`)
    this.name = 'StressCapacityError'
  }
}

/** Thrown for a request asking for more worker threads than maxWorkersPerRun() (a bad input: 400). */
export class TooManyWorkersError extends RangeError {
  constructor(asked: number) {
    super(`workers: ${asked} asked; at most ${maxWorkersPerRun()} per stress run on this machine (its logical cores, at least 4)`)
    this.name = 'TooManyWorkersError'
  }
}

/** Counts the runs in progress. */
export class StressSlots {
  private running = 0

  /** Takes a slot for a run asking for `workers` threads. @throws TooManyWorkersError, StressCapacityError */
  take(workers: number | undefined): void {
    if (workers !== undefined && workers > maxWorkersPerRun()) throw new TooManyWorkersError(workers)
    if (this.running >= MAX_CONCURRENT_STRESS_RUNS) throw new StressCapacityError()
    this.running++
  }

  release(): void {
    this.running = Math.max(0, this.running - 1)
  }
}
