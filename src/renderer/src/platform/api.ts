/**
 * The renderer's one way to reach Riskdesk: the preload bridge in the desktop app, or HTTP to
 * `riskdesk serve` in a browser. The rest of the renderer never knows which (DESIGN.md §2).
 *
 * Besides the calls, the hosts push a stress job's progress (`watchStressJob`): IPC events in the desktop app,
 * server-sent events from the web host (an EventSource opened with the job's ticket from startStress).
 */
import type { ApiInput, ApiName, ApiOutput, RiskdeskApi, StartedStressJob, StressJobEvent } from '../../../shared/api'
import { API_NAMES } from '../../../shared/apiNames'

const TOKEN_KEY = 'riskdesk.token'

/** Takes the per-start token from the URL fragment (#token=…) once, keeps it for this tab, hides it. */
function webToken(): string {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!)
    history.replaceState(null, '', window.location.pathname + window.location.search)
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function httpApi(): RiskdeskApi {
  const token = webToken()
  const call = async <K extends ApiName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>> => {
    const response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(input ?? {}),
    })
    const body = (await response.json()) as { result?: ApiOutput<K>; error?: string }
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`)
    return body.result as ApiOutput<K>
  }
  return Object.fromEntries(API_NAMES.map((name) => [name, (input: never) => call(name, input)])) as RiskdeskApi
}

export const riskdesk: RiskdeskApi = window.riskdesk ?? httpApi()

/** Receives a job's events; the last one is the first whose status is not `running`. */
export type StressJobListener = (event: StressJobEvent) => void

/**
 * Follows a started stress job's progress as the host pushes it. `listener` gets every event up to the
 * terminal one; `lost` is called (once, instead of further events) when the push channel fails before that,
 * so the caller can poll getStressJob from then on. Returns the function that stops following, or null when
 * this host cannot push (poll instead).
 */
export function watchStressJob(job: StartedStressJob, listener: StressJobListener, lost: () => void): (() => void) | null {
  if (window.riskdeskEvents) return ipcEvents.watch(job.jobId, listener)
  if (job.ticket) return watchServerSentEvents(job.jobId, job.ticket, listener, lost)
  return null
}

const isJobEvent = (v: unknown): v is StressJobEvent =>
  typeof v === 'object' && v !== null && typeof (v as StressJobEvent).jobId === 'string' && typeof (v as StressJobEvent).status === 'string'

/** The web host's event stream of one job (GET /api/events/stressJob, checked by its ticket). */
function watchServerSentEvents(jobId: string, ticket: string, listener: StressJobListener, lost: () => void): () => void {
  const source = new EventSource(`/api/events/stressJob?jobId=${encodeURIComponent(jobId)}&ticket=${encodeURIComponent(ticket)}`)
  let open = true
  const close = () => {
    open = false
    source.close()
  }
  source.onmessage = (message: MessageEvent<string>) => {
    if (!open) return
    const event: unknown = JSON.parse(message.data)
    if (!isJobEvent(event) || event.jobId !== jobId) return
    if (event.status !== 'running') close() // before the server's end of stream, which EventSource would retry
    listener(event)
  }
  source.onerror = () => {
    if (!open) return
    close()
    lost()
  }
  return close
}

/**
 * The desktop app's events: one subscription for the page's life, since the main process starts pushing a job's
 * events before startStress's reply arrives; an event for a job nobody follows yet is kept (its latest only)
 * for the watcher that comes.
 */
const ipcEvents = (() => {
  const watchers = new Map<string, StressJobListener>()
  const pending = new Map<string, StressJobEvent>()
  const KEEP_PENDING = 32
  window.riskdeskEvents?.subscribe('stressJob', (payload) => {
    if (!isJobEvent(payload)) return
    const watcher = watchers.get(payload.jobId)
    if (watcher) {
      if (payload.status !== 'running') watchers.delete(payload.jobId)
      watcher(payload)
      return
    }
    pending.delete(payload.jobId)
    pending.set(payload.jobId, payload)
    if (pending.size > KEEP_PENDING) pending.delete(pending.keys().next().value!)
  })
  return {
    watch(jobId: string, listener: StressJobListener): () => void {
      const early = pending.get(jobId)
      pending.delete(jobId)
      if (early) listener(early)
      if (early && early.status !== 'running') return () => {}
      watchers.set(jobId, listener)
      return () => void watchers.delete(jobId)
    },
  }
})()
