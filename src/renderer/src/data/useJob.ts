/**
 * Runs a request as a job (services/jobRunner.ts on the main side), for the Stress view (`stressJob`) and the VaR
 * view (`varJob`): starts it, follows its progress, reads the result once it ends, and can cancel it. Progress is
 * pushed where the host can (a stress job: platform/api.ts `watchStressJob`, IPC events or server-sent events)
 * and polled otherwise, or when the push channel fails mid-run. The same calls work over IPC and HTTP, so the
 * progress bar and Cancel work in the desktop app and the browser.
 *
 * Only the latest run updates the state: a run started later, or the view going away, silences an earlier one
 * (the view going away also cancels the run in flight). A run that is cancelled or fails keeps the previous
 * result on show, marked stale (`stale` says why), so a Cancel never blanks the figures the user was reading.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { StressRequest, StressResult } from '../../../shared/stressApi'
import type { VarRequest, VarResult } from '../../../shared/varApi'
import { riskdesk, watchStressJob } from '../platform/api'

/** A job's status as getStressJob / getVarJob answer it. */
interface JobStatus<Result> {
  status: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number
  result: Result | null
  error: string | null
}
/** A started job; `ticket` opens the web host's event stream of a stress job. */
interface StartedJob {
  jobId: string
  ticket?: string
}
type Listener = (event: Omit<JobStatus<never>, 'result'>) => void

/** The calls of one kind of job. */
export interface JobCalls<Request, Result> {
  start(request: Request): Promise<StartedJob>
  status(jobId: string): Promise<JobStatus<Result>>
  cancel(jobId: string): Promise<unknown>
  /** Follows pushed progress; null when this host cannot push. Omitted: this kind of job is polled. */
  watch?(job: StartedJob, listener: Listener, lost: () => void): (() => void) | null
}

export const stressJob: JobCalls<StressRequest, StressResult> = {
  start: (request) => riskdesk.startStress(request),
  status: (jobId) => riskdesk.getStressJob({ jobId }),
  cancel: (jobId) => riskdesk.cancelStress({ jobId }),
  watch: (job, listener, lost) => watchStressJob(job, listener, lost),
}

export const varJob: JobCalls<VarRequest, VarResult> = {
  start: (request) => riskdesk.startVar(request),
  status: (jobId) => riskdesk.getVarJob({ jobId }),
  cancel: (jobId) => riskdesk.cancelVar({ jobId }),
}

export interface JobState<Result> {
  running: boolean
  /** Units (scenarios, paths) done and in all; total 0 until the run has counted them. */
  done: number
  total: number
  /** The last run's result, or the previous one when the last run was cancelled or failed (then `stale`). */
  result: Result | null
  /** Why the last run failed (null when it was done or cancelled). */
  error: string | null
  /** Why `result` is not the last run's: it was cancelled, or failed; null when it is. */
  stale: string | null
  /** The last run was cancelled. */
  cancelled: boolean
}

/** Polling interval when progress is not pushed (ms). */
const POLL_MS = 100

/** `calls` must be one of the constants above (not a new object per render). */
export function useJob<Request, Result>(calls: JobCalls<Request, Result>) {
  const [state, setState] = useState<JobState<Result>>({ running: false, done: 0, total: 0, result: null, error: null, stale: null, cancelled: false })
  const jobId = useRef<string | null>(null)
  /** Stops following the job being followed (its run then ends quietly). */
  const stopFollowing = useRef<(() => void) | null>(null)
  // Cancel pressed before the job id came back: cancel as soon as it does.
  const cancelWanted = useRef(false)
  const runs = useRef(0)
  const live = useRef(true)
  useEffect(() => {
    live.current = true
    return () => {
      live.current = false
      stopFollowing.current?.()
      if (jobId.current) void calls.cancel(jobId.current)
    }
  }, [calls])

  const run = useCallback(
    async (request: Request) => {
      const runNo = ++runs.current
      const isCurrent = () => live.current && runs.current === runNo
      stopFollowing.current?.()
      const previous = jobId.current
      jobId.current = null
      cancelWanted.current = false
      setState((s) => ({ ...s, running: true, done: 0, total: 0, error: null, cancelled: false }))
      try {
        if (previous) await calls.cancel(previous)
        if (!isCurrent()) return
        const job = await calls.start(request)
        if (!isCurrent()) return void calls.cancel(job.jobId)
        jobId.current = job.jobId
        if (cancelWanted.current) await calls.cancel(job.jobId)
        const status = await follow(calls, job, isCurrent, (done, total) => setState((s) => ({ ...s, done, total })), stopFollowing)
        if (!status || !isCurrent()) return
        jobId.current = null
        setState((s) =>
          status.status === 'done'
            ? { running: false, done: status.done, total: status.total, result: status.result ?? null, error: null, stale: null, cancelled: false }
            : {
                ...s,
                running: false,
                done: status.done,
                total: status.total,
                error: status.status === 'cancelled' ? null : (status.error ?? status.status),
                stale: s.result ? (status.status === 'cancelled' ? 'the run was cancelled' : 'the run failed') : null,
                cancelled: status.status === 'cancelled',
              },
        )
      } catch (e) {
        if (isCurrent()) setState((s) => ({ ...s, running: false, error: (e as Error).message, stale: s.result ? 'the run failed' : null }))
      }
    },
    [calls],
  )

  const cancel = useCallback(async () => {
    cancelWanted.current = true
    if (jobId.current) await calls.cancel(jobId.current)
  }, [calls])

  return { state, run, cancel }
}

/**
 * Resolves with a job's final status (with its result), following pushed events or, failing those, polling;
 * with null once the run is no longer current or `stop` is called (stored in `stopRef` meanwhile).
 */
function follow<Result>(
  calls: JobCalls<unknown, Result>,
  job: StartedJob,
  isCurrent: () => boolean,
  onProgress: (done: number, total: number) => void,
  stopRef: { current: (() => void) | null },
): Promise<JobStatus<Result> | null> {
  return new Promise<JobStatus<Result> | null>((resolve, reject) => {
    const id = job.jobId
    let unwatch: (() => void) | null = null
    let settled = false
    const settle = (f: () => void) => {
      if (settled) return
      settled = true
      unwatch?.()
      stopRef.current = null
      f()
    }
    stopRef.current = () => settle(() => resolve(null))
    const poll = async () => {
      for (;;) {
        const status = await calls.status(id)
        if (settled) return
        if (!isCurrent()) return settle(() => resolve(null))
        if (status.status !== 'running') return settle(() => resolve(status))
        onProgress(status.done, status.total)
        await new Promise((r) => setTimeout(r, POLL_MS))
      }
    }
    const pollInstead = () => void poll().catch((e: unknown) => settle(() => reject(e)))
    unwatch =
      calls.watch?.(
        job,
        (event) => {
          if (settled) return
          if (!isCurrent()) return settle(() => resolve(null))
          if (event.status === 'running') return onProgress(event.done, event.total)
          // The last event carries no result: read it once (this also frees the finished job on the main side).
          calls.status(id).then(
            (status) => settle(() => resolve(status)),
            (e: unknown) => settle(() => reject(e)),
          )
        },
        pollInstead,
      ) ?? null
    if (!unwatch) pollInstead()
  })
}
