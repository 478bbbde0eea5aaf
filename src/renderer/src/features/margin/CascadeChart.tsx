/**
 * A liquidation cascade: the exogenous price path and the path with liquidations (USD, left axis), and the
 * notional liquidated per step (USD, bars on the right axis); below, each of the user's accounts' outcome:
 * where it was closed out and why (its margin ratio reached 100 % inside a step, a gap, or others' impact).
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import type { CascadeResult } from '../../../../shared/marginApi'
import { fmt } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'

export function CascadeChart({ result }: { result: CascadeResult }) {
  const { data, layout } = useMemo(() => {
    const steps = result.steps.map((s) => s.step)
    const data = [
      { type: 'scatter', mode: 'lines', name: 'exogenous path', x: steps, y: result.steps.map((s) => s.exogenousPrice), line: { dash: 'dot', color: 'rgb(100, 100, 100)' } },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'with liquidations',
        x: steps,
        y: result.steps.map((s) => s.priceAfter),
        line: { color: 'rgb(220, 40, 40)' },
        hovertext: result.steps.map((s) => [s.gap ? 'gap step' : '', s.liquidated.length > 0 ? `liquidated: ${s.liquidated.join(', ')}` : ''].filter(Boolean).join('; ')),
      },
      // Bars drawn as thick vertical segments (the bundled Plotly build has no bar trace).
      {
        type: 'scatter',
        mode: 'lines',
        name: 'liquidated notional (USD)',
        x: result.steps.flatMap((s) => [s.step, s.step, null]),
        y: result.steps.flatMap((s) => [0, Number(s.liquidatedNotionalUsd), null]),
        yaxis: 'y2',
        line: { color: 'rgba(245, 158, 11, 0.6)', width: 14 },
        hoverinfo: 'y',
      },
    ] as unknown as Plotly.Data[]
    const layout: Partial<Plotly.Layout> = {
      margin: { l: 80, r: 80, t: 10, b: 50 },
      xaxis: { title: { text: 'step' } },
      yaxis: { title: { text: `${result.underlying} (USD)` } },
      yaxis2: { title: { text: 'liquidated (USD)' }, overlaying: 'y', side: 'right', showgrid: false, rangemode: 'tozero' },
      legend: { orientation: 'h' },
      paper_bgcolor: 'rgba(0,0,0,0)',
    }
    return { data, layout }
  }, [result])
  const mine = result.outcomes.filter((o) => o.kind === 'account')
  return (
    <div>
      <p className="muted" data-testid="cascade-summary">
        {result.path.description} from {fmt(result.startPrice, 2)} USD · exogenous end {fmt(result.exogenousFinalPrice, 2)} USD, with liquidations{' '}
        <b>{fmt(result.finalPrice, 2)} USD</b> (extra move {fmt(result.extraMoveRelative * 100, 2)} %) · liquidated {fmt(Number(result.totalLiquidatedNotionalUsd))} USD ·
        shortfall {fmt(Number(result.totalShortfallUsd))} USD · market {result.market.included ? `on (${result.market.participants} buckets)` : 'off'}
      </p>
      <PlotlyChart data={data} layout={layout} className="curves" testId="cascade-chart" />
      {mine.length > 0 && (
        <table className="plain" data-testid="cascade-outcomes">
          <thead>
            <tr>
              <th>account</th>
              <th>liquidated</th>
              <th>step</th>
              <th>cause</th>
              <th>executed USD</th>
              <th>equity after USD</th>
              <th>shortfall USD</th>
              <th>equity at end USD</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((o) => (
              <tr key={o.id}>
                <td>{o.id}</td>
                <td className={o.liquidated ? 'warning' : undefined}>{o.liquidated ? 'yes' : 'no'}</td>
                <td>{o.step ?? '—'}</td>
                <td title={o.explanation ?? undefined}>{o.cause ?? '—'}</td>
                <td>{fmt(o.executionPrice, 2)}</td>
                <td>{o.equityAfterUsd === null ? '—' : fmt(Number(o.equityAfterUsd))}</td>
                <td>{fmt(Number(o.shortfallUsd))}</td>
                <td>{o.equityEndUsd === null ? '—' : fmt(Number(o.equityEndUsd))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mine.some((o) => o.explanation) && (
        <ul className="muted" data-testid="cascade-causes">
          {mine
            .filter((o) => o.explanation)
            .map((o) => (
              <li key={o.id}>
                {o.id}: {o.explanation}
              </li>
            ))}
        </ul>
      )}
      {result.skipped.length > 0 && <p className="warning">Left out: {result.skipped.map((s) => `${s.key} (${s.reason})`).join('; ')}</p>}
    </div>
  )
}
