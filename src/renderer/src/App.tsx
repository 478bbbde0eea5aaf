/**
 * The app shell: portfolio picker, valuation as-of, one tab per view (views.ts). A view is loaded on demand
 * when its tab is first shown and then stays mounted, hidden while another tab is on show (its queries hold
 * meanwhile: data/viewActivity.ts), so coming back to it shows it as it was left. The app opens on the view last
 * shown (lastView.ts).
 */
import { Component, Suspense, useState, type ReactNode } from 'react'
import { AsOfPicker } from './components/AsOfPicker'
import { ShortcutHelp, useShortcuts } from './components/shortcuts'
import { ThemePicker, useTheme } from './components/theme'
import { ViewTabs } from './components/ViewTabs'
import { useApiQuery, useInvalidate } from './data/useApi'
import { ViewActivity } from './data/viewActivity'
import { ExportPdfButton } from './features/report/ExportPdfButton'
import { VIEWS } from './views'
import { storedView, storeView } from './lastView'
import { plural } from '../../shared/format'

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
  const [viewId, setViewId] = useState(() => storedView(VIEWS.map((v) => v.id)))
  // Views shown at least once: mounted from then on.
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([viewId]))
  // The chosen portfolio while it exists, else the most recently imported one (the list's first).
  const portfolio = list && (list.some((p) => p.name === chosen) ? chosen : list[0]?.name)

  const selectPortfolio = (name: string | undefined) => {
    setChosen(name)
    setAsOf(undefined)
  }

  const show = (id: string) => {
    setViewId(id)
    storeView(id)
    setOpened((s) => (s.has(id) ? s : new Set([...s, id])))
  }
  const [help, setHelp] = useState(false)
  const { theme, setChoice } = useTheme()
  // The shell's shortcuts; each view adds its own while on show (components/shortcuts.tsx).
  useShortcuts([
    { key: '?', description: 'show or hide this list of shortcuts', run: () => setHelp((h) => !h) },
    { key: 'Escape', description: 'close this list', run: () => setHelp(false) },
    ...VIEWS.slice(0, 9).map((v, i) => ({ key: String(i + 1), description: `show the ${v.title} view`, run: () => show(v.id) })),
    ...(VIEWS.some((v) => v.id === 'import') ? [{ key: 'i', description: 'import a file (the Import view)', run: () => show('import') }] : []),
    ...(VIEWS.some((v) => v.id === 'whatif') ? [{ key: 'w', description: 'trade on paper (the What-if view)', run: () => show('whatif') }] : []),
    { key: 'R', description: 'reload data: read the database again (Shift+R)', run: () => void invalidate.reloadBook() },
    { key: 't', description: `switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`, run: () => setChoice(theme === 'dark' ? 'light' : 'dark') },
  ])

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
                  {p.name} ({plural(p.positions, 'position')})
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
        <ThemePicker />
        <button type="button" className="link" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" data-testid="shortcut-help-open">
          Shortcuts
        </button>
        <ViewTabs views={VIEWS} selected={viewId} onSelect={show} />
      </header>
      {portfolios.error && <p className="error">{portfolios.error.message}</p>}
      {list && list.length === 0 && (
        <p className="empty" data-testid="empty-state">
          No portfolio yet. Drop an exchange export on the{' '}
          <button type="button" className="link" onClick={() => show('import')}>
            Import
          </button>{' '}
          tab, or from a terminal run <code>riskdesk import FILE</code> (or <code>riskdesk demo</code> for the bundled sample book).
        </p>
      )}
      <main>
        {VIEWS.filter((v) => opened.has(v.id)).map((v) => (
          <section key={v.id} id={`view-${v.id}`} role="tabpanel" aria-labelledby={`tab-${v.id}`} hidden={v.id !== viewId}>
            <ViewActivity.Provider value={v.id === viewId}>
              <ViewErrorBoundary>
                <Suspense fallback={<p className="busy">loading…</p>}>
                  <v.component portfolio={portfolio} asOf={asOf} selectPortfolio={selectPortfolio} />
                </Suspense>
              </ViewErrorBoundary>
            </ViewActivity.Provider>
          </section>
        ))}
      </main>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  )
}
