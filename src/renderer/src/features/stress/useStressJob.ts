/**
 * Runs a stress request as a job: starts it, follows its progress as the host pushes it (platform/api.ts
 * `watchStressJob`: IPC events or server-sent events), reads the result once it ends, and can cancel it. When
 * the host cannot push, or the push channel fails mid-run, it polls getStressJob instead. The same calls work
 * over IPC and HTTP, so the progress bar and Cancel work in the desktop app and the browser.
 *
 * Only the latest run updates the state: a run started later, or the view going away, silences an earlier one.
 * A run that is cancelled or fails keeps the previous result on show, marked stale (`stale` says why), so a
 * Cancel never blanks the figures the user was reading.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { StartedStressJob, StressJobStatus } from '../../../../shared/api'
import type { StressRequest, StressResult } from '../../../../shared/stressApi'
import { riskdesk, watchStressJob } from '../../platform/api'

export interface StressJobState {
  running: boolean
  done: number
  total: number
  /** The last run's result, or the previous one when the last run was cancelled or failed (then `stale`). */
  result: StressResult | null
  /** Why the last run failed (null when it was done or cancelled). */
  error: string | null
  /** Why `result` is not the last run's: it was cancelled, or failed; null when it is. */
  stale: string | null
  /** The last run was cancelled. */
  cancelled: boolean
}

/** Polling interval when progress is not pushed (ms). */
const POLL_MS = 100

export function useStressJob() {
  const [state, setState] = useState<StressJobState>({ running: false, done: 0, total: 0, result: null, error: null, stale: null, cancelled: false })
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
      if (jobId.current) void riskdesk.cancelStress({ jobId: jobId.current })
    }
  }, [])

  const run = useCallback(async (request: StressRequest) => {
    const runNo = ++runs.current
    const isCurrent = () => live.current && runs.current === runNo
    stopFollowing.current?.()
    const previous = jobId.current
    jobId.current = null
    cancelWanted.current = false
    setState((s) => ({ ...s, running: true, done: 0, total: 0, error: null, cancelled: false }))
    try {
      if (previous) await riskdesk.cancelStress({ jobId: previous })
      if (!isCurrent()) return
      const job = await riskdesk.startStress(request)
      if (!isCurrent()) return void riskdesk.cancelStress({ jobId: job.jobId })
      jobId.current = job.jobId
      if (cancelWanted.current) await riskdesk.cancelStress({ jobId: job.jobId })
      const status = await follow(job, isCurrent, (done, total) => setState((s) => ({ ...s, done, total })), stopFollowing)
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
  }, [])

  const cancel = useCallback(async () => {
    cancelWanted.current = true
    if (jobId.current) await riskdesk.cancelStress({ jobId: jobId.current })
  }, [])

  return { state, run, cancel }
}

/**
 * Resolves with a job's final status (with its result), following pushed events or, failing those, polling;
 * with null once the run is no longer current or `stop` is called (stored in `stopRef` meanwhile).
 */
function follow(
  job: StartedStressJob,
  isCurrent: () => boolean,
  onProgress: (done: number, total: number) => void,
  stopRef: { current: (() => void) | null },
): Promise<StressJobStatus | null> {
  return new Promise<StressJobStatus | null>((resolve, reject) => {
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
        const status = await riskdesk.getStressJob({ jobId: id })
        if (settled) return
        if (!isCurrent()) return settle(() => resolve(null))
        if (status.status !== 'running') return settle(() => resolve(status))
        onProgress(status.done, status.total)
        await new Promise((r) => setTimeout(r, POLL_MS))
      }
    }
    const pollInstead = () => void poll().catch((e: unknown) => settle(() => reject(e)))
    unwatch = watchStressJob(
      job,
      (event) => {
        if (settled) return
        if (!isCurrent()) return settle(() => resolve(null))
        if (event.status === 'running') return onProgress(event.done, event.total)
        // The last event carries no result: read it once (this also frees the finished job on the main side).
        riskdesk.getStressJob({ jobId: id }).then(
          (status) => settle(() => resolve(status)),
          (e: unknown) => settle(() => reject(e)),
        )
      },
      pollInstead,
    )
    if (!unwatch) pollInstead()
  })
}
