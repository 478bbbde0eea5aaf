/**
 * Liquidation and bankruptcy prices on a price ladder (Plotly): one column per account (cross) or isolated
 * position, prices in USD of the underlying's index, the current index as a horizontal line.
 *
 * Liquidation and bankruptcy prices sit close together (deribit/hedge: 7,994 and 7,906 USD), so within a
 * column the liquidation marks are drawn left of centre with their labels to the left and the bankruptcy
 * marks right of centre with labels to the right: two close prices never print on top of each other.
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import type { LiquidationLevels, MarginAccountReport, ThresholdPoint } from '../../../../shared/marginApi'
import { fmt } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'

interface Column {
  label: string
  levels: LiquidationLevels
}

function columns(accounts: MarginAccountReport[], underlying: string): Column[] {
  const out: Column[] = []
  for (const a of accounts) {
    for (const l of a.liquidation) if (l.underlying === underlying) out.push({ label: `${a.venue}/${a.account} ${a.marginCurrency}`, levels: l })
    for (const p of a.positions) if (p.liquidation?.underlying === underlying) out.push({ label: `${a.venue}/${a.account} ${p.id} (isolated)`, levels: p.liquidation })
  }
  return out
}

const hover = (what: string, p: ThresholdPoint) => `${what} ${fmt(p.indexPrice, 2)} USD<br>${p.distancePercent > 0 ? '+' : ''}${fmt(p.distancePercent, 1)} %, ${fmt(p.dailySigmas, 1)} daily σ`

export function PriceLadder({ accounts, underlying }: { accounts: MarginAccountReport[]; underlying: string }) {
  const cols = useMemo(() => columns(accounts, underlying), [accounts, underlying])
  const figure = useMemo(() => {
    if (cols.length === 0) return null
    // Columns at x = 0, 1, 2…; a side's marks sit a quarter column off centre, labelled outwards.
    const OFFSET = 0.18
    const series = (name: string, pick: (l: LiquidationLevels) => ThresholdPoint | null, symbol: string, color: string, side: 'left' | 'right') => {
      const xs: number[] = []
      const ys: number[] = []
      const text: string[] = []
      cols.forEach((c, i) => {
        const p = pick(c.levels)
        if (!p) return
        xs.push(i + (side === 'left' ? -OFFSET : OFFSET))
        ys.push(p.indexPrice)
        text.push(hover(name, p))
      })
      return { type: 'scatter', mode: 'text+markers', name, x: xs, y: ys, text: ys.map((y) => fmt(y)), textposition: `middle ${side}`, hovertext: text, hoverinfo: 'text', marker: { symbol, size: 13, color } }
    }
    const index = cols[0]!.levels.indexPrice
    const data = [
      series('liquidation below', (l) => l.below, 'triangle-down', 'rgb(220, 40, 40)', 'left'),
      series('liquidation above', (l) => l.above, 'triangle-up', 'rgb(220, 40, 40)', 'left'),
      series('bankruptcy below', (l) => l.bankruptcyBelow, 'x', 'rgb(130, 130, 140)', 'right'),
      series('bankruptcy above', (l) => l.bankruptcyAbove, 'x', 'rgb(130, 130, 140)', 'right'),
    ] as unknown as Plotly.Data[]
    const layout: Partial<Plotly.Layout> = {
      margin: { l: 80, r: 30, t: 10, b: 60 },
      yaxis: { title: { text: `${underlying} index (USD)` }, zeroline: false },
      xaxis: { tickvals: cols.map((_, i) => i), ticktext: cols.map((c) => c.label), range: [-0.6, cols.length - 0.4], zeroline: false, showgrid: false },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: index, y1: index, line: { color: 'rgb(37, 99, 235)', width: 2, dash: 'dash' } }],
      annotations: [{ xref: 'paper', x: 0, y: index, text: `index ${fmt(index, 2)}`, showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { color: 'rgb(37, 99, 235)' } }],
      legend: { orientation: 'h' },
      paper_bgcolor: 'rgba(0,0,0,0)',
    }
    return { data, layout }
  }, [cols, underlying])
  if (!figure) return <p className="muted">No liquidation prices for {underlying} (no collateral imported, or nothing can breach).</p>
  return <PlotlyChart data={figure.data} layout={figure.layout} className="ladder" testId={`margin-ladder-${underlying}`} />
}
