/**
 * Worker-thread entry of the stress engine (run by piscina): revalues one contiguous range of scenarios
 * and writes its totals into the shared result arrays. Returns nothing; the arrays are the result.
 */
import { revalueScenarios, type PackedBook, type PackedScenarios } from '../domain/stress/revaluationKernel'

export interface StressTask {
  book: PackedBook
  scenarios: PackedScenarios
  from: number
  to: number
  volFloor: number
  outUsd: Float64Array
  outCoin: Float64Array
}

export default function runStressTask(task: StressTask): number {
  revalueScenarios(task.book, task.scenarios, task.from, task.to, task.volFloor, task.outUsd, task.outCoin)
  return task.to - task.from
}
