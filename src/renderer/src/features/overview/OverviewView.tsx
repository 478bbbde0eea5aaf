/** Overview: Greeks per underlying, the positions grid, and the default stress grid with its surface. */
import { useEffect, useState } from 'react'
import type { PositionsReport, StressResult } from '../../../../shared/api'
import { fmt } from '../../components/format'
import { riskdesk } from '../../platform/api'
import type { ViewProps } from '../../views'
import { GreeksSummary } from '../positions/GreeksSummary'
import { PositionsGrid } from '../positions/PositionsGrid'
import { StressGrid } from '../stress/StressGrid'
import { StressSurface } from '../stress/StressSurface'

export function OverviewView({ portfolio }: ViewProps) {
  const [report, setReport] = useState<PositionsReport | null>(null)
  const [stress, setStress] = useState<StressResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!portfolio) return
    let live = true
    setBusy(true)
    setError(null)
    ;(async () => {
      const positions = await riskdesk.getPositions({ portfolio })
      if (live) setReport(positions)
      const result = await riskdesk.runStress({ portfolio })
      if (live) setStress(result)
    })()
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setBusy(false))
    return () => {
      live = false
    }
  }, [portfolio])

  return (
    <div>
      {busy && <p className="busy">computing…</p>}
      {error && <p className="error">{error}</p>}
      {report && (
        <section>
          <p className="muted">valued at {report.valuationTime ?? '—'} (market snapshot)</p>
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
              full revaluation, {stress.positions} positions × {stress.scenarioCount} scenarios on {stress.workers} workers;
              worst {stress.worst ? `${fmt(stress.worst.pnlUsd)} USD at ${stress.worst.name}` : '—'}
            </span>
          </h2>
          {stress.pnlUsd && stress.spotShocks && stress.volShocks && (
            <div className="stress">
              <StressGrid spotShocks={stress.spotShocks} volShocks={stress.volShocks} values={stress.pnlUsd} highlight={stress.worst?.index ?? null} />
              <StressSurface spotShocks={stress.spotShocks} volShocks={stress.volShocks} values={stress.pnlUsd} />
            </div>
          )}
        </section>
      )}
    </div>
  )
}
