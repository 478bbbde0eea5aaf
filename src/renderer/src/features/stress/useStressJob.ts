/**
 * Runs a stress request as a job: starts it, polls its progress until it finishes, and can cancel it. The
 * same calls work over IPC and HTTP, so the progress bar and Cancel work in the desktop app and the browser.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { StressRequest, StressResult } from '../../../../shared/stressApi'
import { riskdesk } from '../../platform/api'

export interface StressJobState {
  running: boolean
  done: number
  total: number
  result: StressResult | null
  error: string | null
}

const POLL_MS = 100

export function useStressJob() {
  const [state, setState] = useState<StressJobState>({ running: false, done: 0, total: 0, result: null, error: null })
  const jobId = useRef<string | null>(null)
  // Cancel pressed before the job id came back: cancel as soon as it does.
  const cancelWanted = useRef(false)
  const live = useRef(true)
  useEffect(
    () => () => {
      live.current = false
      if (jobId.current) void riskdesk.cancelStress({ jobId: jobId.current })
    },
    [],
  )

  const run = useCallback(async (request: StressRequest) => {
    if (jobId.current) await riskdesk.cancelStress({ jobId: jobId.current })
    cancelWanted.current = false
    setState((s) => ({ ...s, running: true, done: 0, total: 0, error: null }))
    try {
      const { jobId: id } = await riskdesk.startStress(request)
      jobId.current = id
      if (cancelWanted.current) await riskdesk.cancelStress({ jobId: id })
      for (;;) {
        const status = await riskdesk.getStressJob({ jobId: id })
        if (!live.current || jobId.current !== id) return
        if (status.status === 'running') {
          setState((s) => ({ ...s, done: status.done, total: status.total }))
          await new Promise((r) => setTimeout(r, POLL_MS))
          continue
        }
        jobId.current = null
        setState({
          running: false,
          done: status.done,
          total: status.total,
          result: status.result ?? null,
          error: status.status === 'done' ? null : (status.error ?? status.status),
        })
        return
      }
    } catch (e) {
      if (live.current) setState((s) => ({ ...s, running: false, error: (e as Error).message }))
    }
  }, [])

  const cancel = useCallback(async () => {
    cancelWanted.current = true
    if (jobId.current) await riskdesk.cancelStress({ jobId: jobId.current })
  }, [])

  return { state, run, cancel }
}
