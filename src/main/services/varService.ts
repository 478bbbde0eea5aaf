/**
 * runVar: Value at Risk and Expected Shortfall of the whole book (positions and balances) at the valuation
 * date, by historical simulation, filtered historical simulation, parametric (delta-normal or delta-gamma
 * Cornish–Fisher) or Monte Carlo (Student-t or normal), with Euler contributions and the P&L distribution.
 * Simulation methods revalue every scenario in full through the stress kernel on the worker pool.
 * docs/var.md.
 */
import { VOL_FLOOR_POINTS } from '../../shared/stressApi'
import type { VarRequestParsed, VarResult } from '../../shared/varApi'
import type { Db } from '../db/database'
import { cholesky, covariance } from '../domain/risk/linearAlgebra'
import type { MonteCarloModel } from '../domain/risk/monteCarloPaths'
import { parametricVar } from '../domain/risk/parametric'
import { selectWindow, type FactorWindow, type WindowSpec } from '../domain/risk/riskFactors'
import { fitStudentTDegrees, MAX_DEGREES_OF_FREEDOM } from '../domain/risk/studentT'
import { empiricalQuantiles, histogram, tailEstimate, worstFirst } from '../domain/risk/tailEstimators'
import { ewmaVariance, EWMA_LAMBDA, fitGarch11 } from '../domain/risk/volatility'
import type { KernelOptions, PackedScenarios } from '../domain/stress/revaluationKernel'
import type { StressPool, StressRunOptions } from '../engine/stressPool'
import { horizonSums, loadRiskBook, positionPnl, scenariosFromMoves, sensitivities, totalsOnly, type RiskBook } from './varFactors'

/** Probabilities of the reported P&L quantiles. */
export const DISTRIBUTION_PROBABILITIES = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999]
const HISTOGRAM_BINS = 60

export const windowSpec = (w: number | string): WindowSpec => (typeof w === 'number' ? { kind: 'days', days: w } : { kind: 'year', year: Number(w) })

/** Window rows of the history. */
export const windowRows = (rb: RiskBook, w: FactorWindow) => rb.history.moves.slice(w.from, w.to)

/**
 * Filtered historical returns (Hull & White 1998): each spot factor's return of day t rescaled by σ_next/σ_t, σ
 * from EWMA (over the whole history up to the window's end, so the filter is warmed up) or GARCH(1,1) fitted on
 * the window. Vol factors are not filtered.
 * @returns the rows and the fitted parameters
 */
export function filteredRows(rb: RiskBook, w: FactorWindow, filter: 'ewma' | 'garch'): { rows: number[][]; fitted: Record<string, number> } {
  const rows = windowRows(rb, w).map((r) => [...r])
  const fitted: Record<string, number> = {}
  rb.history.factors.forEach((f, j) => {
    if (f.kind !== 'spot') return
    let variances: number[]
    let forecast: number
    if (filter === 'ewma') {
      const all = rb.history.moves.slice(0, w.to).map((r) => r[j]!)
      const e = ewmaVariance(all, EWMA_LAMBDA)
      variances = e.variances.slice(w.from, w.to)
      forecast = e.forecast
      fitted[`${f.name} lambda`] = EWMA_LAMBDA
    } else {
      const g = fitGarch11(rows.map((r) => r[j]!))
      variances = g.variances
      forecast = g.forecast
      fitted[`${f.name} omega`] = g.omega
      fitted[`${f.name} alpha`] = g.alpha
      fitted[`${f.name} beta`] = g.beta
    }
    fitted[`${f.name} forecast daily sd`] = Math.sqrt(forecast)
    rows.forEach((r, t) => (r[j] = r[j]! * Math.sqrt(forecast / variances[t]!)))
  })
  return { rows, fitted }
}

function sd(xs: ArrayLike<number>): { mean: number; sd: number } {
  let m = 0
  for (let i = 0; i < xs.length; i++) m += xs[i]! / xs.length
  let v = 0
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2 / Math.max(xs.length - 1, 1)
  return { mean: m, sd: Math.sqrt(v) }
}

function aggregate(rb: RiskBook, by: VarRequestParsed['by'], cVar: readonly number[], cEs: readonly number[], total: number): VarResult['contributions'] {
  const keys = rb.keys[by]
  const groups = new Map<string, { var: number; es: number }>()
  keys.forEach((k, i) => {
    const g = groups.get(k) ?? { var: 0, es: 0 }
    g.var += Number.isFinite(cVar[i]!) ? cVar[i]! : 0
    g.es += Number.isFinite(cEs[i]!) ? cEs[i]! : 0
    groups.set(k, g)
  })
  return [...groups].map(([key, g]) => ({ key, var: g.var, es: g.es, share: total === 0 ? 0 : g.var / total }))
}

