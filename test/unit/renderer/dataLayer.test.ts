/**
 * The renderer's data layer (src/renderer/src/data/apiQueries.ts) on a real TanStack QueryClient: what each
 * write makes stale, and that no late answer overwrites a newer one. The API transport is a hand-driven one
 * here (each call answers when the test says), so the order of answers is chosen, not raced.
 */
import { QueryObserver, type QueryClient, type QueryKey } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import {
  apiKey,
  apiQueryFn,
  BOOK_VERSION_KEY,
  createQueryClient,
  invalidateAfterImport,
  invalidateAfterMarginSettings,
  invalidateAfterPortfolioChange,
  invalidateAfterScenarioSet,
  invalidateAfterWhatIf,
} from '../../../src/renderer/src/data/apiQueries'
import type { RiskdeskApi } from '../../../src/shared/api'

/** Cached answers under these keys, all fresh. */
function seeded(keys: QueryKey[]): QueryClient {
  const client = createQueryClient()
  for (const k of keys) client.setQueryData(k, { seeded: true })
  return client
}
const stale = (client: QueryClient, keys: QueryKey[]) => keys.filter((k) => client.getQueryState(k)?.isInvalidated)

const positionsDemo = apiKey('getPositions', { portfolio: 'demo' })
const positionsDemoLatest = apiKey('getPositions', { portfolio: 'demo', asOf: 'latest' })
const marginDemo = apiKey('getMargin', { portfolio: 'demo' })
const marginOther = apiKey('getMargin', { portfolio: 'other' })
const cascadeDemo = apiKey('runCascade', { portfolio: 'demo' })
const settingsDemo = apiKey('listMarginSettings', { portfolio: 'demo' })
const stressGrid = apiKey('runStress', { portfolio: 'demo', set: 'grid' })
const stressCrash = apiKey('runStress', { portfolio: 'demo', set: 'crash' })
const drillCrash = apiKey('stressDrillDown', { request: { portfolio: 'demo', set: 'crash' }, scenario: 0 })
const marginStressCrash = apiKey('getMarginStress', { portfolio: 'demo', set: 'crash' })
const sets = apiKey('listScenarioSets', {})
const crash = apiKey('getScenarioSet', { name: 'crash' })
const other = apiKey('getScenarioSet', { name: 'other' })
const formats = apiKey('listFormats', {})
const params = apiKey('getMarginParams', {})
const portfolios = apiKey('listPortfolios', {})
const imports = apiKey('listImports', { limit: 20 })
const ALL = [positionsDemo, positionsDemoLatest, marginDemo, marginOther, cascadeDemo, settingsDemo, stressGrid, stressCrash, drillCrash, marginStressCrash, sets, crash, other, formats, params, portfolios, imports]

describe('invalidation', () => {
  it('an import makes every answer read from the book stale, and none of the built-in or saved definitions', async () => {
    const client = seeded(ALL)
    expect(client.getQueryData(BOOK_VERSION_KEY)).toBeUndefined()
    await invalidateAfterImport(client)
    expect(stale(client, ALL)).toEqual([positionsDemo, positionsDemoLatest, marginDemo, marginOther, cascadeDemo, settingsDemo, stressGrid, stressCrash, drillCrash, marginStressCrash, portfolios, imports])
    expect(client.getQueryData(BOOK_VERSION_KEY)).toBe(1)
    await invalidateAfterImport(client)
    expect(client.getQueryData(BOOK_VERSION_KEY)).toBe(2)
  })

  it("a margin-settings save makes that portfolio's margin answers stale, not its positions or stress, nor another portfolio's", async () => {
    const client = seeded(ALL)
    await invalidateAfterMarginSettings(client, 'demo')
    expect(stale(client, ALL)).toEqual([marginDemo, cascadeDemo, settingsDemo, marginStressCrash])
  })

  it('a scenario-set save makes the lists of sets and what ran on that set stale', async () => {
    const client = seeded(ALL)
    await invalidateAfterScenarioSet(client, 'crash')
    expect(stale(client, ALL)).toEqual([stressCrash, drillCrash, marginStressCrash, sets, crash])
  })

  it('a what-if write makes every what-if answer stale (list, report, profile, positions), nothing of the plain book; an import makes them stale too', async () => {
    const whatIfs = [
      apiKey('listWhatIfs', { portfolio: 'demo' }),
      apiKey('getWhatIf', { name: 'paper', set: 'grid' }),
      apiKey('getRiskProfile', { whatIf: 'paper', dates: [0, 'expiry'] }),
      apiKey('getWhatIfPositions', { name: 'paper' }),
    ]
    const client = seeded([...ALL, ...whatIfs])
    await invalidateAfterWhatIf(client)
    expect(stale(client, [...ALL, ...whatIfs])).toEqual(whatIfs)
    const again = seeded([...ALL, ...whatIfs])
    await invalidateAfterImport(again)
    expect(stale(again, whatIfs)).toEqual(whatIfs)
  })
})

