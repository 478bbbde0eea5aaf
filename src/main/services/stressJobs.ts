/**
 * Long stress runs as jobs the UI can watch and cancel over any transport (IPC or HTTP): start returns an id,
 * the status call reports progress (scenarios done / in all) and, once done, the result; `watch` pushes the
 * same progress to a listener as it happens (hosts forward it as IPC events or server-sent events); cancel
 * aborts the workers. Finished jobs are kept until their result is read, or for ten minutes.
 */
import { randomUUID } from 'node:crypto'
import type { StressJobEvent } from '../../shared/api'
import type { StressJobStatus, StressRequestParsed, StressResult } from '../../shared/stressApi'

const KEEP_FINISHED_MS = 10 * 60_000

interface Job {
  status: StressJobStatus['status']
  done: number
  total: number
  result: StressResult | null
  error: string | null
  controller: AbortController
  finishedAt: number | null
  listeners: Set<StressJobListener>
}

/** Receives a job's events: its state when it starts watching, then after each change; the last is terminal. */
export type StressJobListener = (event: StressJobEvent) => void

export type StressRunner = (
  request: StressRequestParsed,
  options: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
) => Promise<StressResult>

/** Thrown for a job id this process does not know (never started, or finished and read or expired). */
export class StressJobNotFoundError extends Error {
  constructor(jobId: string) {
    super(`no stress job ${jobId.slice(0, 80)} (finished jobs are kept ten minutes)`)
    this.name = 'StressJobNotFoundError'
  }
}

export class StressJobs {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly run: StressRunner) {}

  /** Starts a run in the background and returns its id at once. */
  start(request: StressRequestParsed): string {
    this.sweep()
    const jobId = randomUUID()
    const job: Job = {
      status: 'running',
      done: 0,
      total: 0,
      result: null,
      error: null,
      controller: new AbortController(),
      finishedAt: null,
      listeners: new Set(),
    }
    this.jobs.set(jobId, job)
    // Start on the next turn of the event loop, so the caller gets the id before valuation and packing run.
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        if (job.controller.signal.aborted) throw new Error('cancelled')
        return this.run(request, {
          signal: job.controller.signal,
          onProgress: (done, total) => {
            job.done = done
            job.total = total
            this.emit(jobId, job)
          },
        })
      })
      .then(
        (result) => {
          job.status = 'done'
          job.result = result
          job.done = job.total = result.scenarioCount
          job.finishedAt = Date.now()
          this.emit(jobId, job)
        },
        (e: Error) => {
          job.status = job.controller.signal.aborted ? 'cancelled' : 'failed'
          job.error = job.status === 'cancelled' ? 'cancelled' : e.message
          job.finishedAt = Date.now()
          this.emit(jobId, job)
        },
      )
    return jobId
  }

  /** @throws StressJobNotFoundError for an unknown (or expired) job id */
  status(jobId: string): StressJobStatus {
    const job = this.jobs.get(jobId)
    if (!job) throw new StressJobNotFoundError(jobId)
    if (job.status !== 'running') this.jobs.delete(jobId)
    return { jobId, status: job.status, done: job.done, total: job.total, result: job.result, error: job.error }
  }

  /**
   * Follows a job: `listener` gets its state at once (synchronously), then an event after each finished range
   * of scenarios and a last one when it ends (done, failed or cancelled). Watching does not read the result,
   * so a finished job stays until getStressJob reads it. Returns a function that stops the events.
   * @throws StressJobNotFoundError for an unknown (or expired) job id
   */
  watch(jobId: string, listener: StressJobListener): () => void {
    const job = this.jobs.get(jobId)
    if (!job) throw new StressJobNotFoundError(jobId)
    listener(eventOf(jobId, job))
    if (job.status !== 'running') return () => {}
    job.listeners.add(listener)
    return () => job.listeners.delete(listener)
  }

  /** Cancels a running job; false when it was not running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job || job.status !== 'running') return false
    job.controller.abort()
    return true
  }

  /** Tells the job's listeners its state; a listener that throws is dropped (its transport is gone). */
  private emit(jobId: string, job: Job): void {
    const event = eventOf(jobId, job)
    for (const listener of [...job.listeners]) {
      try {
        listener(event)
      } catch {
        job.listeners.delete(listener)
      }
    }
    if (job.status !== 'running') job.listeners.clear()
  }

  private sweep(): void {
    const now = Date.now()
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id)
  }
}

function eventOf(jobId: string, job: Job): StressJobEvent {
  return { jobId, status: job.status, done: job.done, total: job.total, error: job.error }
}
