/**
 * VaR and ES of a sample of P&L outcomes (scenarios), and the weights that give each scenario's share of them.
 *
 * Quantile rule (stated once here, used by every method that has a sample): sort the N outcomes from worst
 * to best, X₍₁₎ ≤ … ≤ X₍N₎ (ties broken by scenario index, so the order is reproducible);
 *   VaR_α = −X₍k₎, k = ⌈N(1 − α)⌉ — the empirical (1 − α)-quantile by the inverted CDF (Hyndman & Fan
 *   type 1, numpy `method="inverted_cdf"`);
 *   ES_α = −(1 / (N(1 − α))) · [Σ_{i ≤ ⌊N(1−α)⌋} X₍ᵢ₎ + (N(1 − α) − ⌊N(1−α)⌋) · X₍⌊N(1−α)⌋+1₎]
 *   (Acerbi & Tasche 2002, "On the coherence of expected shortfall", eq. for the sample ES: the mean of the
 *   worst N(1 − α) outcomes, the boundary one counted in part).
 * Both are positive numbers for losses. Because ES is a weighted sum of scenarios, the same weights applied to
 * each position's P&L in those scenarios give component ES that add up to ES; component VaR is each
 * position's P&L in the VaR scenario (the Euler allocation estimated by the scenario at the quantile).
 */

export interface TailWeights {
  /** Scenario index of X₍k₎, the VaR scenario. */
  varScenario: number
  /** Scenarios that carry ES weight and their weights (summing to 1). */
  esScenarios: number[]
  esWeights: number[]
}

export interface TailEstimate extends TailWeights {
  var: number
  es: number
}

/** Scenario indices sorted from worst outcome to best, ties by index. */
export function worstFirst(pnl: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(pnl.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((a, b) => pnl[a]! - pnl[b]! || a - b)
}

/**
 * VaR and ES at level α of the outcomes `pnl` (USD, gains positive), with the scenario weights behind them.
 * @throws RangeError when pnl is empty or holds a non-finite value, or α is outside (0, 1)
 */
export function tailEstimate(pnl: ArrayLike<number>, alpha: number, order: Uint32Array = worstFirst(pnl)): TailEstimate {
  const n = pnl.length
  if (n === 0) throw new RangeError('no P&L outcomes to take a quantile of')
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`the confidence level must be in (0, 1), got ${alpha}`)
  for (let i = 0; i < n; i++) if (!Number.isFinite(pnl[i]!)) throw new RangeError(`P&L outcome ${i} is not a finite number`)
  const tail = n * (1 - alpha)
  // 1e-9 absorbs the rounding of N(1 − α) (1000 × (1 − 0.99) = 10.000000000000009, whose ceiling is 10).
  const k = Math.min(Math.max(Math.ceil(tail - 1e-9), 1), n)
  const whole = Math.min(Math.floor(tail + 1e-9), n)
  const part = tail - whole > 1e-9 ? tail - whole : 0
  const esScenarios: number[] = []
  const esWeights: number[] = []
  for (let i = 0; i < whole; i++) {
    esScenarios.push(order[i]!)
    esWeights.push(1 / tail)
  }
  if (part > 0 && whole < n) {
    esScenarios.push(order[whole]!)
    esWeights.push(part / tail)
  }
  const varScenario = order[k - 1]!
  let es = 0
  for (let j = 0; j < esScenarios.length; j++) es -= esWeights[j]! * pnl[esScenarios[j]!]!
  return { var: -pnl[varScenario]!, es, varScenario, esScenarios, esWeights }
}

/** The empirical quantiles (same rule, inverted CDF) of `pnl` at each probability in `probabilities`. */
export function empiricalQuantiles(pnl: ArrayLike<number>, probabilities: readonly number[], order: Uint32Array = worstFirst(pnl)): number[] {
  const n = pnl.length
  return probabilities.map((p) => pnl[order[Math.min(Math.max(Math.ceil(n * p - 1e-9), 1), n) - 1]!]!)
}

/** Equal-width histogram of `pnl`: `bins` bins from min to max; each bin's lower and upper edge and count. */
export function histogram(pnl: ArrayLike<number>, bins: number): Array<{ from: number; to: number; count: number }> {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < pnl.length; i++) {
    lo = Math.min(lo, pnl[i]!)
    hi = Math.max(hi, pnl[i]!)
  }
  if (pnl.length === 0) return []
  if (hi === lo) return [{ from: lo, to: hi, count: pnl.length }]
  const width = (hi - lo) / bins
  const out = Array.from({ length: bins }, (_, b) => ({ from: lo + b * width, to: b === bins - 1 ? hi : lo + (b + 1) * width, count: 0 }))
  for (let i = 0; i < pnl.length; i++) out[Math.min(Math.floor((pnl[i]! - lo) / width), bins - 1)]!.count++
  return out
}
