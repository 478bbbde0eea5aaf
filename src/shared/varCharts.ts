/**
 * Plotly figures of a VaR run, as plain data, shared by the VaR view and the report so the PDF shows the same
 * figures as the screen: the P&L distribution with −VaR and −ES marked, and the backtest (the book's daily
 * hypothetical P&L against −VaR, exceptions marked). Scatter traces only (the bundled Plotly build has no bar
 * trace), so both draw as SVG.
 */
import { fmt } from './format'
import type { BacktestResult, VarResult } from './varApi'

type Figure = { data: Array<Record<string, unknown>>; layout: Record<string, unknown> }

/** The P&L distribution: histogram (USD) as a filled step line; parametric runs have no sample, their quantiles
 * are drawn instead. VaR and ES are positive losses, marked at −VaR and −ES. */
export function varDistributionFigure(result: Pick<VarResult, 'var' | 'es' | 'horizonDays' | 'distribution'>): Figure {
  const h = result.distribution.histogram
  const data = h
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
  const marker = (x: number, color: string, text: string) => ({
    shape: { type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 2, dash: 'dash' } },
    note: { x, y: 1, xref: 'x', yref: 'paper', text, showarrow: false, xanchor: 'right', yanchor: 'bottom', font: { color, size: 12 } },
  })
  const v = marker(-result.var, 'rgb(220, 38, 38)', `VaR ${fmt(result.var)}`)
  const e = marker(-result.es, 'rgb(124, 58, 237)', `ES ${fmt(result.es)}`)
  const layout = {
    margin: { l: 60, r: 20, t: 24, b: 50 },
    xaxis: { title: { text: `P&L over ${result.horizonDays} day${result.horizonDays > 1 ? 's' : ''} (USD)` } },
    yaxis: { title: { text: h ? 'scenarios' : 'probability' }, rangemode: 'tozero' },
    shapes: [v.shape, e.shape],
    annotations: [v.note, { ...e.note, yanchor: 'top', y: 0.93 }],
    showlegend: false,
    paper_bgcolor: 'rgba(0,0,0,0)',
  }
  return { data, layout }
}

/** The backtest: each tested day's hypothetical P&L (USD), −VaR of that day's forecast, the exceptions. */
export function backtestFigure(result: Pick<BacktestResult, 'series'>): Figure {
  const s = result.series
  const ex = s.filter((d) => d.exception)
  const data = [
    { type: 'scatter', mode: 'markers', name: 'hypothetical P&L', x: s.map((d) => d.date), y: s.map((d) => d.pnlUsd), marker: { size: 3, color: 'rgb(100, 116, 139)' } },
    { type: 'scatter', mode: 'lines', name: '−VaR forecast', x: s.map((d) => d.date), y: s.map((d) => -d.var), line: { color: 'rgb(220, 38, 38)', width: 1.5 } },
    { type: 'scatter', mode: 'markers', name: 'exception', x: ex.map((d) => d.date), y: ex.map((d) => d.pnlUsd), marker: { size: 9, color: 'rgb(220, 38, 38)', symbol: 'x' } },
  ]
  const layout = {
    margin: { l: 70, r: 20, t: 10, b: 40 },
    yaxis: { title: { text: 'USD' } },
    legend: { orientation: 'h' },
    paper_bgcolor: 'rgba(0,0,0,0)',
  }
  return { data, layout }
}
