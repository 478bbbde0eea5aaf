/**
 * Rounding a hedge to what the venues trade: each leg's quantity becomes a whole number of lots (the contract
 * size, or the venue's smaller order step, in the quantity unit: Deribit BTC-PERPETUAL 10 USD of face, BTC options 0.1 BTC; the service
 * reads it from the contract-spec table), and the targets are checked again with the rounded quantities.
 *
 * The LP's quantities are rarely whole lots. The service rounds one leg at a time, coarsest first (the leg
 * whose one lot moves a target furthest across its band, `coarseness`), to the lot below or above (`lotChoices`),
 * and solves the LP again with that leg fixed, so the finer legs (a perpetual's 10 USD) absorb what rounding an
 * option to a whole coin moved; the cheaper feasible choice stays. When neither is feasible, `roundHedge`
 * rounds what is left: with up to MAX_EXHAUSTIVE legs every combination of lots below and above is tried (2ⁿ,
 * at most 1,024) and the cheapest one that meets every band wins; when none does, the one closest to the bands
 * (summed distance outside each band ÷ the band's width), and the result says which target rounding broke.
 * Beyond that, each leg goes to its nearest lot.
 * Quantities are exact decimal strings (decimal.js), as every quantity crossing a boundary (DESIGN.md §4).
 */
import Decimal from 'decimal.js'

export const MAX_EXHAUSTIVE = 10

export interface RoundingSide {
  /** Effect of one unit on each target (same order as `targets`). */
  greeks: readonly number[]
  /** USD per unit. */
  costUsd: number
}

export interface RoundingLeg {
  /** The LP's signed quantity (buy − sell), in the quantity unit. */
  lpQuantity: number
  /** Lot in the quantity unit, a positive decimal string; null when none is known (then 8 decimals are kept). */
  lot: string | null
  buy: RoundingSide
  sell: RoundingSide
}

export interface RoundingTarget {
  before: number
  lower: number
  upper: number
}

export interface RoundedHedge {
  /** Signed decimal strings, one per leg ("0" when the leg rounds away). */
  quantities: string[]
  /** Each target's value with the rounded legs (linear in the quantities). */
  after: number[]
  met: boolean[]
  /** USD at the per-unit costs. */
  costUsd: number
}

/** Whether a value lies in [lower, upper], allowing for float noise relative to the bounds' size. */
export function withinBand(x: number, lower: number, upper: number): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(lower), Math.abs(upper))
  return x >= lower - tol && x <= upper + tol
}

/**
 * How far one lot of a leg moves the targets, in band widths (the largest over targets): legs are rounded
 * from the coarsest down. A leg without a lot has coarseness 0.
 */
export function coarseness(leg: Pick<RoundingLeg, 'lot' | 'buy' | 'sell'>, targets: readonly RoundingTarget[]): number {
  if (leg.lot === null) return 0
  const lot = Number(leg.lot)
  return targets.reduce((worst, t, k) => {
    const g = Math.max(Math.abs(leg.buy.greeks[k] ?? 0), Math.abs(leg.sell.greeks[k] ?? 0))
    return Math.max(worst, (lot * g) / Math.max(t.upper - t.lower, 1e-9))
  }, 0)
}

/** The whole-lot quantities just below and above an LP quantity (one when it is a whole lot), signed decimal strings. */
export function lotChoices(lpQuantity: number, lot: string | null): string[] {
  return choices({ lpQuantity, lot }).map((q) => (q.isZero() ? '0' : q.toFixed()))
}

function choices(leg: Pick<RoundingLeg, 'lpQuantity' | 'lot'>): Decimal[] {
  const q = new Decimal(leg.lpQuantity)
  if (leg.lot === null) return [q.toDecimalPlaces(8, Decimal.ROUND_HALF_UP)]
  const lot = new Decimal(leg.lot)
  const lots = q.abs().div(lot)
  const down = lots.floor()
  const up = lots.ceil()
  // An LP quantity within a billionth of a lot of a whole lot is that lot (solver noise).
  const sign = q.isNegative() ? -1 : 1
  if (lots.minus(lots.round()).abs().lt(1e-9)) return [lots.round().times(lot).times(sign)]
  return [down, up].map((n) => n.times(lot).times(sign))
}

function evaluate(legs: readonly RoundingLeg[], targets: readonly RoundingTarget[], qty: readonly Decimal[]) {
  const after = targets.map((t) => t.before)
  let cost = 0
  legs.forEach((leg, i) => {
    const q = qty[i]!.toNumber()
    if (q === 0) return
    const side = q > 0 ? leg.buy : leg.sell
    const units = Math.abs(q)
    cost += units * side.costUsd
    targets.forEach((_, k) => (after[k]! += units * (side.greeks[k] ?? 0)))
  })
  const met = targets.map((t, k) => withinBand(after[k]!, t.lower, t.upper))
  const miss = targets.reduce((a, t, k) => {
    const x = after[k]!
    const out = x < t.lower ? t.lower - x : x > t.upper ? x - t.upper : 0
    return a + out / Math.max(t.upper - t.lower, 1e-9)
  }, 0)
  return { after, met, cost, miss }
}

/** Rounds every leg to whole lots (module comment). */
export function roundHedge(legs: readonly RoundingLeg[], targets: readonly RoundingTarget[]): RoundedHedge {
  const options = legs.map(choices)
  const nearest = legs.map((leg, i) => {
    const o = options[i]!
    if (o.length === 1) return o[0]!
    const q = new Decimal(leg.lpQuantity)
    return q.minus(o[0]!).abs().lte(q.minus(o[1]!).abs()) ? o[0]! : o[1]!
  })
  let best = { qty: nearest, ...evaluate(legs, targets, nearest) }
  if (legs.length <= MAX_EXHAUSTIVE) {
    const branching = options.map((o) => o.length)
    const combos = branching.reduce((a, b) => a * b, 1)
    for (let c = 0; c < combos; c++) {
      let rest = c
      const qty = options.map((o, i) => {
        const pick = rest % branching[i]!
        rest = Math.floor(rest / branching[i]!)
        return o[pick]!
      })
      const e = evaluate(legs, targets, qty)
      const allMet = e.met.every(Boolean)
      const bestMet = best.met.every(Boolean)
      const better = allMet ? !bestMet || e.cost < best.cost : !bestMet && (e.miss < best.miss || (e.miss === best.miss && e.cost < best.cost))
      if (better) best = { qty, ...e }
    }
  }
  return { quantities: best.qty.map((q) => (q.isZero() ? '0' : q.toFixed())), after: best.after, met: best.met, costUsd: best.cost }
}
