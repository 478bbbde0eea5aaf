/**
 * Runs a VaR request as a job (startVar), polls its progress (getVarJob), reads the result once it ends, and can
 * cancel it (cancelVar): the Monte Carlo progress bar and Cancel work over IPC and HTTP alike. Only the latest
 * run updates the state; the view going away cancels a run in flight.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { VarRequest, VarResult } from '../../../../shared/varApi'
import { riskdesk } from '../../platform/api'

export interface VarJobState {
  running: boolean
  done: number
  total: number
  result: VarResult | null
  error: string | null
}

const POLL_MS = 100

export function useVarJob() {
  const [state, setState] = useState<VarJobState>({ running: false, done: 0, total: 0, result: null, error: null })
  const jobId = useRef<string | null>(null)
  const cancelWanted = useRef(false)
  const runs = useRef(0)
  const live = useRef(true)
  useEffect(() => {
    live.current = true
    return () => {
      live.current = false
      if (jobId.current) void riskdesk.cancelVar({ jobId: jobId.current })
    }
  }, [])

  const run = useCallback(async (request: VarRequest) => {
    const runNo = ++runs.current
    const isCurrent = () => live.current && runs.current === runNo
    const previous = jobId.current
    jobId.current = null
    cancelWanted.current = false
    setState((s) => ({ ...s, running: true, done: 0, total: 0, error: null }))
    try {
      if (previous) await riskdesk.cancelVar({ jobId: previous })
      const { jobId: id } = await riskdesk.startVar(request)
      if (!isCurrent()) return void riskdesk.cancelVar({ jobId: id })
      jobId.current = id
      if (cancelWanted.current) await riskdesk.cancelVar({ jobId: id })
      for (;;) {
        const job = await riskdesk.getVarJob({ jobId: id })
        if (!isCurrent()) return
        if (job.status === 'running') {
          setState((s) => ({ ...s, done: job.done, total: job.total }))
          await new Promise((r) => setTimeout(r, POLL_MS))
          continue
        }
        jobId.current = null
        // A failed or cancelled run leaves the last result on show, with the error beside it.
        setState((s) => ({
          running: false,
          done: job.done,
          total: job.total,
          result: job.status === 'done' ? job.result : s.result,
          error: job.status === 'done' ? null : (job.error ?? job.status),
        }))
        return
      }
    } catch (e) {
      if (isCurrent()) setState((s) => ({ ...s, running: false, error: (e as Error).message }))
    }
  }, [])

  const cancel = useCallback(async () => {
    cancelWanted.current = true
    if (jobId.current) await riskdesk.cancelVar({ jobId: jobId.current })
  }, [])

  return { state, run, cancel }
}
