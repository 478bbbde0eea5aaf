/**
 * Worker-thread entry of the stress engine (run by piscina). Two kinds of task:
 *  - stress (no `kind`, or `kind: 'stress'`): revalues one contiguous range of packed scenarios and writes its
 *    totals into the shared result arrays;
 *  - monteCarlo: first writes the Monte Carlo paths of a range of path blocks into the shared scenario arrays
 *    (domain/risk/monteCarloPaths.ts: each block from its own seeded stream), then revalues them the same way.
 * Returns the number of scenarios done.
 */
import { blockCount, fillPathBlocks, type MonteCarloModel } from '../domain/risk/monteCarloPaths'
import { PATHS_PER_BLOCK } from '../domain/risk/randomStreams'
import {
  revalueScenarios,
  type KernelOptions,
  type KernelOutput,
  type PackedBook,
  type PackedScenarios,
} from '../domain/stress/revaluationKernel'

export interface StressTask {
  kind?: 'stress'
  book: PackedBook
  scenarios: PackedScenarios
  from: number
  to: number
  options: KernelOptions
  out: KernelOutput
}

export interface MonteCarloTask {
  kind: 'monteCarlo'
  book: PackedBook
  /** Shared scenario arrays for every path; this task fills and revalues blocks [fromBlock, toBlock). */
  scenarios: PackedScenarios
  model: MonteCarloModel
  seed: number
  paths: number
  fromBlock: number
  toBlock: number
  options: KernelOptions
  out: KernelOutput
}

export default function runStressTask(task: StressTask | MonteCarloTask): number {
  if (task.kind === 'monteCarlo') {
    const to = Math.min(task.paths, Math.min(task.toBlock, blockCount(task.paths)) * PATHS_PER_BLOCK)
    const from = task.fromBlock * PATHS_PER_BLOCK
    fillPathBlocks(task.model, task.seed, task.paths, task.fromBlock, task.toBlock, task.scenarios)
    revalueScenarios(task.book, task.scenarios, from, to, task.options, task.out)
    return to - from
  }
  revalueScenarios(task.book, task.scenarios, task.from, task.to, task.options, task.out)
  return task.to - task.from
}
