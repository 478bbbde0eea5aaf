/**
 * VaR and ES of a what-if book before and after its legs, the change (the legs' incremental VaR together), and per
 * leg its incremental VaR alone and its Euler component in the after book (docs/whatif.md, docs/var.md).
 *
 * Both sides come from ONE revaluation of the book with its legs, so the change is not sampling noise: the kernel
 * groups the book's own lines (group 0) and each leg with the cash it moves (group 1 + j: the leg's line and its
 * `whatif-cash` line, the premium or price paid) and the P&L of every scenario is split by group
 * — before = the book's group, after = the book's group + the legs' groups (summed among themselves first, so legs
 * that cancel, +q and −q of one instrument, change nothing to the last bit). The scenarios are those of runVar
 * (varService.ts simulateVar): the same window dates for historical and filtered historical simulation, the same
 * seed's paths for Monte Carlo. The factor set is that of the book with its legs: a leg on an underlying the book
 * does not hold adds that factor to both sides (said so). Parametric: the same covariance on both sides, the legs'
 * Taylor terms netted per underlying before they join the book's.
 */
import type { VarRequestParsed } from '../../shared/varApi'
import { isWhatIfOrigin, type PositionOrigin } from '../../shared/positionOrigin'
import type { getWhatIfVarRequest, WhatIfVarResult } from '../../shared/whatifApi'
import type { z } from 'zod'
import type { Db } from '../db/database'
import { findWhatIfBook, whatIfLegs } from '../db/whatifStore'
import { covariance } from '../domain/risk/linearAlgebra'
import { parametricVar, type FactorSensitivity } from '../domain/risk/parametric'
import { selectWindow } from '../domain/risk/riskFactors'
import { tailEstimate } from '../domain/risk/tailEstimators'
import { sharedFrom } from '../engine/sharedArrays'
import type { StressPool, StressRunOptions } from '../engine/stressPool'
import { loadRiskBook, positionPnl, sensitivities } from './varFactors'
import { parametricNote, QUANTILE_RULE_NOTE, simulateVar, windowRows, windowSpec } from './varService'
import { whatIfLegLines, whatIfSummaryOf } from './whatifService'

export type GetWhatIfVarRequestParsed = z.infer<typeof getWhatIfVarRequest>

type Side = { var: number; es: number }

/** Legs' Taylor terms summed per spot factor (their gamma's factor), in leg order: cancelling legs sum to 0 exactly. */
function netSensitivities(legs: readonly FactorSensitivity[]): FactorSensitivity[] {
  const by = new Map<number, { a: number[]; gammaFactor: number; gamma: number; theta: number }>()
  for (const l of legs) {
    const x = by.get(l.gammaFactor)
    if (!x) by.set(l.gammaFactor, { a: [...l.a], gammaFactor: l.gammaFactor, gamma: l.gamma, theta: l.theta })
    else {
      l.a.forEach((v, i) => (x.a[i]! += v))
      x.gamma += l.gamma
      x.theta += l.theta
    }
  }
  return [...by.values()]
}

/**
 * @param request as getWhatIfVarRequest parses it (defaults of the VaR request filled in)
 * @throws WhatIfNotFoundError; PortfolioNotFoundError; ValuationAsOfError; EmptyBookError; RiskFactorError;
 *   RangeError (a book with no variance); the pool's AbortError when cancelled
 */
