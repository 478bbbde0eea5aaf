/**
 * The renderer's one way to reach Riskdesk: the preload bridge in the desktop app, or HTTP to
 * `riskdesk serve` in a browser. The rest of the renderer never knows which (DESIGN.md §2).
 */
import type { ApiInput, ApiName, ApiOutput, RiskdeskApi } from '../../../shared/api'
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
