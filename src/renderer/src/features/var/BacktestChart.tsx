/** A backtest: the book's hypothetical daily P&L, −VaR of each day's forecast, the exceptions marked, and the
 * statistics with the Basel traffic-light zone. */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { fmt } from '../../../../shared/format'
import { backtestFigure } from '../../../../shared/varCharts'
import { VAR_METHOD_LABELS, type BacktestResult } from '../../../../shared/varApi'
import { PlotlyChart } from '../../components/PlotlyChart'

const ZONE_COLOR = { green: '#15803d', yellow: '#a16207', red: '#b91c1c' } as const

export function BacktestChart({ result }: { result: BacktestResult }) {
  const { data, layout } = useMemo(() => {
    const f = backtestFigure(result)
    return { data: f.data as unknown as Plotly.Data[], layout: f.layout as Partial<Plotly.Layout> }
  }, [result])
  const r = result
  return (
    <div>
      <p className="muted" data-testid="backtest-summary">
        {VAR_METHOD_LABELS[r.method]}
        {r.model ? ` (${r.model})` : ''}, {r.confidence * 100}% 1-day, window {r.window} days, {r.from} … {r.to}: <b>{r.exceptions}</b> exceptions in {r.days} days (expected{' '}
        {fmt(r.expectedExceptions, 1)}) · Kupiec LR {r.kupiec.lr.toFixed(3)} (p {r.kupiec.pValue.toFixed(3)}) · Christoffersen LR {r.christoffersen.lr.toFixed(3)} (p{' '}
        {r.christoffersen.pValue.toFixed(3)}) · conditional coverage p {r.conditionalCoverage.pValue.toFixed(3)} ·{' '}
        <b style={{ color: ZONE_COLOR[r.trafficLight.zone] }} data-testid="traffic-light">
          {r.trafficLight.zone} zone
        </b>{' '}
        (P[X ≤ {r.exceptions}] = {r.trafficLight.cumulativeProbability.toFixed(4)})
      </p>
      <PlotlyChart data={data} layout={layout} className="var-chart" testId="backtest-chart" />
    </div>
  )
}
