/**
 * Conditional volatility of daily log returns, for filtered historical simulation (Hull & White 1998,
 * "Incorporating volatility updating into the historical simulation method for VaR", J. of Risk 1(1);
 * Barone-Adesi, Giannopoulos & Vosper 1999, "VaR without correlations for portfolios of derivative
 * securities", J. of Futures Markets 19(5)) and the vol-factor proxy.
 *
 * Both models take returns as zero-mean (daily crypto means are small against their σ, and a fitted mean
 * would be noise over one year). `variances[t]` is the forecast for day t from returns before t;
 * `forecast` is the one for the day after the last return.
 */
import numeric from 'numeric'

export const EWMA_LAMBDA = 0.94

export interface ConditionalVariance {
  /** σ²ₜ per return, forecast from the returns before it (decimal², daily). */
  variances: number[]
  /** σ² for the next day (decimal², daily). */
  forecast: number
}

/** Sample variance about 0 of the first `count` returns: the seed of both recursions. */
function seedVariance(returns: readonly number[], count = 30): number {
  const m = Math.min(count, returns.length)
  let s = 0
  for (let i = 0; i < m; i++) s += returns[i]! ** 2
  return s / m
}

/**
 * RiskMetrics EWMA (J.P. Morgan/Reuters 1996, Technical Document §5.2): σ²ₜ = λσ²ₜ₋₁ + (1 − λ)r²ₜ₋₁, seeded with
 * the mean square of the first 30 returns.
 * @throws RangeError for no returns or λ outside (0, 1)
 */
export function ewmaVariance(returns: readonly number[], lambda = EWMA_LAMBDA): ConditionalVariance {
  if (returns.length === 0) throw new RangeError('EWMA needs at least one return')
  if (!(lambda > 0 && lambda < 1)) throw new RangeError(`λ must be in (0, 1), got ${lambda}`)
  const variances: number[] = new Array(returns.length)
  let v = seedVariance(returns)
  for (let t = 0; t < returns.length; t++) {
    variances[t] = v
    v = lambda * v + (1 - lambda) * returns[t]! ** 2
  }
  return { variances, forecast: v }
}

export interface Garch11 extends ConditionalVariance {
  omega: number
  alpha: number
  beta: number
  /** Gaussian log-likelihood at the fit. */
  logLikelihood: number
}

function garchPath(r: readonly number[], omega: number, alpha: number, beta: number, v0: number): { variances: number[]; forecast: number; ll: number } {
  const variances: number[] = new Array(r.length)
  let v = v0
  let ll = 0
  for (let t = 0; t < r.length; t++) {
    variances[t] = v
    ll -= 0.5 * (Math.log(2 * Math.PI) + Math.log(v) + r[t]! ** 2 / v)
    v = omega + alpha * r[t]! ** 2 + beta * v
  }
  return { variances, forecast: v, ll }
}

/**
 * GARCH(1,1) (Bollerslev 1986) fitted by Gaussian maximum likelihood: σ²ₜ = ω + αr²ₜ₋₁ + βσ²ₜ₋₁ with ω > 0,
 * α ≥ 0, β ≥ 0, α + β < 1 (stationary), σ²₀ the mean square of the first 30 returns. The constraints hold by
 * construction: ω = v̄·e^{x₀}, (α, β) = (e^{x₁}, e^{x₂}) / (1 + e^{x₁} + e^{x₂}); the likelihood is maximised
 * over x by BFGS with a numerical gradient (numeric.uncmin), started at α = 0.1, β = 0.85, ω = 0.05·v̄ (v̄ the sample mean square).
 * @throws RangeError for fewer than 30 returns
 */
export function fitGarch11(returns: readonly number[]): Garch11 {
  if (returns.length < 30) throw new RangeError(`GARCH(1,1) needs at least 30 returns, got ${returns.length}`)
  let meanSquare = 0
  for (const x of returns) meanSquare += x * x
  meanSquare /= returns.length
  const v0 = seedVariance(returns)
  const params = (x: number[]) => {
    const e1 = Math.exp(x[1]!)
    const e2 = Math.exp(x[2]!)
    return { omega: meanSquare * Math.exp(x[0]!), alpha: e1 / (1 + e1 + e2), beta: e2 / (1 + e1 + e2) }
  }
  const objective = (x: number[]) => {
    const p = params(x)
    const ll = garchPath(returns, p.omega, p.alpha, p.beta, v0).ll
    return Number.isFinite(ll) ? -ll : 1e300
  }
  // α = 0.1, β = 0.85 → e^{x₁} = 0.1/0.05 = 2, e^{x₂} = 0.85/0.05 = 17.
  const best = numeric.uncmin(objective, [Math.log(0.05), Math.log(2), Math.log(17)], 1e-10, undefined, 2000)
  const p = params(best.solution)
  const path = garchPath(returns, p.omega, p.alpha, p.beta, v0)
  return { ...p, variances: path.variances, forecast: path.forecast, logLikelihood: path.ll }
}
