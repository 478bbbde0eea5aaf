/**
 * Full revaluation of a packed book under spot and vol shocks: the stress engine's inner loop.
 *
 * The book and the scenarios arrive as structure-of-arrays Float64Arrays (DESIGN.md §5) so the same code
 * runs on the main thread and in workers over SharedArrayBuffers. Each scenario's totals are summed over
 * positions in book order by exactly one caller, so results are bitwise identical for any split of the
 * scenarios between workers.
 *
 * Scenario model (Foundation): spot shock s is relative and moves the index, every forward and every
 * futures mark of every underlying by the factor (1 + s); vol shock v (decimal, 0.1 = 10 vol points) is
 * added to each option's mark vol, floored at `volFloor`; no time passes.
 *
 * P&L is measured against the same model at the unshocked inputs, so a zero shock gives exactly zero:
 *  - inverse option (quantity q coin):  coin P&L = q·(V₁/F₁ − V₀/F₀), V = Black-76 USD price;
 *  - linear option:                     USD P&L  = q·(V₁ − V₀);
 *  - inverse future/perpetual (q USD face): coin P&L = q·(1/M₀ − 1/M₁);
 *  - linear future/perpetual, spot (q coin): USD P&L = q·(M₁ − M₀).
 * Coin P&L is valued in USD at the shocked index S₁ = S₀·(1 + s), and USD P&L is expressed in coin as
 * USD ÷ S₁. (For a perpetual marked at the index this is the textbook contracts × (1/entry − 1/exit) × exit.)
 */
import { black76PriceUnchecked } from '../pricing/black76'

export const KIND_INVERSE_OPTION = 0
export const KIND_LINEAR_OPTION = 1
export const KIND_INVERSE_FUTURE = 2
export const KIND_LINEAR_FUTURE = 3
export const KIND_SPOT = 4

/** A book as structure-of-arrays; every array has length `n` (one entry per position). */
export interface PackedBook {
  n: number
  /** KIND_* code. */
  kind: Float64Array
  /** Signed quantity: coin (options, linear, spot) or USD face (inverse futures). */
  quantity: Float64Array
  /** 1 for calls, 0 otherwise. */
  isCall: Float64Array
  /** Strike, USD (options). */
  strike: Float64Array
  /** Years to expiry (options). */
  T: Float64Array
  /** Forward (options), futures mark or index (spot), USD. */
  underlying0: Float64Array
  /** Index price, USD. */
  index0: Float64Array
  /** Mark vol as a decimal (options). */
  sigma0: Float64Array
  /** Black-76 USD price per unit at the unshocked inputs (options), precomputed once. */
  price0: Float64Array
  /** Index of the position's underlying in the book's underlying list (0 … nUnderlyings − 1). */
  underlyingId: Float64Array
  nUnderlyings: number
}

/** Scenarios as structure-of-arrays, length `n` each. */
export interface PackedScenarios {
  n: number
  /** Relative spot shock (−0.3 = −30%). */
  spotShock: Float64Array
  /** Absolute vol shock as a decimal (0.1 = +10 vol points). */
  volShock: Float64Array
}

/**
 * Revalues the book in scenarios [from, to) and writes per-scenario totals.
 * @param outUsd length ≥ scenarios.n; receives USD P&L at index s
 * @param outCoin length ≥ scenarios.n × book.nUnderlyings; receives coin P&L at s·nUnderlyings + underlyingId
 * @param volFloor minimum vol after the shock, decimal (0.01 = 1 vol point)
 */
export function revalueScenarios(
  book: PackedBook,
  scenarios: PackedScenarios,
  from: number,
  to: number,
  volFloor: number,
  outUsd: Float64Array,
  outCoin: Float64Array,
): void {
  const { n, kind, quantity, isCall, strike, T, underlying0, index0, sigma0, price0, underlyingId } = book
  const nu = book.nUnderlyings
  for (let s = from; s < to; s++) {
    const factor = 1 + scenarios.spotShock[s]!
    const dv = scenarios.volShock[s]!
    let usd = 0
    const coinBase = s * nu
    for (let u = 0; u < nu; u++) outCoin[coinBase + u] = 0
    for (let i = 0; i < n; i++) {
      const k = kind[i]!
      const q = quantity[i]!
      const m0 = underlying0[i]!
      const m1 = m0 * factor
      const s1 = index0[i]! * factor
      let pnlUsd: number
      let pnlCoin: number
      if (k === KIND_INVERSE_OPTION || k === KIND_LINEAR_OPTION) {
        const sigma = Math.max(sigma0[i]! + dv, volFloor)
        const v1 = black76PriceUnchecked(isCall[i]! === 1, m1, strike[i]!, T[i]!, sigma)
        if (k === KIND_INVERSE_OPTION) {
          pnlCoin = q * (v1 / m1 - price0[i]! / m0)
          pnlUsd = pnlCoin * s1
        } else {
          pnlUsd = q * (v1 - price0[i]!)
          pnlCoin = pnlUsd / s1
        }
      } else if (k === KIND_INVERSE_FUTURE) {
        pnlCoin = q * (1 / m0 - 1 / m1)
        pnlUsd = pnlCoin * s1
      } else {
        pnlUsd = q * (m1 - m0)
        pnlCoin = pnlUsd / s1
      }
      usd += pnlUsd
      outCoin[coinBase + underlyingId[i]!] += pnlCoin
    }
    outUsd[s] = usd
  }
}
