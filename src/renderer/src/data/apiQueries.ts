/**
 * The renderer's data layer, transport-free part: query keys per API call and input, the query client's
 * defaults, and which cached answers an import, a margin-settings save or a scenario-set save makes stale.
 * Hooks over it are in useApi.ts; TanStack Query (https://tanstack.com/query/v5) does the caching.
 *
 * Keys: `['riskdesk', call, input]`: the input holds the portfolio and the header's valuation as-of
 * (`asOf`), so a change of either is another key, and an answer is only ever stored under the key it was
 * asked for: a late answer for an earlier portfolio or as-of never shows under a newer one. For the same key,
 * an invalidation first cancels the fetches in flight (`stale` below), so an answer asked for before a write
 * and arriving after it is dropped, even on a first load (where TanStack's own `cancelRefetch` would instead
 * wait for it and keep it as fresh).
 */
import { QueryClient, type QueryKey } from '@tanstack/react-query'
import type { ApiInput, ApiName, ApiOutput, RiskdeskApi } from '../../../shared/api'

export const API_KEY_ROOT = 'riskdesk'

export type ApiKey<K extends ApiName = ApiName> = readonly [typeof API_KEY_ROOT, K, ApiInput<K>]

/** The query key of a call with this input. */
export function apiKey<K extends ApiName>(name: K, input: ApiInput<K>): ApiKey<K> {
  return [API_KEY_ROOT, name, input] as const
}

/** The query function of a call: the typed client's call with this input. */
export function apiQueryFn<K extends ApiName>(client: RiskdeskApi, name: K, input: ApiInput<K>): () => Promise<ApiOutput<K>> {
  return () => (client[name] as (i: ApiInput<K>) => Promise<ApiOutput<K>>)(input)
}

/**
 * Answers read from the book (positions, balances, market data, imports): stale after an import. Not here:
 * the calls that read only built-in tables or saved definitions (listFormats, getMarginParams,
 * getScenarioSet, listScenarioSets, getStressSettings, listMappings).
 */
export const BOOK_CALLS: ReadonlySet<ApiName> = new Set<ApiName>([
  'listPortfolios',
  'getPositions',
  'listMarketSnapshots',
  'runStress',
  'stressDrillDown',
  'listImports',
  'getMargin',
  'getMarginStress',
  'runCascade',
  'listMarginSettings',
  'getVolSurface',
  'listWhatIfs',
  'getWhatIf',
  'getWhatIfPositions',
  'getRiskProfile',
  'suggestHedge',
  'getWhatIfVar',
])

/** Answers that read what-if books (their legs): stale after a what-if is created, renamed, deleted or its legs change. */
export const WHATIF_CALLS: ReadonlySet<ApiName> = new Set<ApiName>(['listWhatIfs', 'getWhatIf', 'getWhatIfPositions', 'getRiskProfile'])

/** Answers that depend on a portfolio's margin settings (rule, leverage, isolated margin). */
export const MARGIN_SETTINGS_CALLS: ReadonlySet<ApiName> = new Set<ApiName>(['getMargin', 'getMarginStress', 'runCascade', 'listMarginSettings'])

/** Answers that read a scenario set by name (the `set` of the request). */
const CALLS_BY_SET: ReadonlySet<ApiName> = new Set<ApiName>(['runStress', 'getMarginStress', 'stressDrillDown'])

function parts(key: QueryKey): { name: ApiName; input: Record<string, unknown> } | null {
  if (key[0] !== API_KEY_ROOT || typeof key[1] !== 'string') return null
  return { name: key[1] as ApiName, input: (key[2] ?? {}) as Record<string, unknown> }
}

/** True for a query an import makes stale. */
export function isBookQuery(key: QueryKey): boolean {
  const p = parts(key)
  return p !== null && BOOK_CALLS.has(p.name)
}

/** True for a query a save of `portfolio`'s margin settings makes stale (a call without a portfolio reads the latest one: any). */
export function dependsOnMarginSettings(key: QueryKey, portfolio: string): boolean {
  const p = parts(key)
  if (!p || !MARGIN_SETTINGS_CALLS.has(p.name)) return false
  return p.input.portfolio === undefined || p.input.portfolio === portfolio
}

