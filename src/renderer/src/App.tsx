/** The app shell: portfolio picker, one tab per view (views.ts), the selected view (loaded on demand). */
import { Component, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react'
import type { PortfolioSummary } from '../../shared/api'
import { AsOfPicker } from './components/AsOfPicker'
import { riskdesk } from './platform/api'
import { VIEWS } from './views'

/** Shows a view whose code failed to load (or that threw while rendering) as a message, not a blank app. */
class ViewErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  override render() {
    if (this.state.error) return <p className="error">This view failed: {this.state.error.message}. Reload the page to try again.</p>
    return this.props.children
  }
}

export function App() {
  const [portfolios, setPortfolios] = useState<PortfolioSummary[] | null>(null)
  const [portfolio, setPortfolio] = useState<string | undefined>()
  const [asOf, setAsOf] = useState<string | undefined>()
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
            <select
              data-testid="portfolio-picker"
              value={portfolio}
              onChange={(e) => {
                setPortfolio(e.target.value)
                setAsOf(undefined)
              }}
            >
              {portfolios.map((p) => (
                <option key={p.id} value={p.name}>
                  {p.name} ({p.positions} {p.positions === 1 ? 'position' : 'positions'})
                </option>
              ))}
            </select>
          </label>
        )}
        {portfolios && portfolios.length > 0 && <AsOfPicker portfolio={portfolio} value={asOf} onChange={setAsOf} />}
        <nav role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              role="tab"
              aria-selected={v.id === viewId}
              onClick={() => setViewId(v.id)}
              onPointerEnter={() => void v.preload()}
              onFocus={() => void v.preload()}
            >
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
        <ViewErrorBoundary key={viewId}>
          <Suspense fallback={<p className="busy">loading…</p>}>
            <View key={`${viewId}:${generation}`} portfolio={portfolio} asOf={asOf} refresh={refresh} />
          </Suspense>
        </ViewErrorBoundary>
      </main>
    </div>
  )
}