/** What a simulation method's scenarios gave: P&L per scenario (total and per kernel group) and how it was drawn. */
export interface VarSimulation {
  /** USD P&L of the whole book per scenario (path). */
  pnl: Float64Array
  /** USD P&L per scenario × kernel group (scenario-major), as `kernel.groupId` grouped the positions. */
  groupPnl: Float64Array
  /** The scenarios revalued (Monte Carlo: the paths' scenarios as the workers drew them). */
  scenarios: PackedScenarios
  badScenarios: Int32Array
  model: string | null
  fitted: Record<string, number> | null
  notes: string[]
}

/**
 * Revalues the scenarios of a simulation method (historical, fhs, montecarlo) for a packed risk book: the window's
 * moves (filtered for fhs, summed over the horizon), or `request.paths` Monte Carlo paths from `request.seed`.
 * The same request on the same risk book gives the same scenarios, whatever the kernel grouping: VaR and the
 * what-if's before / after (whatifVarService.ts) share this one place.
 * @throws RangeError for the parametric method (it has no scenarios); the pool's AbortError when cancelled
 */
export async function simulateVar(rb: RiskBook, w: FactorWindow, request: VarRequestParsed, pool: StressPool, kernel: KernelOptions, options: StressRunOptions = {}): Promise<VarSimulation> {
  const { method, horizonDays: h } = request
  const rowsW = windowRows(rb, w)
  const notes: string[] = []
  if (method === 'parametric') throw new RangeError('the parametric method has no scenarios to simulate')
  if (method === 'montecarlo') {
    const sigma = covariance(rowsW)
    const L = cholesky(sigma)
    let df = Infinity
    let fitted: Record<string, number> | null = null
    if (request.distribution === 'student-t') {
      df = fitStudentTDegrees(rowsW, sigma).df
      fitted = { degreesOfFreedom: df }
      if (df >= MAX_DEGREES_OF_FREEDOM) notes.push('Student-t degrees of freedom reached the search bound (1000): the window shows no fat tails')
    }
    const mc: MonteCarloModel = {
      m: sigma.length,
      cholesky: L.flat(),
      df,
      horizonDays: h,
      spotFactor: rb.spotFactor,
      volFactor: rb.volFactor,
      volFloor: VOL_FLOOR_POINTS / 100,
    }
    const run = await pool.runMonteCarlo(rb.packed.book, mc, request.seed, request.paths, kernel, options)
    notes.push(
      `Monte Carlo: ${request.paths.toLocaleString('en-US')} paths, seed ${request.seed}; daily factor moves ${request.distribution === 'student-t' ? `multivariate Student-t (ν = ${df.toFixed(2)} by maximum likelihood)` : 'multivariate normal'} with the window's covariance, summed over ${h} day${h > 1 ? 's' : ''} per path`,
    )
    return { pnl: run.out.pnlUsd, groupPnl: run.out.groupPnlUsd, scenarios: run.scenarios, badScenarios: run.out.badScenarios, model: request.distribution, fitted, notes }
  }
  let rows = rowsW
  let fitted: Record<string, number> | null = null
  let model: string | null = null
  if (method === 'fhs') {
    model = request.filter
    const f = filteredRows(rb, w, request.filter)
    rows = f.rows
    fitted = f.fitted
    notes.push(`filtered historical simulation: spot returns rescaled by ${request.filter === 'ewma' ? 'EWMA (λ 0.94)' : 'GARCH(1,1)'} σ forecast ÷ σ of their day (Hull & White 1998); vol-factor moves unfiltered`)
  }
  const moves = horizonSums(rows, h)
  if (h > 1) notes.push(`${h}-day scenarios: sums of ${h} consecutive daily moves of the window (overlapping), ${moves.length} scenarios`)
  const sc = scenariosFromMoves(rb, moves, h)
  const out = await pool.run(rb.packed.book, sc, kernel, options)
  return { pnl: out.pnlUsd, groupPnl: out.groupPnlUsd, scenarios: sc, badScenarios: out.badScenarios, model, fitted, notes }
}

/** The quantile rule of every simulation method, said once. */
export const QUANTILE_RULE_NOTE =
  "quantile rule: VaR = −(the ⌈N(1 − α)⌉-th worst P&L) (inverted CDF); ES = mean of the worst N(1 − α) outcomes, the boundary one in part (Acerbi & Tasche 2002); components: each position's P&L in those scenarios"

/** The parametric method's note. */
export const parametricNote = (model: string, h: number, withGamma: boolean) =>
  `parametric ${model}: factor moves normal with the window's covariance × ${h} (independent days), P&L from each position's ${withGamma ? 'delta, gamma' : 'delta'}, vega and theta over ${h} day${h > 1 ? 's' : ''}${withGamma ? '; quantile and ES by Cornish–Fisher on the cumulants of the delta-gamma P&L' : ''}`

