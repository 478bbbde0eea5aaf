/**
 * The marks of the risk profile chart, pure: breakevens (zero crossings of a P&L curve), the ±1σ/±2σ index
 * moves over a horizon from an ATM vol, that vol read off the fitted surface's term structure, and a USD P&L
 * in coin. No React, no Plotly: unit-tested on hand figures (test/unit/renderer/profileMarks.test.ts).
 */
/** ACT/365, the pricer's year (main/domain/time.ts; the surface report's `days` is T × 365). */
const DAYS_PER_YEAR = 365

/**
 * Index prices where a P&L curve crosses zero, by linear interpolation between neighbouring points of
 * opposite sign; a point exactly at zero counts once (not again as the end of the next segment).
 * @param prices x axis, USD, increasing
 * @param pnl P&L at each price, same length
 * @returns crossing prices, increasing
 */
export function breakevens(prices: readonly number[], pnl: readonly number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < prices.length; i++) {
    const y = pnl[i]!
    if (y === 0) {
      if (out[out.length - 1] !== prices[i]) out.push(prices[i]!)
      continue
    }
    if (i === 0) continue
    const y0 = pnl[i - 1]!
    if (y0 !== 0 && Math.sign(y0) !== Math.sign(y)) {
      const x0 = prices[i - 1]!
      out.push(x0 + ((prices[i]! - x0) * y0) / (y0 - y))
    }
  }
  return out
}

/** One σ mark: n standard deviations of the log index over the horizon. */
export interface SigmaMark {
  n: number
  price: number
}

/**
 * Index at ±1σ and ±2σ of a lognormal move over `days` at annual vol `vol` (decimal): S·exp(n·σ·√(days/365)),
 * ACT/365 as the pricer. Empty for a zero horizon or vol (no spread).
 */
export function sigmaMarks(index: number, vol: number, days: number): SigmaMark[] {
  const sd = vol * Math.sqrt(days / DAYS_PER_YEAR)
  if (!(sd > 0)) return []
  return [-2, -1, 1, 2].map((n) => ({ n, price: index * Math.exp(n * sd) }))
}

/** An expiry of the fitted surface: days from the valuation and its ATM vol (at the forward), vol points. */
export interface AtmPoint {
  expiry: string
  days: number
  atmVolPoints: number
}

/** The ATM vol for a horizon and what it was read from (shown in the chart's hover). */
export interface AtmVol {
  /** Decimal. */
  vol: number
  source: string
}

/**
 * ATM vol at `days`: linear in total variance (σ²·t) between the surrounding expiries, flat beyond the first
 * and the last (no extrapolation of the slope). Null when the surface has no expiry.
 */
export function atmVolAt(points: readonly AtmPoint[], days: number): AtmVol | null {
  const ps = [...points].filter((p) => p.days > 0 && Number.isFinite(p.atmVolPoints)).sort((a, b) => a.days - b.days)
  if (ps.length === 0) return null
  const label = (p: AtmPoint) => `${p.expiry.slice(0, 10)} (${p.atmVolPoints.toFixed(1)} %)`
  const first = ps[0]!
  const last = ps[ps.length - 1]!
  if (days <= first.days) return { vol: first.atmVolPoints / 100, source: `ATM vol of the nearest expiry ${label(first)}, held flat before it` }
  if (days >= last.days) return { vol: last.atmVolPoints / 100, source: `ATM vol of the last expiry ${label(last)}, held flat after it` }
  const j = ps.findIndex((p) => p.days >= days)
  const a = ps[j - 1]!
  const b = ps[j]!
  const wa = (a.atmVolPoints / 100) ** 2 * a.days
  const wb = (b.atmVolPoints / 100) ** 2 * b.days
  const w = wa + ((wb - wa) * (days - a.days)) / (b.days - a.days)
  return { vol: Math.sqrt(w / days), source: `ATM vol interpolated in total variance between ${label(a)} and ${label(b)}` }
}

/** A USD P&L in coin of the underlying at index `price` (what the gain buys there). */
export const usdToCoin = (pnlUsd: number, price: number): number => pnlUsd / price
