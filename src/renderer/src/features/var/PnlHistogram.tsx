/** The P&L distribution of a VaR run: histogram (USD), with −VaR and −ES marked. Parametric runs have no sample:
 * their quantiles are drawn instead. */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { fmt } from '../../../../shared/format'
import type { VarResult } from '../../../../shared/varApi'
import { PlotlyChart } from '../../components/PlotlyChart'

export function PnlHistogram({ result }: { result: VarResult }) {
  const { data, layout } = useMemo(() => {
    const h = result.distribution.histogram
    // A step line filled to zero (the bundled Plotly build has no bar trace).
    const data = (
      h
        ? [
            {
              type: 'scatter',
              mode: 'lines',
              name: 'scenarios',
              x: h.flatMap((b) => [b.from, b.to]),
              y: h.flatMap((b) => [b.count, b.count]),
              line: { shape: 'hv', color: 'rgb(37, 99, 235)' },
              fill: 'tozeroy',
              fillcolor: 'rgba(37, 99, 235, 0.25)',
              hovertemplate: '%{x:,.0f} USD: %{y} scenarios<extra></extra>',
            },
          ]
        : [
            {
              type: 'scatter',
              mode: 'lines+markers',
              name: 'P&L quantile',
              x: result.distribution.quantiles.map((q) => q.pnlUsd),
              y: result.distribution.quantiles.map((q) => q.p),
              line: { color: 'rgb(37, 99, 235)' },
              hovertemplate: 'P(P&L ≤ %{x:,.0f} USD) = %{y}<extra></extra>',
            },
          ]
    ) as Plotly.Data[]
    const marker = (x: number, color: string, text: string) => ({
      shape: { type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 2, dash: 'dash' } } as Partial<Plotly.Shape>,
      note: { x, y: 1, xref: 'x', yref: 'paper', text, showarrow: false, xanchor: 'right', yanchor: 'bottom', font: { color, size: 12 } } as Partial<Plotly.Annotations>,
    })
    const v = marker(-result.var, 'rgb(220, 38, 38)', `VaR ${fmt(result.var)}`)
    const e = marker(-result.es, 'rgb(124, 58, 237)', `ES ${fmt(result.es)}`)
    const layout: Partial<Plotly.Layout> = {
      margin: { l: 60, r: 20, t: 24, b: 50 },
      xaxis: { title: { text: `P&L over ${result.horizonDays} day${result.horizonDays > 1 ? 's' : ''} (USD)` } },
      yaxis: { title: { text: h ? 'scenarios' : 'probability' }, rangemode: 'tozero' },
      shapes: [v.shape, e.shape],
      annotations: [v.note, { ...e.note, yanchor: 'top', y: 0.93 }],
      showlegend: false,
      paper_bgcolor: 'rgba(0,0,0,0)',
    }
    return { data, layout }
  }, [result])
  return <PlotlyChart data={data} layout={layout} className="var-chart" testId="var-histogram" />
}