/**
 * Runs a VaR request.
 * @param request as the API's schema parses it (varRequest: defaults filled in)
 * @throws PortfolioNotFoundError, ValuationAsOfError, EmptyBookError, RiskFactorError (no or stale history,
 *   window too short), RangeError (a book with no variance), the pool's AbortError when cancelled
 */
export async function runVar(db: Db, pool: StressPool, request: VarRequestParsed, options: StressRunOptions = {}): Promise<VarResult> {
  const started = performance.now()
  const rb = loadRiskBook(db, { portfolio: request.portfolio, asOf: request.asOf }, true)
  const w = selectWindow(rb.history, windowSpec(request.window), rb.valuationMs, rb.series)
  const { method, confidence: alpha, horizonDays: h } = request
  const n = rb.packed.book.n
  const notes = [...rb.notes, ...rb.packed.assumptions]
  const rowsW = windowRows(rb, w)
  const factorSd = covariance(rowsW).map((r, i) => Math.sqrt(r[i]!))
  let pnl: Float64Array
  let fitted: Record<string, number> | null = null
  let model: string | null = null
  let badScenarios: Int32Array | null = null
  let result: Pick<VarResult, 'var' | 'es' | 'distribution'> & { cVar: number[]; cEs: number[] }
  if (method === 'parametric') {
    model = request.parametric
    const sigma = covariance(rowsW).map((r) => r.map((v) => v * h))
    const withGamma = request.parametric === 'delta-gamma'
    const r = parametricVar(sigma, sensitivities(rb, h), alpha, withGamma)
    notes.push(parametricNote(model, h, withGamma))
    pnl = new Float64Array(0)
    result = {
      var: r.var,
      es: r.es,
      cVar: r.componentVar,
      cEs: r.componentEs,
      distribution: {
        quantiles: DISTRIBUTION_PROBABILITIES.map((p) => ({ p, pnlUsd: -parametricVar(sigma, sensitivities(rb, h), 1 - p, withGamma).var })),
        histogram: null,
        mean: r.moments.mean,
        sd: r.moments.sd,
      },
    }
  } else {
    const sim = await simulateVar(rb, w, request, pool, totalsOnly(n), options)
    pnl = sim.pnl
    badScenarios = sim.badScenarios
    model = sim.model
    fitted = sim.fitted
    notes.push(...sim.notes)
    const order = worstFirst(pnl)
    const t = tailEstimate(pnl, alpha, order)
    const which = [t.varScenario, ...t.esScenarios]
    const per = positionPnl(rb, sim.scenarios, which)
    const cVar = Array.from(per[0]!, (v) => -v)
    const cEs = new Array<number>(n).fill(0)
    t.esWeights.forEach((wgt, j) => per[j + 1]!.forEach((v, i) => (cEs[i]! -= wgt * (Number.isFinite(v) ? v : 0))))
    const m = sd(pnl)
    result = {
      var: t.var,
      es: t.es,
      cVar,
      cEs,
      distribution: {
        quantiles: empiricalQuantiles(pnl, DISTRIBUTION_PROBABILITIES, order).map((v, i) => ({ p: DISTRIBUTION_PROBABILITIES[i]!, pnlUsd: v })),
        histogram: histogram(pnl, HISTOGRAM_BINS),
        mean: m.mean,
        sd: m.sd,
      },
    }
    notes.push(QUANTILE_RULE_NOTE)
  }
  if (h > 1) notes.push(`options are revalued ${h} days on (time decay over the horizon); perpetual funding is not charged`)
  if (w.gaps.length > 0) notes.push(`${w.gaps.length} day${w.gaps.length > 1 ? 's' : ''} of the window without a joint move (left out): ${w.gaps.slice(0, 5).join('; ')}${w.gaps.length > 5 ? '; …' : ''}`)
  return {
    portfolio: rb.valued.portfolio.name,
    valuationTime: rb.valued.report.valuationTime,
    method,
    model,
    confidence: alpha,
    horizonDays: h,
    var: result.var,
    es: result.es,
    valueUsd: rb.valued.report.positions.reduce((a, r) => a + (r.valueUsd ?? 0), 0),
    positions: n,
    window: { first: w.first, last: w.last, returns: w.to - w.from, gaps: w.gaps },
    factors: rb.history.factors.map((f, j) => ({ name: f.name, kind: f.kind, proxy: f.proxy, dailySd: factorSd[j]! })),
    by: request.by,
    contributions: aggregate(rb, request.by, result.cVar, result.cEs, result.var),
    distribution: result.distribution,
    scenarios: pnl.length,
    seed: method === 'montecarlo' ? request.seed : null,
    fitted,
    workers: method === 'parametric' ? 0 : pool.workers,
    elapsedMs: performance.now() - started,
    badPositions: badScenarios ? rb.keys.position.map((key, i) => ({ key, scenarios: badScenarios![i]! })).filter((b) => b.scenarios > 0) : [],
    excluded: rb.valued.excluded,
    notes,
  }
}
