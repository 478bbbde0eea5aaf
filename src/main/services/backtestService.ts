/**
 * runBacktest: for each day of a period, the 1-day VaR forecast from the window of daily moves before it, set
 * against the book's hypothetical P&L that day (the current book — positions and balances as valued — revalued
 * in full on that day's moves, with one day of time decay); exceptions, Kupiec, Christoffersen, conditional
 * coverage and the Basel traffic light (domain/risk/backtest.ts). docs/var.md.
 */
import type { BacktestRequestParsed, BacktestResult } from '../../shared/varApi'
import type { Db } from '../db/database'
import { backtestExceptions } from '../domain/risk/backtest'
import { covariance } from '../domain/risk/linearAlgebra'
import { parametricVar } from '../domain/risk/parametric'
import { RiskFactorError } from '../domain/risk/riskFactors'
import { tailEstimate } from '../domain/risk/tailEstimators'
import { ewmaVariance, EWMA_LAMBDA, fitGarch11 } from '../domain/risk/volatility'
import type { StressPool, StressRunOptions } from '../engine/stressPool'
import { loadRiskBook, scenariosFromMoves, sensitivities, totalsOnly } from './varFactors'

/** Days tested when no period is given: the last 730 before the valuation date. */
export const DEFAULT_BACKTEST_DAYS = 730

/**
 * @param request as the API's schema parses it (backtestRequest)
 * @throws PortfolioNotFoundError, ValuationAsOfError, EmptyBookError, RiskFactorError (no history, a period
 *   without enough history before it), RangeError for from > to, the pool's AbortError when cancelled
 */
export async function runBacktest(db: Db, pool: StressPool, request: BacktestRequestParsed, options: StressRunOptions = {}): Promise<BacktestResult> {
  const rb = loadRiskBook(db, { portfolio: request.portfolio, asOf: request.asOf }, false)
  const { dates, moves, factors } = rb.history
  const W = request.window
  const alpha = request.confidence
  const valuationDay = new Date(rb.valuationMs).toISOString().slice(0, 10)
  const knownAtValuation = dates.filter((d) => d < valuationDay)
  const to = request.to ?? knownAtValuation.at(-1)
  const from = request.from ?? knownAtValuation.at(-DEFAULT_BACKTEST_DAYS)
  if (to === undefined || from === undefined) throw new RiskFactorError(`no daily moves before the valuation date ${valuationDay} to test`)
  if (from > to) throw new RangeError(`--from ${from} is after --to ${to}`)
  const first = dates.findIndex((d) => d >= from)
  let last = dates.length - 1
  while (last >= 0 && dates[last]! > to) last--
  if (first < 0 || last < first) throw new RiskFactorError(`no joint daily moves between ${from} and ${to}`)
  if (first < W) throw new RiskFactorError(`the first day tested, ${dates[first]}, has ${first} daily moves before it; the window needs ${W} (test from ${dates[W] ?? 'a later day'} on, or use a shorter --window)`)
  const days = last - first + 1
  const notes = [...rb.notes, ...rb.packed.assumptions]
  notes.push(`hypothetical P&L: the book as valued at ${rb.valued.report.valuationTime} revalued in full on each day's moves (one day of time decay), not the P&L actually made`)
  if (dates[last]! >= valuationDay) notes.push(`days from ${valuationDay} on lie after the valuation date: the book as it stands is applied to their moves`)
  const n = rb.packed.book.n
  const kernel = totalsOnly(n)
  const h = 1
  // Each day's own P&L: the kernel on the day's move (scenarios first … last).
  const dayMoves = moves.slice(first, last + 1)
  let forecasts: number[]
  let pnlDays: Float64Array
  let model: string | null = null
  const progress = (base: number, total: number) =>
    options.onProgress ? { ...options, onProgress: (d: number) => options.onProgress!(base + d, total) } : options
  if (request.method === 'historical') {
    // Every day's P&L from first − W to last: windows and test days read the same revaluations.
    const out = await pool.run(rb.packed.book, scenariosFromMoves(rb, moves.slice(first - W, last + 1), h), kernel, options)
    const all = out.pnlUsd
    pnlDays = all.slice(W)
    forecasts = Array.from({ length: days }, (_, d) => tailEstimate(all.subarray(d, d + W), alpha).var)
  } else {
    pnlDays = (await pool.run(rb.packed.book, scenariosFromMoves(rb, dayMoves, h), kernel, progress(0, days))).pnlUsd
    if (request.method === 'parametric') {
      model = request.parametric
      const sens = sensitivities(rb, h)
      forecasts = Array.from({ length: days }, (_, d) => parametricVar(covariance(moves.slice(first + d - W, first + d)), sens, alpha, request.parametric === 'delta-gamma').var)
    } else {
      model = request.filter
      // Filtered scenarios of each day: the window's spot returns rescaled by σ(day) ÷ σ(their day).
      const spot = factors.map((f, j) => (f.kind === 'spot' ? j : -1)).filter((j) => j >= 0)
      const ewma = request.filter === 'ewma' ? spot.map((j) => ewmaVariance(moves.map((r) => r[j]!), EWMA_LAMBDA).variances) : null
      const rows: number[][] = []
      for (let d = 0; d < days; d++) {
        const t = first + d
        const scale = spot.map((j, s) => {
          if (ewma) return (u: number) => Math.sqrt(ewma[s]![t]! / ewma[s]![u]!)
          const g = fitGarch11(moves.slice(t - W, t).map((r) => r[j]!))
          return (u: number) => Math.sqrt(g.forecast / g.variances[u - (t - W)]!)
        })
        for (let u = t - W; u < t; u++) {
          const r = [...moves[u]!]
          spot.forEach((j, s) => (r[j] = r[j]! * scale[s]!(u)))
          rows.push(r)
        }
      }
      const out = await pool.run(rb.packed.book, scenariosFromMoves(rb, rows, h), kernel, progress(days, days + rows.length))
      forecasts = Array.from({ length: days }, (_, d) => tailEstimate(out.pnlUsd.subarray(d * W, (d + 1) * W), alpha).var)
      notes.push(`filtered historical: ${request.filter === 'ewma' ? 'EWMA (λ 0.94) over the whole history' : 'GARCH(1,1) refitted on each day\'s window'}`)
    }
  }
  const exceptions = forecasts.map((v, d) => -pnlDays[d]! > v)
  const stats = backtestExceptions(exceptions, alpha)
  return {
    portfolio: rb.valued.portfolio.name,
    valuationTime: rb.valued.report.valuationTime,
    method: request.method,
    model,
    confidence: alpha,
    window: W,
    from: dates[first]!,
    to: dates[last]!,
    days: stats.days,
    exceptions: stats.exceptions,
    expectedExceptions: stats.expected,
    transitions: stats.transitions,
    kupiec: stats.kupiec,
    christoffersen: stats.christoffersen,
    conditionalCoverage: stats.conditionalCoverage,
    trafficLight: stats.trafficLight,
    series: forecasts.map((v, d) => ({ date: dates[first + d]!, var: v, pnlUsd: pnlDays[d]!, exception: exceptions[d]! })),
    notes,
  }
}
