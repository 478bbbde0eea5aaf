/**
 * Long runs (stress, VaR) as jobs the UI and the CLI can follow and cancel over any transport (IPC, HTTP,
 * in-process): `start` takes one of the process's run slots (stressLimits.ts: stress and VaR runs count
 * together) and returns an id at once; `status` reports progress (units done / in all: scenarios, or Monte
 * Carlo paths) and, once the job has ended, its result; `watch` pushes the same progress to a listener as it
 * happens (the hosts forward stress jobs' as IPC or server-sent events); `cancel` aborts the workers. The slot
 * is released at the job's terminal state (done, failed or cancelled). A finished job is kept until its result
 * is read, or for ten minutes.
 */
import { randomUUID } from 'node:crypto'
import type { StressSlots } from './stressLimits'

const KEEP_FINISHED_MS = 10 * 60_000

export type JobState = 'running' | 'done' | 'failed' | 'cancelled'

/** A job as getStressJob / getVarJob answer it (the shapes in shared/stressApi.ts and shared/varApi.ts). */
export interface JobStatus<Result> {
  jobId: string
  status: JobState
  /** Units (scenarios or paths) done and in all; `total` is 0 until the run has counted them. */
  done: number
  total: number
  result: Result | null
  error: string | null
}

/** What a listener receives: the status without the result (read that once with `status`). */
export type JobEvent = Omit<JobStatus<never>, 'result'>

/** Receives a job's events: its state when it starts watching, then after each change; the last is terminal. */
export type JobListener = (event: JobEvent) => void

/** The work of one job: resolves with its result, rejects when it fails or `signal` aborts it. */
export type JobWork<Request, Result> = (
  request: Request,
  options: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
) => Promise<Result>

/** Thrown for a job id this process does not know (never started, or finished and read or expired). */
export class JobNotFoundError extends Error {
  constructor(kind: string, jobId: string) {
    super(`no ${kind} job ${jobId.slice(0, 80)} (finished jobs are kept ten minutes)`)
    this.name = 'JobNotFoundError'
  }
}

interface Job<Result> {
  status: JobState
  done: number
  total: number
  result: Result | null
  error: string | null
  controller: AbortController
  finishedAt: number | null
  listeners: Set<JobListener>
}

export interface JobRunnerOptions<Request, Result> {
  /** Named in messages: "stress", "VaR". */
  kind: string
  work: JobWork<Request, Result>
  /** Units of a finished run's result (done = total = this once it is done). */
  unitsOf: (result: Result) => number
  /** The process's run slots, shared with the other runners and the synchronous runs. */
  slots: StressSlots
}

export class JobRunner<Request extends { workers?: number }, Result> {
  private readonly jobs = new Map<string, Job<Result>>()

  constructor(private readonly options: JobRunnerOptions<Request, Result>) {}

  /**
   * Starts a run in the background and returns its id at once.
   * @throws TooManyWorkersError, StressCapacityError (from the slots) before anything starts
   */
  start(request: Request): string {
    this.sweep()
    this.options.slots.take(request.workers)
    const jobId = randomUUID()
    const job: Job<Result> = { status: 'running', done: 0, total: 0, result: null, error: null, controller: new AbortController(), finishedAt: null, listeners: new Set() }
    this.jobs.set(jobId, job)
    const end = (status: Exclude<JobState, 'running'>, error: string | null, result: Result | null) => {
      job.status = status
      job.error = error
      job.result = result
      job.finishedAt = Date.now()
      this.options.slots.release()
      this.emit(jobId, job)
    }
    // Start on the next turn of the event loop, so the caller gets the id before valuation and packing run.
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        if (job.controller.signal.aborted) throw new Error('cancelled')
        return this.options.work(request, {
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
          job.done = job.total = this.options.unitsOf(result)
          end('done', null, result)
        },
        (e: Error) => (job.controller.signal.aborted ? end('cancelled', 'cancelled', null) : end('failed', e.message, null)),
      )
    return jobId
  }

  /**
   * The job's status; once it has ended, this read hands over the result and forgets the job.
   * @throws JobNotFoundError for an unknown (or expired) job id
   */
  status(jobId: string): JobStatus<Result> {
    const job = this.jobs.get(jobId)
    if (!job) throw new JobNotFoundError(this.options.kind, jobId)
    if (job.status !== 'running') this.jobs.delete(jobId)
    return { jobId, status: job.status, done: job.done, total: job.total, result: job.result, error: job.error }
  }

  /**
   * Follows a job: `listener` gets its state at once (synchronously), then an event after each progress report
   * and a last one when it ends (done, failed or cancelled). Watching does not read the result, so a finished
   * job stays until `status` reads it. Returns a function that stops the events.
   * @throws JobNotFoundError for an unknown (or expired) job id
   */
  watch(jobId: string, listener: JobListener): () => void {
    const job = this.jobs.get(jobId)
    if (!job) throw new JobNotFoundError(this.options.kind, jobId)
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
  private emit(jobId: string, job: Job<Result>): void {
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

function eventOf(jobId: string, job: Job<unknown>): JobEvent {
  return { jobId, status: job.status, done: job.done, total: job.total, error: job.error }
}