describe('after a portfolio is renamed or deleted', () => {
  it("drops the gone name's answers, reads the portfolio list again before the picker moves, then makes the rest stale", async () => {
    const client = seeded(ALL)
    const order: string[] = []
    // The header's list is on show: an observer whose answer is the list after the delete.
    const list = new QueryObserver(client, {
      queryKey: portfolios,
      queryFn: async () => {
        order.push('listPortfolios fetched')
        return [{ id: 2, name: 'other', positions: 1, lastImportAt: null }]
      },
    })
    const unsubscribe = list.subscribe(() => {})
    await invalidateAfterPortfolioChange(client, 'demo', () => order.push('picker moved'))
    expect(order).toEqual(['listPortfolios fetched', 'picker moved'])
    // Every answer asked for "demo" by name (drill-downs by their request's portfolio) is gone, not merely stale.
    const gone: QueryKey[] = [positionsDemo, positionsDemoLatest, marginDemo, cascadeDemo, settingsDemo, stressGrid, stressCrash, drillCrash, marginStressCrash]
    expect(gone.filter((k) => client.getQueryState(k) !== undefined)).toEqual([])
    // The other portfolio's answers and the history are stale (read again when shown); definitions are not.
    const kept = ALL.filter((k) => !gone.includes(k))
    expect(stale(client, kept)).toEqual([marginOther, imports])
    expect(client.getQueryData(BOOK_VERSION_KEY)).toBe(1)
    unsubscribe()
  })
})

describe('no stale answer overwrites a newer one', () => {
  /** A transport whose getPositions calls wait until the test answers them, in the order it chooses. */
  function handDriven() {
    const pending: Array<{ input: unknown; answer: (v: unknown) => void }> = []
    const client = { getPositions: (input: unknown) => new Promise((answer) => pending.push({ input, answer })) } as unknown as RiskdeskApi
    return { client, pending }
  }
  const settle = () => new Promise((r) => setTimeout(r, 0))

  it('an import during a fetch: the fetch after it wins even when the one before answers last', async () => {
    const queryClient = createQueryClient()
    const { client, pending } = handDriven()
    const input = { portfolio: 'demo' }
    const observer = new QueryObserver(queryClient, { queryKey: apiKey('getPositions', input), queryFn: apiQueryFn(client, 'getPositions', input) })
    const stop = observer.subscribe(() => {})
    await settle()
    expect(pending).toHaveLength(1)
    void invalidateAfterImport(queryClient) // the shown view refetches at once
    await settle()
    expect(pending).toHaveLength(2)
    pending[1]!.answer({ positions: 18 })
    pending[0]!.answer({ positions: 16 }) // answered before the import, arriving last
    await settle()
    expect(observer.getCurrentResult().data).toEqual({ positions: 18 })
    expect(queryClient.getQueryData(apiKey('getPositions', input))).toEqual({ positions: 18 })
    stop()
  })

  it('a change of valuation as-of: the earlier as-of answering late is kept under its own key, never shown for the new one', async () => {
    const queryClient = createQueryClient()
    const { client, pending } = handDriven()
    const book = { portfolio: 'demo' }
    const latest = { portfolio: 'demo', asOf: 'latest' }
    const observer = new QueryObserver(queryClient, { queryKey: apiKey('getPositions', book), queryFn: apiQueryFn(client, 'getPositions', book) })
    const stop = observer.subscribe(() => {})
    await settle()
    observer.setOptions({ queryKey: apiKey('getPositions', latest), queryFn: apiQueryFn(client, 'getPositions', latest) })
    await settle()
    expect(pending.map((p) => p.input)).toEqual([book, latest])
    pending[1]!.answer({ asOf: 'latest' })
    pending[0]!.answer({ asOf: 'book' })
    await settle()
    expect(observer.getCurrentResult().data).toEqual({ asOf: 'latest' })
    expect(queryClient.getQueryData(apiKey('getPositions', book))).toEqual({ asOf: 'book' })
    stop()
  })
})
