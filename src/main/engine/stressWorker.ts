/**
 * Worker-thread entry of the stress engine (run by piscina): revalues one contiguous range of scenarios and
 * writes its totals into the shared result arrays. Returns the number of scenarios done.
 */
import {
  revalueScenarios,
  type KernelOptions,
  type KernelOutput,
  type PackedBook,
  type PackedScenarios,
} from '../domain/stress/revaluationKernel'

export interface StressTask {
  book: PackedBook
  scenarios: PackedScenarios
  from: number
  to: number
  options: KernelOptions
  out: KernelOutput
}

export default function runStressTask(task: StressTask): number {
  revalueScenarios(task.book, task.scenarios, task.from, task.to, task.options, task.out)
  return task.to - task.from
}
