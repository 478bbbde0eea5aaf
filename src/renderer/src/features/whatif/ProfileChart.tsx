/**
 * The risk profile chart (Plotly, through the app's one PlotlyChart): the whole book's P&L against the
 * underlying's index, one colour per date (today, future days, at expiry), the book before the what-if dashed and
 * after it solid; breakevens marked on each curve; vertical lines at the current index, at the cross liquidation
 * prices before (dotted) and after (solid), and at ±1σ/±2σ moves of the index over a horizon from the ATM vol
 * (the hover says which vol). P&L in USD, or in coin at each point's own index (USD P&L ÷ index there).
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import type { RiskProfile, ProfileDate } from '../../../../shared/profileApi'
import { fmt, volPts } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'
import { breakevens, sigmaMarks, usdToCoin, type AtmVol } from './profileMarks'

export type ProfileUnit = 'usd' | 'coin'

/** A vertical line of the chart: where, what it is, and its hover text. */
export interface PriceLine {
  price: number
  label: string
  kind: 'index' | 'liq-before' | 'liq-after' | 'sigma'
  hover: string
}

const COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777', '#4b5563', '#b45309', '#0d9488', '#7c3aed']
const LINE_STYLE: Record<PriceLine['kind'], { color: string; dash: Plotly.Dash; width: number }> = {
  index: { color: '#6b7280', dash: 'solid', width: 1.5 },
  'liq-before': { color: '#dc2626', dash: 'dot', width: 1.5 },
  'liq-after': { color: '#dc2626', dash: 'solid', width: 1.5 },
  sigma: { color: '#9ca3af', dash: 'dashdot', width: 1 },
}
const LINE_NAME: Record<PriceLine['kind'], string> = { index: 'index now', 'liq-before': 'liquidation before', 'liq-after': 'liquidation after', sigma: '±1σ, ±2σ' }

export const dateLabel = (d: ProfileDate) => (d === 'expiry' ? 'at expiry' : d === 0 ? 'today' : `+${fmt(d, d % 1 === 0 ? 0 : 2)} d`)

/** The σ lines of a horizon as PriceLines. */
export function sigmaLines(index: number, atm: AtmVol | null, days: number): PriceLine[] {
  if (!atm) return []
  return sigmaMarks(index, atm.vol, days).map((m) => ({
    price: m.price,
    label: `${m.n > 0 ? '+' : '−'}${Math.abs(m.n)}σ`,
    kind: 'sigma' as const,
    hover: `${m.n > 0 ? '+' : '−'}${Math.abs(m.n)}σ over ${fmt(days, days % 1 === 0 ? 0 : 2)} d: ${fmt(m.price)} USD<br>σ = ${fmt(atm.vol * 100, 1)} % a year: ${atm.source}<br>index × exp(n·σ·√(days/365))`,
  }))
}

export function ProfileChart({ profile, unit, lines }: { profile: RiskProfile; unit: ProfileUnit; lines: PriceLine[] }) {
  const coin = profile.underlying
  const yUnit = unit === 'usd' ? 'USD' : coin
  const digits = unit === 'usd' ? 0 : 4
  const data = useMemo((): Plotly.Data[] => {
    const x = profile.prices
    const y = (pnl: number[]) => (unit === 'usd' ? pnl : pnl.map((v, i) => usdToCoin(v, x[i]!)))
    const traces: Plotly.Data[] = []
    let lo = 0
    let hi = 0
    profile.curves.forEach((c, i) => {
      const color = COLORS[i % COLORS.length]!
      const label = dateLabel(c.date)
      const sides: Array<['before' | 'after', number[]]> = c.after ? [['before', c.before], ['after', c.after]] : [['before', c.before]]
      for (const [side, pnl] of sides) {
        const ys = y(pnl)
        for (const v of ys) {
          lo = Math.min(lo, v)
          hi = Math.max(hi, v)
        }
        const name = c.after ? `${label}, ${side}` : label
        traces.push({
          type: 'scatter',
          mode: 'lines',
          name,
          legendgroup: label,
          x,
          y: ys,
          line: { color, dash: side === 'before' && c.after ? 'dash' : 'solid', width: side === 'after' || !c.after ? 2.2 : 1.6 },
          text: x.map((p, k) => `${name}: index ${fmt(p)} USD → ${fmt(ys[k], digits)} ${yUnit}`),
          hovertemplate: '%{text}<extra></extra>',
        })
        const zeros = breakevens(x, ys)
        if (zeros.length > 0)
          traces.push({
            type: 'scatter',
            mode: 'markers',
            name: `breakevens ${name}`,
            legendgroup: label,
            showlegend: false,
            x: zeros,
            y: zeros.map(() => 0),
            marker: { color, size: 9, symbol: side === 'before' && c.after ? 'circle-open' : 'circle', line: { width: 2, color } },
            text: zeros.map((p) => `breakeven ${name}: index ${fmt(p)} USD (${fmt(((p - profile.indexPrice) / profile.indexPrice) * 100, 1)} % from now)`),
            hovertemplate: '%{text}<extra></extra>',
          })
      }
    })
    // Vertical lines as traces (hoverable, in the legend once per kind), spanning the curves' range.
    const pad = (hi - lo) * 0.05 || 1
    const xmin = x[0]!
    const xmax = x[x.length - 1]!
    const seen = new Set<string>()
    for (const l of lines) {
      if (l.price < xmin || l.price > xmax) continue
      const s = LINE_STYLE[l.kind]
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: LINE_NAME[l.kind],
        legendgroup: l.kind,
        showlegend: !seen.has(l.kind),
        x: [l.price, l.price],
        y: [lo - pad, hi + pad],
        line: s,
        text: [l.hover, l.hover],
        hovertemplate: '%{text}<extra></extra>',
      })
      seen.add(l.kind)
    }
    return traces
  }, [profile, unit, lines, digits, yUnit])

  const layout = useMemo(
    (): Partial<Plotly.Layout> => ({
      margin: { l: 80, r: 20, t: 28, b: 50 },
      xaxis: { title: { text: `${coin} index (USD)` }, range: [profile.prices[0], profile.prices[profile.prices.length - 1]] },
      yaxis: { title: { text: `P&L (${yUnit})` }, zeroline: true, tickformat: unit === 'usd' ? ',.0f' : ',.3f' },
      legend: { orientation: 'h', y: -0.18 },
      hovermode: 'closest',
      paper_bgcolor: 'rgba(0,0,0,0)',
      annotations: lines
        .filter((l) => l.price >= profile.prices[0]! && l.price <= profile.prices[profile.prices.length - 1]!)
        .map((l) => {
          // Index and σ labels above the plot; liquidation labels inside it at the bottom, the one before the
          // what-if to the left of its line and the one after to the right, so two close levels stay readable.
          const liq = l.kind === 'liq-before' || l.kind === 'liq-after'
          return {
            x: l.price,
            y: liq ? 0.02 : 1,
            yref: 'paper' as const,
            yanchor: 'bottom' as const,
            xanchor: l.kind === 'liq-before' ? ('right' as const) : l.kind === 'liq-after' ? ('left' as const) : ('center' as const),
            text: l.label,
            showarrow: false,
            font: { size: 10, color: LINE_STYLE[l.kind].color },
          }
        }),
      title: profile.volShiftPoints !== 0 ? { text: `vols shifted ${volPts(profile.volShiftPoints)}`, font: { size: 12 }, x: 0.99, xanchor: 'right' as const } : undefined,
    }),
    [profile, coin, yUnit, unit, lines],
  )
  return <PlotlyChart data={data} layout={layout} className="profile-chart" testId="profile-chart" />
}
