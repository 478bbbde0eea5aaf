/**
 * VaR runs as jobs the UI can poll and cancel over any transport (IPC or HTTP), as stress jobs are
 * (stressJobs.ts): start returns an id, the status call reports progress (scenarios or paths done / in all) and,
 * once done, the result; cancel aborts the workers. Finished jobs are kept until their result is read, or for
 * ten minutes.
 */
import { randomUUID } from 'node:crypto'
import type { VarJobStatus, VarRequestParsed, VarResult } from '../../shared/varApi'

const KEEP_FINISHED_MS = 10 * 60_000

interface Job {
  status: VarJobStatus['status']
  done: number
  total: number
  result: VarResult | null
  error: string | null
  controller: AbortController
  finishedAt: number | null
}

export type VarRunner = (
  request: VarRequestParsed,
  options: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
) => Promise<VarResult>

export class VarJobs {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly run: VarRunner) {}

  /** Starts a run in the background and returns its id at once. */
  start(request: VarRequestParsed): string {
    this.sweep()
    const jobId = randomUUID()
    const job: Job = { status: 'running', done: 0, total: 0, result: null, error: null, controller: new AbortController(), finishedAt: null }
    this.jobs.set(jobId, job)
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        if (job.controller.signal.aborted) throw new Error('cancelled')
        return this.run(request, {
          signal: job.controller.signal,
          onProgress: (done, total) => {
            job.done = done
            job.total = total
          },
        })
      })
      .then(
        (result) => {
          job.status = 'done'
          job.result = result
          job.done = job.total = result.scenarios
          job.finishedAt = Date.now()
        },
        (e: Error) => {
          job.status = job.controller.signal.aborted ? 'cancelled' : 'failed'
          job.error = job.status === 'cancelled' ? 'cancelled' : e.message
          job.finishedAt = Date.now()
        },
      )
    return jobId
  }

  /** @throws Error for an unknown (or expired) job id */
  status(jobId: string): VarJobStatus {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`no VaR job ${jobId} (finished jobs are kept ten minutes)`)
    if (job.status !== 'running') this.jobs.delete(jobId)
    return { jobId, status: job.status, done: job.done, total: job.total, result: job.result, error: job.error }
  }

  /** Cancels a running job; false when it was not running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job || job.status !== 'running') return false
    job.controller.abort()
    return true
  }

  private sweep(): void {
    const now = Date.now()
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id)
  }
}
