/** The app shell: portfolio picker, one tab per view (views.ts), the selected view. */
import { useCallback, useEffect, useState } from 'react'
import type { PortfolioSummary } from '../../shared/api'
import { riskdesk } from './platform/api'
import { VIEWS } from './views'

export function App() {
  const [portfolios, setPortfolios] = useState<PortfolioSummary[] | null>(null)
  const [portfolio, setPortfolio] = useState<string | undefined>()
  const [viewId, setViewId] = useState(VIEWS[0]!.id)
  const [generation, setGeneration] = useState(0)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(() => {
    riskdesk
      .listPortfolios({})
      .then((list) => {
        setPortfolios(list)
        setPortfolio((current) => (current && list.some((p) => p.name === current) ? current : list[0]?.name))
        setGeneration((g) => g + 1)
      })
      .catch((e: Error) => setError(e.message))
  }, [])
  useEffect(refresh, [refresh])

  const View = VIEWS.find((v) => v.id === viewId)!.component
  return (
    <div className="app">
      <header>
        <h1>Riskdesk</h1>
        {portfolios && portfolios.length > 0 && (
          <label>
            Portfolio{' '}
            <select value={portfolio} onChange={(e) => setPortfolio(e.target.value)}>
              {portfolios.map((p) => (
                <option key={p.id} value={p.name}>
                  {p.name} ({p.positions} {p.positions === 1 ? 'position' : 'positions'})
                </option>
              ))}
            </select>
          </label>
        )}
        <nav role="tablist">
          {VIEWS.map((v) => (
            <button key={v.id} role="tab" aria-selected={v.id === viewId} onClick={() => setViewId(v.id)}>
              {v.title}
            </button>
          ))}
        </nav>
      </header>
      {error && <p className="error">{error}</p>}
      {portfolios && portfolios.length === 0 && (
        <p className="empty">No portfolio yet. Import one with `riskdesk import FILE`, or run `npm run demo`.</p>
      )}
      <main>
        <View key={`${viewId}:${generation}`} portfolio={portfolio} refresh={refresh} />
      </main>
    </div>
  )
}
