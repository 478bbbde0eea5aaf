import type { RiskdeskApi } from '../shared/api'

declare global {
  interface Window {
    /** Present in the desktop app (preload bridge); absent in a browser, where the HTTP transport is used. */
    riskdesk?: RiskdeskApi
  }
}
export {}
