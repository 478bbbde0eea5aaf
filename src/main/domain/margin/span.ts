/**
 * A SPAN-style requirement (CME's Standard Portfolio Analysis of Risk), exchange-neutral.
 *
 * The portfolio is revalued under 16 scenarios: price moves of 0, ±1/3, ±2/3, ±1 price scan range, each with
 * vol up and down by the vol scan range, plus two extreme moves of ±2 scan ranges at unchanged vol, counted
 * at 35% (params/venues.ts `span.scenarios`). The risk array holds the weighted loss per scenario (losses
 * positive, CME convention); the scanning risk is the largest loss (0 if every scenario gains).
 * Sources: CME "Components of SPAN" (http://www.cme.com/clearing/rmspan/span/components.html); CME report
 * definitions (https://cmegroupclientsite.atlassian.net/wiki/spaces/pubspan/pages/46137504); the worked
 * example in McMillan, "Options as a Strategic Investment", ch. 34 (S&P 500 futures and options).
 *
 * Combined-commodity requirement [P] (http://www.cmegroup.com/clearing/risk-management/span-overview.html):
 *   risk = max(scan risk + intra-commodity spread charge + delivery charge − inter-commodity credit,
 *              short option minimum);  requirement = risk − net option value.
 *
 * The revaluation is a callback, so the requirement can use Riskdesk's pricing (`spanBlack76Revaluation`
 * builds one from Black-76) or any other model. Float64.
 */
import { black76PriceUnchecked } from '../pricing/black76'
import type { SpanScenarioDef } from './params/venues'

/** One scenario as handed to the revaluation callback. */
export interface SpanMove {
  scenario: SpanScenarioDef
  /** Price move in price units: scenario.priceMove × price scan range. */
  priceMove: number
  /** Vol move as a decimal: scenario.volMove × vol scan range. */
  volMove: number
}

/** Portfolio P&L (profit positive) of a move, unweighted, in the account currency. */
export type SpanRevaluation = (move: SpanMove) => number

export interface SpanInput {
  /** Price scan range in price units (e.g. USD per unit of underlying, or per contract). */
  priceScanRange: number
  /** Vol scan range as a decimal (0.05 = 5 vol points). */
  volScanRange: number
  revalue: SpanRevaluation
  /** The 16 CME scenarios by default (params). */
  scenarios: readonly SpanScenarioDef[]
}

export interface SpanScanResult {
  /** Weighted loss per scenario (losses positive), in scenario order. */
  riskArray: number[]
  /** Weighted P&L per scenario (profit positive). */
  weightedPnl: number[]
  /** max(0, largest weighted loss). */
  scanRisk: number
  /** CME number (1–16) of the scenario giving the scan risk; null if every scenario gains. */
  worstScenario: number | null
}

/** Thrown for a non-positive scan range or an empty scenario list. */
export class SpanInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'SpanInputError'
  }
}

/**
 * Risk array and scanning risk of a portfolio.
 * @throws SpanInputError for a negative scan range, no scenarios, or a non-finite revaluation.
 */
export function spanScanRisk(input: SpanInput): SpanScanResult {
  if (!(input.priceScanRange >= 0) || !(input.volScanRange >= 0)) throw new SpanInputError('scan ranges must be ≥ 0')
  if (input.scenarios.length === 0) throw new SpanInputError('no scenarios')
  const weightedPnl: number[] = []
  const riskArray: number[] = []
  let scanRisk = 0
  let worstScenario: number | null = null
  for (const sc of input.scenarios) {
    const pnl = input.revalue({ scenario: sc, priceMove: sc.priceMove * input.priceScanRange, volMove: sc.volMove * input.volScanRange })
    if (!Number.isFinite(pnl)) throw new SpanInputError(`scenario ${sc.number}: revaluation not finite`)
    const w = sc.weight * pnl
    weightedPnl.push(w)
    riskArray.push(w === 0 ? 0 : -w)
    if (-w > scanRisk) {
      scanRisk = -w
      worstScenario = sc.number
    }
  }
  return { riskArray, weightedPnl, scanRisk, worstScenario }
}

export interface SpanRequirementInput {
  scanRisk: number
  intraCommoditySpreadCharge?: number
  deliveryCharge?: number
  interCommodityCredit?: number
  shortOptionMinimum?: number
  /** Long option value minus short option value (positive for a net long option portfolio). */
  netOptionValue?: number
}

/**
 * Combined-commodity requirement = max(scan + intra + delivery − inter credit, short option minimum) − net
 * option value (same currency as the inputs).
 */
export function spanRequirement(i: SpanRequirementInput): { risk: number; requirement: number } {
  const risk = Math.max(
    i.scanRisk + (i.intraCommoditySpreadCharge ?? 0) + (i.deliveryCharge ?? 0) - (i.interCommodityCredit ?? 0),
    i.shortOptionMinimum ?? 0,
  )
  return { risk, requirement: risk - (i.netOptionValue ?? 0) }
}

/** A position for `spanBlack76Revaluation`: futures (linear) or European options on the same forward. */
export interface SpanPosition {
  kind: 'future' | 'option'
  /** Signed quantity in units of the underlying (× multiplier when the prices are per unit). */
  quantity: number
  option?: { type: 'call' | 'put'; strike: number; sigma: number; T: number }
}

/**
 * A revaluation callback pricing linear futures and options with Black-76 on one forward F (USD):
 * P&L = Σ q·(V(F + priceMove, σ + volMove, T − lookAheadYears) − V(F, σ, T)), futures V = F. A look-ahead
 * (SPAN's time decay) shortens T; vols are floored at 0.0001.
 * @throws SpanInputError for F ≤ 0 or an option without its inputs.
 */
export function spanBlack76Revaluation(F: number, positions: readonly SpanPosition[], lookAheadYears = 0): SpanRevaluation {
  if (!(F > 0)) throw new SpanInputError(`forward ${F}: expected > 0`)
  for (const p of positions)
    if (p.kind === 'option' && (!p.option || !(p.option.strike > 0) || !(p.option.sigma > 0)))
      throw new SpanInputError('an option needs strike > 0 and vol > 0')
  const v0 = positions.map((p) =>
    p.kind === 'future' ? F : black76PriceUnchecked(p.option!.type === 'call', F, p.option!.strike, p.option!.T, p.option!.sigma),
  )
  return (move) => {
    const F1 = Math.max(F + move.priceMove, 1e-12)
    let total = 0
    positions.forEach((p, i) => {
      const v1 =
        p.kind === 'future'
          ? F + move.priceMove
          : black76PriceUnchecked(
              p.option!.type === 'call',
              F1,
              p.option!.strike,
              p.option!.T - lookAheadYears,
              Math.max(p.option!.sigma + move.volMove, 0.0001),
            )
      total += p.quantity * (v1 - v0[i]!)
    })
    return total
  }
}
