/**
 * Risk factors from stored daily closes: per underlying its daily log return, and for underlyings with options
 * a vol factor; joint dates only (a day counts when every factor has a move), gaps reported.
 *
 * Dates: the close dated D is the daily candle opening D 00:00 UTC, known from D+1 00:00 UTC (the convention of
 * margin's history σ, docs/valuation.md). The return dated D is ln(close_D / close_{D−1}) and needs both
 * closes; it is known from D+1 00:00 UTC.
 *
 * Vol factor (a PROXY, said so in every output that uses it): with one option-chain snapshot stored there is
 * no history of implied vol, so the daily change of an underlying's ATM implied vol is taken as the change of
 * its realised vol — the EWMA (λ 0.94) daily σ annualised by √365 — over that day, 1:1 in vol points:
 * Δσ_D = √365·(σ_after D − σ_before D). It moves with the size of the day's return (a big move raises it), which
 * is the sign and rough size of what implied vol does in crypto sell-offs, and nothing more.
 */
import { EWMA_LAMBDA, ewmaVariance } from './volatility'

const DAY = 86_400_000
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export interface CloseSeries {
  underlying: string
  /** Where the closes come from (format and pair), for the report. */
  source: string
  /** Daily closes, ascending: ts = the candle's opening instant (ms UTC), close in USD. */
  closes: ReadonlyArray<{ ts: number; close: number }>
}

export interface RiskFactor {
  /** `BTC` (spot: daily log return of the index) or `BTC vol` (vol factor: change in decimal vol). */
  name: string
  underlying: string
  kind: 'spot' | 'vol'
  /** True for the realised-vol proxy of the vol factor. */
  proxy: boolean
}

export interface FactorHistory {
  factors: RiskFactor[]
  /** Joint return dates (YYYY-MM-DD), ascending. */
  dates: string[]
  /** moves[t][f]: factor f's move on dates[t]. */
  moves: number[][]
  /** Per underlying, the source of its closes. */
  sources: Record<string, string>
}

/** Thrown when the stored history cannot give the factors asked for. */
export class RiskFactorError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'RiskFactorError'
  }
}

/**
 * Daily moves of every factor on the dates all of them have one, known at `knownAtMs` (returns dated D with
 * D + 1 day ≤ knownAtMs; all of them when null).
 * @param volUnderlyings underlyings that get a vol factor (those with options in the book)
 * @throws RiskFactorError when an underlying has no closes, a close is not a positive finite number, or no
 *   date is common to all
 */
export function factorHistory(series: readonly CloseSeries[], volUnderlyings: ReadonlySet<string>, knownAtMs: number | null): FactorHistory {
  const factors: RiskFactor[] = []
  const byFactor: Array<Map<string, number>> = []
  const sources: Record<string, string> = {}
  for (const s of series) {
    sources[s.underlying] = s.source
    const returns: number[] = []
    const dates: string[] = []
    for (let i = 1; i < s.closes.length; i++) {
      const a = s.closes[i - 1]!
      const b = s.closes[i]!
      if (!(a.close > 0 && b.close > 0 && Number.isFinite(a.close) && Number.isFinite(b.close)))
        throw new RiskFactorError(`${s.underlying} close on ${day(a.close > 0 ? b.ts : a.ts)} is not a positive number (${s.source})`)
      // A return needs the close of the day before: after a gap the first close starts a new run.
      if (b.ts - a.ts !== DAY) continue
      if (knownAtMs !== null && b.ts + DAY > knownAtMs) break
      returns.push(Math.log(b.close / a.close))
      dates.push(day(b.ts))
    }
    if (returns.length === 0) throw new RiskFactorError(`no daily returns of ${s.underlying} known before the valuation date (${s.source})`)
    factors.push({ name: s.underlying, underlying: s.underlying, kind: 'spot', proxy: false })
    byFactor.push(new Map(dates.map((d, i) => [d, returns[i]!])))
    if (volUnderlyings.has(s.underlying)) {
      const { variances, forecast } = ewmaVariance(returns, EWMA_LAMBDA)
      const after = (t: number) => (t + 1 < variances.length ? variances[t + 1]! : forecast)
      factors.push({ name: `${s.underlying} vol`, underlying: s.underlying, kind: 'vol', proxy: true })
      byFactor.push(new Map(dates.map((d, t) => [d, Math.sqrt(365) * (Math.sqrt(after(t)) - Math.sqrt(variances[t]!))])))
    }
  }
  const joint = [...byFactor[0]!.keys()].filter((d) => byFactor.every((m) => m.has(d))).sort()
  if (joint.length === 0) throw new RiskFactorError(`no date on which ${series.map((s) => s.underlying).join(', ')} all have a daily return`)
  return { factors, dates: joint, moves: joint.map((d) => byFactor.map((m) => m.get(d)!)), sources }
}