export async function whatIfVar(db: Db, pool: StressPool, request: GetWhatIfVarRequestParsed, options: StressRunOptions = {}, now = Date.now()): Promise<WhatIfVarResult> {
  const started = performance.now()
  const book = findWhatIfBook(db, request.name)
  const legs = whatIfLegs(db, book.id)
  const lines = whatIfLegLines(db, book.portfolio, legs, request.asOf, now)
  const varRequest: VarRequestParsed = { ...request, portfolio: book.portfolio, by: 'position' }
  const rb = loadRiskBook(db, { portfolio: book.portfolio, asOf: request.asOf }, true, lines.lines, now)
  const w = selectWindow(rb.history, windowSpec(request.window), rb.valuationMs, rb.series)
  const { method, confidence: alpha, horizonDays: h } = request
  const n = rb.packed.book.n
  const rows = rb.valued.engineRows
  // Kernel groups: 0 = the book's own lines, 1 + j = the j-th valued leg with its cash line (same leg id).
  const legAt = rows.flatMap((r, i) => (isWhatIfOrigin(r.origin) ? [i] : []))
  const legIds = [...new Set(legAt.map((i) => rows[i]!.id))]
  const legOf = new Map(legIds.map((id, j) => [id, j]))
  const group = new Float64Array(n)
  for (const i of legAt) group[i] = 1 + legOf.get(rows[i]!.id)!
  const G = 1 + legIds.length
  const notes = [...lines.notes, ...rb.notes, ...rb.packed.assumptions]
  notes.push(
    'before and after are revalued together on the same scenarios (the same window dates, or the same seed\'s paths): the book\'s lines and each leg are summed apart, so the change is the legs\' own P&L in those scenarios, not sampling noise',
  )
  const bookUnderlyings = new Set(rows.filter((r) => !isWhatIfOrigin(r.origin)).map((r) => r.underlying))
  const added = [...new Set(legAt.map((i) => rows[i]!.underlying))].filter((u) => !bookUnderlyings.has(u))
  if (added.length > 0) notes.push(`the legs add ${added.join(', ')} to the book: its factors are read for both sides (the before VaR is the book's, on the factor set of the book with the legs)`)

  let before: Side
  let after: Side
  let alone: Side[]
  let component: Side[]
  let scenarios = 0
  let fitted: Record<string, number> | null = null
  let model: string | null
  if (method === 'parametric') {
    model = request.parametric
    const withGamma = request.parametric === 'delta-gamma'
    const sigma = covariance(windowRows(rb, w)).map((r) => r.map((v) => v * h))
    const sens = sensitivities(rb, h)
    const own = sens.filter((_, i) => group[i] === 0)
    // Each leg's terms with its cash line's, netted per spot factor (a premium in the option's own coin nets into its delta).
    const legSens = legIds.map((_, j) => netSensitivities(sens.filter((_, i) => group[i] === 1 + j)))
    const pv = (xs: FactorSensitivity[]) => parametricVar(sigma, xs, alpha, withGamma)
    before = pv(own)
    after = pv([...own, ...netSensitivities(legSens.flat())])
    alone = legSens.map((l) => pv([...own, ...l]))
    const split = pv([...own, ...legSens.flat()])
    let at = own.length
    component = legSens.map((l) => {
      const c = { var: 0, es: 0 }
      for (let k = 0; k < l.length; k++, at++) {
        c.var += split.componentVar[at]!
        c.es += split.componentEs[at]!
      }
      return c
    })
    notes.push(parametricNote(model, h, withGamma))
  } else {
    const sim = await simulateVar(rb, w, varRequest, pool, { liquidity: false, impactY: 0, groupId: sharedFrom(group), nGroups: G }, options)
    model = sim.model
    fitted = sim.fitted
    notes.push(...sim.notes)
    const K = sim.pnl.length
    scenarios = K
    const gp = sim.groupPnl
    const b = new Float64Array(K)
    const a = new Float64Array(K)
    const each = legIds.map(() => new Float64Array(K))
    for (let k = 0; k < K; k++) {
      const own = gp[k * G]!
      let legsPnl = 0
      for (let j = 1; j < G; j++) {
        legsPnl += gp[k * G + j]!
        each[j - 1]![k] = own + gp[k * G + j]!
      }
      b[k] = own
      a[k] = own + legsPnl
    }
    before = tailEstimate(b, alpha)
    const tAfter = tailEstimate(a, alpha)
    after = tAfter
    alone = each.map((x) => tailEstimate(x, alpha))
    // Euler components of the legs in the after book: minus their P&L (leg and cash lines) in the VaR scenario and the ES tail.
    const per = positionPnl(rb, sim.scenarios, [tAfter.varScenario, ...tAfter.esScenarios])
    const finite = (x: number) => (Number.isFinite(x) ? x : 0)
    component = legIds.map((_, j) => {
      const lines = legAt.filter((i) => group[i] === 1 + j)
      let es = 0
      tAfter.esWeights.forEach((wgt, k) => lines.forEach((i) => (es -= wgt * finite(per[k + 1]![i]!))))
      return { var: -lines.reduce((a, i) => a + per[0]![i]!, 0), es }
    })
    notes.push(QUANTILE_RULE_NOTE)
  }
  if (h > 1) notes.push(`options are revalued ${h} days on (time decay over the horizon); perpetual funding is not charged`)
  const factorSd = covariance(windowRows(rb, w)).map((r, i) => Math.sqrt(r[i]!))
  const valueOf = (keep: (r: { origin: PositionOrigin }) => boolean) => rb.valued.report.positions.filter(keep).reduce((s, r) => s + (r.valueUsd ?? 0), 0)
  const bookLines = n - legAt.length
  return {
    whatIf: whatIfSummaryOf(book),
    valuationTime: rb.valued.report.valuationTime,
    method,
    model,
    confidence: alpha,
    horizonDays: h,
    window: { first: w.first, last: w.last, returns: w.to - w.from, gaps: w.gaps },
    factors: rb.history.factors.map((f, j) => ({ name: f.name, kind: f.kind, proxy: f.proxy, dailySd: factorSd[j]! })),
    scenarios,
    seed: method === 'montecarlo' ? request.seed : null,
    fitted,
    before: { var: before.var, es: before.es, valueUsd: valueOf((r) => !isWhatIfOrigin(r.origin)), positions: bookLines },
    after: { var: after.var, es: after.es, valueUsd: valueOf(() => true), positions: bookLines + legIds.length },
    change: { var: after.var - before.var, es: after.es - before.es },
    legs: legs.map((l) => {
      const j = legOf.get(l.id)
      return {
        legId: l.id,
        instrument: l.instrument.name,
        account: `${l.venue}/${l.account}`,
        incrementalVar: j === undefined ? null : alone[j]!.var - before.var,
        incrementalEs: j === undefined ? null : alone[j]!.es - before.es,
        componentVar: j === undefined ? null : component[j]!.var,
        componentEs: j === undefined ? null : component[j]!.es,
      }
    }),
    workers: method === 'parametric' ? 0 : pool.workers,
    elapsedMs: performance.now() - started,
    excluded: rb.valued.excluded,
    notes,
  }
}
