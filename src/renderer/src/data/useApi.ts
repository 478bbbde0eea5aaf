/**
 * Hooks of the data layer (keys and invalidation rules in apiQueries.ts): every view reads the API through
 * `useApiQuery`, so one call with one input is fetched once and shared by whoever shows it, and the writes
 * that change the book say so through `useInvalidate`.
 *
 * A view that is not on show (views stay mounted, hidden) does not fetch: its queries wait until it is shown
 * again, and then refetch only what an invalidation made stale meanwhile (ViewActivity).
 */
import { keepPreviousData, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query'
import { useCallback, useMemo } from 'react'
import type { ApiInput, ApiName, ApiOutput } from '../../../shared/api'
import { riskdesk } from '../platform/api'
import {
  apiKey,
  apiQueryFn,
  BOOK_VERSION_KEY,
  invalidateAfterImport,
  invalidateAfterMarginSettings,
  invalidateAfterPortfolioChange,
  invalidateAfterScenarioSet,
  invalidateAfterWhatIf,
  invalidateMappings,
} from './apiQueries'
import { useViewActive } from './viewActivity'

export interface ApiQueryOptions {
  /** False holds the query (e.g. until another answer it needs has come). Default true. */
  enabled?: boolean
  /** Keep showing the previous key's answer while a new key's is fetched (no blank panel on a change of as-of). */
  keepPrevious?: boolean
}

/**
 * One API call as a cached query. `input` undefined holds it (nothing to ask yet, e.g. no portfolio).
 * Fetches only while the view holding it is on show.
 */
export function useApiQuery<K extends ApiName>(name: K, input: ApiInput<K> | undefined, options: ApiQueryOptions = {}): UseQueryResult<ApiOutput<K>, Error> {
  const active = useViewActive()
  return useQuery<ApiOutput<K>, Error, ApiOutput<K>, readonly unknown[]>({
    queryKey: apiKey(name, input as ApiInput<K>),
    queryFn: apiQueryFn(riskdesk, name, input as ApiInput<K>),
    enabled: active && input !== undefined && (options.enabled ?? true),
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  })
}

/** The saved scenario sets, fetched once and shared (Stress view, its editor, Margin view). */
export function useScenarioSets() {
  return useApiQuery('listScenarioSets', {})
}

/** Counts the imports of this page's life (see BOOK_VERSION_KEY). */
export function useBookVersion(): number {
  const { data } = useQuery({ queryKey: BOOK_VERSION_KEY, queryFn: () => 0, initialData: 0, staleTime: Infinity, gcTime: Infinity })
  return data
}

/**
 * A read on demand (a click, not a render) through the same cache: answered from it when fresh, fetched and
 * stored otherwise.
 */
export function useApiFetch() {
  const client = useQueryClient()
  return useCallback(
    <K extends ApiName>(name: K, input: ApiInput<K>): Promise<ApiOutput<K>> =>
      client.fetchQuery({ queryKey: apiKey(name, input), queryFn: apiQueryFn(riskdesk, name, input) }),
    [client],
  )
}

/** What the writes tell the cache (apiQueries.ts says what each makes stale). */
export function useInvalidate() {
  const client = useQueryClient()
  return useMemo(
    () => ({
      afterImport: () => invalidateAfterImport(client),
      /** The database changed outside this page (a CLI import, say): read the book again, as after an import. */
      reloadBook: () => invalidateAfterImport(client),
      afterMarginSettings: (portfolio: string) => invalidateAfterMarginSettings(client, portfolio),
      afterScenarioSet: (name: string) => invalidateAfterScenarioSet(client, name),
      afterMapping: () => invalidateMappings(client),
      afterWhatIf: () => invalidateAfterWhatIf(client),
      /** After a rename or delete (`goneName`: the name that no longer exists; `select` moves the header's picker) or a
       * removal of positions or an import. */
      afterPortfolioChange: (goneName?: string, select?: () => void) => invalidateAfterPortfolioChange(client, goneName, select),
    }),
    [client],
  )
}
