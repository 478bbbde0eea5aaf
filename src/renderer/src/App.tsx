/**
 * The app shell: portfolio picker, valuation as-of, one tab per view (views.ts). A view is loaded on demand
 * when its tab is first shown and then stays mounted, hidden while another tab is on show (its queries hold
 * meanwhile: data/viewActivity.ts), so coming back to it shows it as it was left.
 */
import { Component, Suspense, useState, type ReactNode } from 'react'
import { AsOfPicker } from './components/AsOfPicker'
import { useApiQuery, useInvalidate } from './data/useApi'
import { ViewActivity } from './data/viewActivity'
import { ExportPdfButton } from './features/report/ExportPdfButton'
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
  const portfolios = useApiQuery('listPortfolios', {})
  const list = portfolios.data
  const invalidate = useInvalidate()
  const [chosen, setChosen] = useState<string | undefined>()
  const [asOf, setAsOf] = useState<string | undefined>()
  const [viewId, setViewId] = useState(VIEWS[0]!.id)
  // Views shown at least once: mounted from then on.
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([VIEWS[0]!.id]))
  // The chosen portfolio while it exists, else the most recently imported one (the list's first).
  const portfolio = list && (list.some((p) => p.name === chosen) ? chosen : list[0]?.name)

  const show = (id: string) => {
    setViewId(id)
    setOpened((s) => (s.has(id) ? s : new Set([...s, id])))
  }

  return (
    <div className="app">
      <header>
        <h1>Riskdesk</h1>
        {list && list.length > 0 && (
          <label>
            Portfolio{' '}
            <select
              data-testid="portfolio-picker"
              value={portfolio}
              onChange={(e) => {
                setChosen(e.target.value)
                setAsOf(undefined)
              }}
            >
              {list.map((p) => (
                <option key={p.id} value={p.name}>
                  {p.name} ({p.positions} {p.positions === 1 ? 'position' : 'positions'})
                </option>
              ))}
            </select>
          </label>
        )}
        {list && list.length > 0 && <AsOfPicker portfolio={portfolio} value={asOf} onChange={setAsOf} />}
        {/* Answers are kept until the app itself changes the book; a CLI writing to the same database meanwhile
            is read again here (or by reloading the page). */}
        <button type="button" className="link" onClick={() => void invalidate.reloadBook()} title="Read the database again (after a CLI import, say)" data-testid="reload-data">
          Reload data
        </button>
        {list && list.length > 0 && <ExportPdfButton portfolio={portfolio} asOf={asOf} />}
        <nav role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              id={`tab-${v.id}`}
              role="tab"
              aria-selected={v.id === viewId}
              aria-controls={`view-${v.id}`}
              onClick={() => show(v.id)}
              onPointerEnter={() => void v.preload()}
              onFocus={() => void v.preload()}
            >
              {v.title}
            </button>
          ))}
        </nav>
      </header>
      {portfolios.error && <p className="error">{portfolios.error.message}</p>}
      {list && list.length === 0 && <p className="empty">No portfolio yet. Import one with `riskdesk import FILE`, or run `npm run demo`.</p>}
      <main>
        {VIEWS.filter((v) => opened.has(v.id)).map((v) => (
          <section key={v.id} id={`view-${v.id}`} role="tabpanel" aria-labelledby={`tab-${v.id}`} hidden={v.id !== viewId}>
            <ViewActivity.Provider value={v.id === viewId}>
              <ViewErrorBoundary>
                <Suspense fallback={<p className="busy">loading…</p>}>
                  <v.component portfolio={portfolio} asOf={asOf} />
                </Suspense>
              </ViewErrorBoundary>
            </ViewActivity.Provider>
          </section>
        ))}
      </main>
    </div>
  )
}
