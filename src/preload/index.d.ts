import type { RiskdeskApi } from '../shared/api'
import type { EventName } from '../shared/apiNames'

declare global {
  interface Window {
    /** Present in the desktop app (preload bridge); absent in a browser, where the HTTP transport is used. */
    riskdesk?: RiskdeskApi
    /** Present in the desktop app: events the main process pushes (payloads as api.ts types them). */
    riskdeskEvents?: { subscribe(name: EventName, listener: (payload: unknown) => void): () => void }
  }
}
export {}