/** True for a query a save or delete of scenario set `name` makes stale. */
export function dependsOnScenarioSet(key: QueryKey, name: string): boolean {
  const p = parts(key)
  if (!p) return false
  if (p.name === 'listScenarioSets') return true
  if (p.name === 'getScenarioSet') return p.input.name === name
  if (!CALLS_BY_SET.has(p.name)) return false
  const request = (p.name === 'stressDrillDown' ? p.input.request : p.input) as { set?: unknown } | undefined
  return request?.set === name
}

/**
 * A count of the book's changes in this page (imports), for what is not a cached answer but must follow the
 * book: the Stress view's job runs again when it changes.
 */
export const BOOK_VERSION_KEY = ['riskdesk-local', 'bookVersion'] as const

/**
 * Marks the matching answers stale after a write: fetches in flight are cancelled first (their answers were
 * asked before the write), then the shown views refetch at once and hidden ones when shown again.
 * Resolves when the refetches of the shown views are done.
 */
async function stale(client: QueryClient, predicate: (key: QueryKey) => boolean): Promise<void> {
  await client.cancelQueries({ predicate: (q) => predicate(q.queryKey) })
  await client.invalidateQueries({ predicate: (q) => predicate(q.queryKey) })
}

/** After an import: every answer read from the book. */
export function invalidateAfterImport(client: QueryClient): Promise<void> {
  client.setQueryData<number>(BOOK_VERSION_KEY, (v) => (v ?? 0) + 1)
  return stale(client, isBookQuery)
}

/** True for a query asked for this portfolio by name (its answers are gone once it is renamed or deleted). */
export function namesPortfolio(key: QueryKey, portfolio: string): boolean {
  const p = parts(key)
  if (!p) return false
  const request = (p.name === 'stressDrillDown' ? p.input.request : p.input) as { portfolio?: unknown } | undefined
  return request?.portfolio === portfolio
}

/**
 * After a portfolio was renamed or deleted, or positions or an import were removed. In this order: the answers
 * asked under a name that no longer exists (`goneName`) are cancelled and dropped (a later portfolio of that
 * name is another book); the portfolio list is read again, so the header never offers — and no view asks
 * for — a gone name; `select` then moves the header's picker (to the new name after a rename); last, every
 * other answer read from the book is stale, as after an import (the list, just read, is not read twice).
 */
export async function invalidateAfterPortfolioChange(client: QueryClient, goneName?: string, select?: () => void): Promise<void> {
  if (goneName !== undefined) {
    const gone = (key: QueryKey) => namesPortfolio(key, goneName)
    await client.cancelQueries({ predicate: (q) => gone(q.queryKey) })
    client.removeQueries({ predicate: (q) => gone(q.queryKey) })
  }
  const isList = (key: QueryKey) => key[0] === API_KEY_ROOT && key[1] === 'listPortfolios'
  await stale(client, isList)
  select?.()
  client.setQueryData<number>(BOOK_VERSION_KEY, (v) => (v ?? 0) + 1)
  await stale(client, (key) => isBookQuery(key) && !isList(key))
}

/** After a save of one portfolio's margin settings. */
export function invalidateAfterMarginSettings(client: QueryClient, portfolio: string): Promise<void> {
  return stale(client, (key) => dependsOnMarginSettings(key, portfolio))
}

/** After a save or delete of a scenario set. */
export function invalidateAfterScenarioSet(client: QueryClient, name: string): Promise<void> {
  return stale(client, (key) => dependsOnScenarioSet(key, name))
}

/** True for a query a write to a what-if book makes stale (any book: a rename moves a name, a list counts legs). */
export function readsWhatIfs(key: QueryKey): boolean {
  const p = parts(key)
  return p !== null && WHATIF_CALLS.has(p.name)
}

/** After a what-if book or its legs changed (create, rename, duplicate, delete, add / resize / remove a leg). */
export function invalidateAfterWhatIf(client: QueryClient): Promise<void> {
  return stale(client, readsWhatIfs)
}

/** After a column mapping is saved or deleted. */
export function invalidateMappings(client: QueryClient): Promise<void> {
  return stale(client, (key) => key[0] === API_KEY_ROOT && key[1] === 'listMappings')
}

/**
 * The app's query client. Answers stay fresh until one of the invalidations above (the app's own writes are
 * the only ones while it runs; a reload reads everything again), so showing a view again never refetches;
 * no refetch on window focus or reconnect; no retry (an error is shown as it came).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, gcTime: 10 * 60_000, refetchOnWindowFocus: false, refetchOnReconnect: false, retry: false },
      mutations: { retry: false },
    },
  })
}
