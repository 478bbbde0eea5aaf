/** P&L-vs-spot curves at several horizons (today, +1 day, +7 days, at expiry), Plotly lines. */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import type { StressResult } from '../../../../shared/stressApi'
import { decimalsFor, fmt, pct } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'

type Curves = NonNullable<StressResult['curves']>

const label = (h: number | null) => (h === null ? 'at expiry' : h === 0 ? 'today' : `+${h} d`)

const LAYOUT: Partial<Plotly.Layout> = {
  margin: { l: 70, r: 20, t: 10, b: 50 },
  xaxis: { title: { text: 'spot shock (%)' }, zeroline: true },
  yaxis: { title: { text: 'P&L (USD)' }, zeroline: true },
  legend: { orientation: 'h' },
  paper_bgcolor: 'rgba(0,0,0,0)',
}

export function HorizonCurves({ curves }: { curves: Curves }) {
  const data = useMemo(
    (): Plotly.Data[] =>
      curves.horizons.map((h, i) => ({
        type: 'scatter',
        mode: 'lines',
        name: label(h),
        x: curves.spotShocks.map((s) => s * 100),
        y: curves.pnlUsd[i],
        text: curves.spotShocks.map((s, k) => `${label(h)}: spot ${pct(s, decimalsFor(curves.spotShocks.map((x) => x * 100), 2))} → ${fmt(curves.pnlUsd[i]![k])} USD`),
        hovertemplate: '%{text}<extra></extra>',
      })),
    [curves],
  )
  return <PlotlyChart data={data} layout={LAYOUT} className="curves" testId="horizon-curves" />
}
