/**
 * The CLI side of a job (services/jobRunner.ts), as the app runs one: start it, poll its status until it ends
 * with a progress bar on a terminal, cancel it on Ctrl+C. `riskdesk stress` (startStress, getStressJob,
 * cancelStress) and `riskdesk var` (startVar, getVarJob, cancelVar) both go through here.
 */
import { SingleBar } from 'cli-progress'
import type { ApiInput, ApiName, ApiOutput } from '../../../shared/api'
import type { Runtime } from '../../services/runtime'
import { call } from './cliSupport'

/** Polling interval: the CLI runs the job in-process, so a status read costs nothing. */
const POLL_MS = 50

/** The three calls of one kind of job. */
interface JobCalls<Start extends ApiName, Status extends ApiName, Cancel extends ApiName> {
  start: Start
  status: Status
  cancel: Cancel
}

export const STRESS_JOB = { start: 'startStress', status: 'getStressJob', cancel: 'cancelStress' } as const
export const VAR_JOB = { start: 'startVar', status: 'getVarJob', cancel: 'cancelVar' } as const

type Finished<Status extends ApiName> = NonNullable<ApiOutput<Status> extends { result: infer R } ? R : never>

/**
 * Runs `request` as a job and resolves with its result.
 * @param label names the job on the progress bar ("stress", "var") and in the failure message
 * @param showProgress draws a progress bar (units done / in all) on stderr
 * @throws Error with the job's own message when it fails, "cancelled" when it is cancelled (Ctrl+C)
 */
export async function followJob<
  Start extends 'startStress' | 'startVar',
  Status extends 'getStressJob' | 'getVarJob',
  Cancel extends 'cancelStress' | 'cancelVar',
>(rt: Runtime, calls: JobCalls<Start, Status, Cancel>, request: ApiInput<Start>, label: string, showProgress: boolean): Promise<Finished<Status>> {
  const bar = showProgress ? new SingleBar({ format: `${label} {bar} {value}/{total} scenarios`, hideCursor: true }) : null
  const { jobId } = (await call(rt, calls.start, request)) as { jobId: string }
  const onSigint = () => void call(rt, calls.cancel, { jobId } as ApiInput<Cancel>)
  process.once('SIGINT', onSigint)
  try {
    for (;;) {
      const job = (await call(rt, calls.status, { jobId } as ApiInput<Status>)) as {
        status: 'running' | 'done' | 'failed' | 'cancelled'
        done: number
        total: number
        result: Finished<Status> | null
        error: string | null
      }
      // A bar starts only while the job runs (a job already ended draws none) and ends at the last figures.
      if (bar && job.total > 0 && (job.status === 'running' || bar.isActive)) {
        if (!bar.isActive) bar.start(job.total, 0)
        bar.update(job.done)
      }
      if (job.status === 'done') return job.result!
      if (job.status === 'failed') throw new Error(job.error ?? `the ${label} run failed`)
      if (job.status === 'cancelled') throw new Error('cancelled')
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  } finally {
    bar?.stop()
    process.off('SIGINT', onSigint)
  }
}
