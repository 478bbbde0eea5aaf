/**
 * What VaR and its backtest share: the book valued and packed once, its risk factors from the stored daily
 * closes, scenarios built from factor moves, and the per-position P&L of chosen scenarios (for the Euler
 * components). docs/var.md.
 */
import { isUsdLike } from '../../shared/currencies'
import { VOL_FLOOR_POINTS } from '../../shared/stressApi'
import type { Db } from '../db/database'
import { listPriceSeries, priceCloses } from '../db/priceStore'
import { factorHistory, RiskFactorError, type CloseSeries, type FactorHistory } from '../domain/risk/riskFactors'
import type { FactorSensitivity } from '../domain/risk/parametric'
import { KIND_INVERSE_OPTION, KIND_LINEAR_OPTION, revalueScenarios, type KernelOptions, type PackedScenarios } from '../domain/stress/revaluationKernel'
import { daysToYears } from '../domain/time'
import { packBook, type PackedBookWithUnderlyings } from '../engine/packBook'
import { allocateScenarios } from '../engine/packScenarios'
import { sharedFrom } from '../engine/sharedArrays'
import { allocateOutput } from '../engine/stressPool'
import { loadStressSettings } from './stressService'
import { valueBook, type ExtraLine, type ValuedBook } from './valuationService'

const DAY = 86_400_000

export interface RiskBook {
  valued: ValuedBook
  valuationMs: number
  packed: PackedBookWithUnderlyings
  history: FactorHistory
  series: CloseSeries[]
  /** Per packed underlying: its spot factor and vol factor in the history (−1 = none). */
  spotFactor: number[]
  volFactor: number[]
  /** Per position: the contribution key for each aggregation. */
  keys: { position: string[]; underlying: string[]; account: string[] }
  notes: string[]
}

/** Thrown when there is nothing to take a VaR of. */
export class EmptyBookError extends RangeError {
  constructor(portfolio: string) {
    super(`portfolio "${portfolio}" has no valued position or balance: nothing to take a VaR of`)
    this.name = 'EmptyBookError'
  }
}

/**
 * The daily closes of an underlying for VaR: of its stored daily series, the one with most closes known at
 * `knownAtMs` (ties: the one reaching latest), as margin's history σ picks (marginService.ts).
 * @throws RiskFactorError when none is stored
 */
function closeSeries(db: Db, underlying: string, knownAtMs: number | null): CloseSeries {
  const known = (ts: number) => knownAtMs === null || ts + DAY <= knownAtMs
  const best = listPriceSeries(db, underlying)
    .filter((s) => s.interval === '1d')
    .map((s) => ({ s, closes: priceCloses(db, s.id).filter((c) => known(c.ts)) }))
    .sort((a, b) => b.closes.length - a.closes.length || b.s.lastTs - a.s.lastTs)[0]
  if (!best || best.closes.length < 2)
    throw new RiskFactorError(`no stored daily closes of ${underlying}${knownAtMs === null ? '' : ' before the valuation date'}: import a price history (riskdesk import FILE, docs/importers.md "Price history")`)
  return { underlying, source: best.s.source, closes: best.closes.map((c) => ({ ts: c.ts, close: Number(c.close) })) }
}

/**
 * Values and packs the book (with what-if legs, `extra`, after its own lines) and reads its factor history.
 * @param knownAtMs read returns known at this instant (the valuation instant for VaR; null for a backtest,
 *   which may test days after it)
 * @throws PortfolioNotFoundError, ValuationAsOfError (valueBook), EmptyBookError, RiskFactorError
 */
export function loadRiskBook(db: Db, selector: { portfolio?: string; asOf?: string }, historyToValuation: boolean, extra: readonly ExtraLine[] = [], now = Date.now()): RiskBook {
  const valued = valueBook(db, selector, now, extra)
  if (valued.engine.length === 0 || valued.valuationMs === null) throw new EmptyBookError(valued.portfolio.name)
  const valuationMs = valued.valuationMs
  const packed = packBook(valued.engine, { liquidity: loadStressSettings(db).liquidity })
  const notes: string[] = []
  const withOptions = new Set<string>()
  for (let i = 0; i < packed.book.n; i++) {
    const k = packed.book.kind[i]!
    if (k === KIND_INVERSE_OPTION || k === KIND_LINEAR_OPTION) withOptions.add(packed.underlyings[packed.book.underlyingId[i]!]!)
  }
  const moving = packed.underlyings.filter((u) => !isUsdLike(u))
  for (const u of packed.underlyings.filter((u) => isUsdLike(u))) notes.push(`${u} is held at its price in every scenario (no ${u} price history is read: stablecoin factor 0)`)
  const series = moving.map((u) => closeSeries(db, u, historyToValuation ? valuationMs : null))
  const history = factorHistory(series, withOptions, historyToValuation ? valuationMs : null)
  for (const s of series) notes.push(`${s.underlying}: daily log returns of the stored ${s.source} closes`)
  if (history.factors.some((f) => f.proxy))
    notes.push(
      `vol factor is a PROXY (${history.factors.filter((f) => f.proxy).map((f) => f.name).join(', ')}): fewer than two option-chain snapshots are read, so each day's ATM implied-vol change is taken as the change of the EWMA (λ 0.94) realised vol, annualised, 1:1 in vol points; options' vols move by it in parallel (sticky strike)`,
    )
  const spotFactor = packed.underlyings.map((u) => history.factors.findIndex((f) => f.underlying === u && f.kind === 'spot'))
  const volFactor = packed.underlyings.map((u) => history.factors.findIndex((f) => f.underlying === u && f.kind === 'vol'))
  const rows = valued.engineRows
  const counts = new Map<string, number>()
  const position = rows.map((r) => {
    const base = `${r.venue}/${r.account}/${r.instrument}`
    const n = (counts.get(base) ?? 0) + 1
    counts.set(base, n)
    return n === 1 ? base : `${base}#${n}`
  })
  return {
    valued,
    valuationMs,
    packed,
    history,
    series,
    spotFactor,
    volFactor,
    keys: { position, underlying: rows.map((r) => r.underlying), account: rows.map((r) => `${r.venue}/${r.account}`) },
    notes,
  }
}

