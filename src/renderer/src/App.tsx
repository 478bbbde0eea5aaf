/** The workstation page: portfolio picker, Greeks summary, positions grid, stress heatmap and surface. */
import { useCallback, useEffect, useState } from 'react'
import type { PortfolioSummary, PositionsReport, StressResult } from '../../shared/api'
import { fmt, pct, volPts } from './components/format'
import { GreeksSummary } from './features/positions/GreeksSummary'
import { PositionsGrid } from './features/positions/PositionsGrid'
import { StressGrid } from './features/stress/StressGrid'
import { StressSurface } from './features/stress/StressSurface'
import { riskdesk } from './platform/api'

export function App() {
  const [portfolios, setPortfolios] = useState<PortfolioSummary[] | null>(null)
  const [portfolio, setPortfolio] = useState<string | undefined>()
  const [report, setReport] = useState<PositionsReport | null>(null)
  const [stress, setStress] = useState<StressResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    riskdesk
      .listPortfolios({})
      .then((list) => {
        setPortfolios(list)
        setPortfolio(list[0]?.name)
      })
      .catch((e: Error) => setError(e.message))
  }, [])

  const load = useCallback(async (name: string) => {
    setBusy(true)
    setError(null)
    try {
      setReport(await riskdesk.getPositions({ portfolio: name }))
      setStress(await riskdesk.runStress({ portfolio: name }))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }, [])

  useEffect(() => {
    if (portfolio) void load(portfolio)
  }, [portfolio, load])

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
                  {p.name} ({p.positions} positions)
                </option>
              ))}
            </select>
          </label>
        )}
        {report && <span className="muted">valued at {report.valuationTime ?? '—'} (market snapshot)</span>}
        {busy && <span className="busy">computing…</span>}
      </header>
      {error && <p className="error">{error}</p>}
      {portfolios && portfolios.length === 0 && (
        <p className="empty">No portfolio yet. Import one with `riskdesk import FILE`, or run `npm run demo`.</p>
      )}
      {report && (
        <section>
          <h2>Greeks</h2>
          <GreeksSummary totals={report.totals} />
          <h2>Positions</h2>
          <PositionsGrid report={report} />
        </section>
      )}
      {stress && (
        <section>
          <h2>
            Stress: P&amp;L in USD over spot shock × vol shock{' '}
            <span className="muted">
              full revaluation, {stress.positions} positions × {stress.scenarios} scenarios on {stress.workers} workers;
              worst {stress.worst ? `${fmt(stress.worst.pnlUsd)} USD at spot ${pct(stress.worst.spotShock)}, vol ${volPts(stress.worst.volShock)}` : '—'}
            </span>
          </h2>
          <div className="stress">
            <StressGrid result={stress} />
            <StressSurface result={stress} />
          </div>
        </section>
      )}
    </div>
  )
}