export type WindowSpec = { kind: 'days'; days: number } | { kind: 'year'; year: number }

export interface FactorWindow {
  /** Index range [from, to) into the history's dates. */
  from: number
  to: number
  first: string
  last: string
  /** Calendar days inside [first, last] with no joint move, each with the factors that miss it. */
  gaps: string[]
}

/** Newest history a window may end on: the valuation date's last return must be this recent. */
export const MAX_HISTORY_LAG_DAYS = 3
/** Fewest returns a window may hold. */
export const MIN_WINDOW_RETURNS = 30

/**
 * The window of a history: the last `days` joint dates known at the valuation instant, or every joint date of
 * a calendar year that has ended by then.
 * @throws RiskFactorError when the history ends more than 3 days before the valuation date, a year has not
 *   ended by it or holds no data, or the window has fewer than 30 returns
 */
export function selectWindow(h: FactorHistory, spec: WindowSpec, valuationMs: number, series: readonly CloseSeries[]): FactorWindow {
  let from: number
  let to: number
  if (spec.kind === 'days') {
    to = h.dates.length
    const lastMs = Date.parse(h.dates[to - 1]!)
    if (lastMs + DAY < valuationMs - MAX_HISTORY_LAG_DAYS * DAY)
      throw new RiskFactorError(`the stored history ends ${h.dates[to - 1]}, more than ${MAX_HISTORY_LAG_DAYS} days before the valuation date ${day(valuationMs)}: import recent daily closes`)
    from = Math.max(0, to - spec.days)
  } else {
    if (Date.UTC(spec.year + 1, 0, 1) + DAY > valuationMs) throw new RiskFactorError(`the year ${spec.year} has not ended by the valuation date ${day(valuationMs)}`)
    from = h.dates.findIndex((d) => d.startsWith(`${spec.year}-`))
    if (from < 0) throw new RiskFactorError(`no joint daily returns in ${spec.year}`)
    to = from
    while (to < h.dates.length && h.dates[to]!.startsWith(`${spec.year}-`)) to++
  }
  if (to - from < MIN_WINDOW_RETURNS) throw new RiskFactorError(`only ${to - from} joint daily returns in the window; at least ${MIN_WINDOW_RETURNS} are needed`)
  const first = h.dates[from]!
  const last = h.dates[to - 1]!
  const have = new Set(h.dates.slice(from, to))
  const perUnderlying = series.map((s) => ({ u: s.underlying, days: new Set(s.closes.map((c) => day(c.ts))) }))
  const gaps: string[] = []
  for (let ms = Date.parse(first); ms <= Date.parse(last); ms += DAY) {
    const d = day(ms)
    if (have.has(d)) continue
    const prev = day(ms - DAY)
    const missing = perUnderlying.filter((p) => !p.days.has(d) || !p.days.has(prev)).map((p) => p.u)
    gaps.push(`${d}: no daily return of ${missing.join(', ') || 'a factor'}`)
  }
  return { from, to, first, last, gaps }
}