/** Kernel options of a VaR run: no liquidity cost (VaR is of marked-to-market P&L), one group. */
export function totalsOnly(n: number): KernelOptions {
  return { liquidity: false, impactY: 0, groupId: sharedFrom(new Float64Array(n)), nGroups: 1 }
}

/**
 * Packs factor-move rows (each row m factors, summed over the horizon) as kernel scenarios with the horizon's
 * time decay.
 */
export function scenariosFromMoves(rb: RiskBook, rows: ReadonlyArray<ArrayLike<number>>, horizonDays: number): PackedScenarios {
  const nu = rb.packed.underlyings.length
  const sc = allocateScenarios(rows.length, nu)
  const dt = daysToYears(horizonDays)
  rows.forEach((x, k) => {
    for (let u = 0; u < nu; u++) {
      const sf = rb.spotFactor[u]!
      const vf = rb.volFactor[u]!
      sc.spotShock[k * nu + u] = sf < 0 ? 0 : Math.expm1(x[sf]!)
      sc.volSize[k * nu + u] = vf < 0 ? 0 : 100 * x[vf]!
    }
    sc.volFloor[k] = VOL_FLOOR_POINTS / 100
    sc.dtYears[k] = dt
    sc.spreadWidening[k] = 1
  })
  return sc
}

/** Sums of h consecutive rows (overlapping h-day moves), ending at each row from the h-th on. */
export function horizonSums(rows: readonly (readonly number[])[], h: number): number[][] {
  const out: number[][] = []
  for (let t = h - 1; t < rows.length; t++) {
    const s = new Array<number>(rows[t]!.length).fill(0)
    for (let d = t - h + 1; d <= t; d++) for (let f = 0; f < s.length; f++) s[f]! += rows[d]![f]!
    out.push(s)
  }
  return out
}

/**
 * Per-position USD P&L in the chosen scenarios of `sc` (on this thread, same kernel): row j holds scenario
 * `which[j]`'s P&L of each position (NaN where it was not finite).
 */
export function positionPnl(rb: RiskBook, sc: PackedScenarios, which: readonly number[]): Float64Array[] {
  const n = rb.packed.book.n
  const nu = rb.packed.underlyings.length
  const sub = allocateScenarios(which.length, nu)
  const fields = ['volRelative', 'termRefDays', 'termPowerShort', 'termPowerLong', 'termSplitDays', 'volFloor', 'stickyMoneyness', 'dtYears', 'atExpiry', 'basisShock', 'funding8h', 'spreadWidening'] as const
  which.forEach((k, j) => {
    for (let u = 0; u < nu; u++) {
      sub.spotShock[j * nu + u] = sc.spotShock[k * nu + u]!
      sub.volSize[j * nu + u] = sc.volSize[k * nu + u]!
    }
    for (const f of fields) sub[f][j] = sc[f][k]!
  })
  const out = allocateOutput(which.length, nu, n, n)
  const groupId = new Float64Array(n).map((_, i) => i)
  revalueScenarios(rb.packed.book, sub, 0, which.length, { liquidity: false, impactY: 0, groupId, nGroups: n }, out)
  return which.map((_, j) => out.groupPnlUsd.slice(j * n, (j + 1) * n))
}

/** Each position's Taylor terms in the factors over h days (parametric methods), from the packed Greeks. */
export function sensitivities(rb: RiskBook, horizonDays: number): FactorSensitivity[] {
  const b = rb.packed.book
  const m = rb.history.factors.length
  return Array.from({ length: b.n }, (_, i) => {
    const u = b.underlyingId[i]!
    const a = new Array<number>(m).fill(0)
    const sf = rb.spotFactor[u]!
    const vf = rb.volFactor[u]!
    if (sf >= 0) a[sf] = b.taylorS[i]!
    if (vf >= 0) a[vf] = b.taylorVol[i]!
    return { a, gammaFactor: Math.max(sf, 0), gamma: sf >= 0 ? b.taylorSS[i]! : 0, theta: b.taylorTime[i]! * daysToYears(horizonDays) }
  })
}
