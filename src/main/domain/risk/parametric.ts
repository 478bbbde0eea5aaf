/**
 * Parametric VaR and ES of a book's Taylor expansion in the risk factors x ~ N(0, hΣ) over h days:
 *   P&L = θ + aᵀx + ½ xᵀBx,
 * a = Σᵢ aᵢ (USD per unit factor move: a position's delta P&L per unit relative move of its underlying on the
 * spot factor — the daily log return stands for the relative move — and its vega per 1.00 vol on the vol
 * factor), B = diag(Σᵢ gᵢ) on the spot factors (USD per (relative move)², each position's gamma term), θ = Σᵢ θᵢ the
 * time decay over the horizon (USD).
 *
 *  - delta-normal: B = 0, so P&L is normal: VaR = −θ − z·√(aᵀΣa) with z = Φ⁻¹(1 − α);
 *    ES = −θ + √(aᵀΣa)·φ(z)/(1 − α);
 *  - delta-gamma Cornish–Fisher: the cumulants of the quadratic form (Mina & Ulmer 1999, "Delta-gamma four
 *    ways"; Britten-Jones & Schaefer 1999), with P_k = Σ(BΣ)^{k−1}:
 *      κ₁ = θ + ½tr(BP₁), κ₂ = aᵀP₁a + ½tr(BP₂), κ₃ = 3aᵀP₂a + tr(BP₃), κ₄ = 12aᵀP₃a + 3tr(BP₄);
 *    the Cornish–Fisher quantile z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36, S = κ₃/κ₂^{3/2},
 *    K = κ₄/κ₂² (Zangari 1996, RiskMetrics Monitor Q4); VaR = −(κ₁ + z_cf√κ₂). ES is the mean of z_cf(Z) over
 *    the tail Z < z, from ∫ zᵏφ(z)dz in closed form (the expansion's own ES, as Boudt, Peterson & Croux 2008
 *    "Estimation and decomposition of downside risk", J. of Risk 11(2), do for the modified ES).
 * Both figures are homogeneous of degree one in the positions (each κₖ of degree k), so the Euler components
 * wᵢ·∂VaR/∂wᵢ, computed here from the analytic derivatives of the κₖ, add up to the totals exactly.
 */
import { normCdfInverse, normPdf } from '../pricing/normal'
import type { Matrix } from './linearAlgebra'

/** One position's Taylor terms in the factors. */
export interface FactorSensitivity {
  /** USD P&L per unit move of each factor (length m). */
  a: readonly number[]
  /** Factor index of the position's spot factor, for its gamma term. */
  gammaFactor: number
  /** USD P&L per (unit move)² × 2 of that factor: the term is ½·gamma·x². */
  gamma: number
  /** Time decay over the horizon, USD. */
  theta: number
}

export interface ParametricResult {
  var: number
  es: number
  /** Per position, in the input order: Euler components (sum to var and es). */
  componentVar: number[]
  componentEs: number[]
  /** Mean, standard deviation, skewness and excess kurtosis of the P&L. */
  moments: { mean: number; sd: number; skewness: number; excessKurtosis: number }
}

const mul = (a: Matrix, b: Matrix): Matrix => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)))
const quad = (x: readonly number[], p: Matrix, y: readonly number[]) => x.reduce((s, xi, i) => s + xi * p[i]!.reduce((t, v, j) => t + v * y[j]!, 0), 0)
const vec = (p: Matrix, x: readonly number[]) => p.map((r) => r.reduce((s, v, j) => s + v * x[j]!, 0))

/**
 * @param sigma covariance of the factor moves over the horizon (m × m)
 * @param positions Taylor terms; `withGamma` false ignores every gamma (delta-normal)
 * @param alpha confidence level in (0, 1)
 * @throws RangeError for α outside (0, 1), or a book with no variance
 */
export function parametricVar(sigma: Matrix, positions: readonly FactorSensitivity[], alpha: number, withGamma: boolean): ParametricResult {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`the confidence level must be in (0, 1), got ${alpha}`)
  const m = sigma.length
  const a = new Array<number>(m).fill(0)
  const b = new Array<number>(m).fill(0)
  let theta = 0
  for (const p of positions) {
    for (let f = 0; f < m; f++) a[f]! += p.a[f]!
    if (withGamma) b[p.gammaFactor]! += p.gamma
    theta += p.theta
  }
  const B: Matrix = b.map((v, i) => b.map((_, j) => (i === j ? v : 0)))
  const p1 = sigma
  const p2 = mul(mul(sigma, B), sigma)
  const p3 = mul(mul(p2, B), sigma)
  const p4 = mul(mul(p3, B), sigma)
  const trB = (p: Matrix) => b.reduce((s, v, f) => s + v * p[f]![f]!, 0)
  const k1 = theta + 0.5 * trB(p1)
  const k2 = quad(a, p1, a) + 0.5 * trB(p2)
  const k3 = 3 * quad(a, p2, a) + trB(p3)
  const k4 = 12 * quad(a, p3, a) + 3 * trB(p4)
  if (!(k2 > 0)) throw new RangeError('the book has no variance in these factors: its P&L does not move with them')
  const sd = Math.sqrt(k2)
  const S = k3 / k2 ** 1.5
  const K = k4 / (k2 * k2)
  const z = normCdfInverse(1 - alpha)
  const phi = normPdf(z)
  const tail = 1 - alpha
  const coefVar = { z0: z, cS: (z * z - 1) / 6, cK: (z ** 3 - 3 * z) / 24, cSS: -(2 * z ** 3 - 5 * z) / 36 }
  const coefEs = { z0: -phi / tail, cS: (-z * phi) / (6 * tail), cK: ((1 - z * z) * phi) / (24 * tail), cSS: (-(1 - 2 * z * z) * phi) / (36 * tail) }
  type Coef = typeof coefVar
  const Z = (c: Coef) => c.z0 + c.cS * S + c.cK * K + c.cSS * S * S
  const p1a = vec(p1, a)
  const p2a = vec(p2, a)
  const p3a = vec(p3, a)
  const grads = positions.map((p) => {
    const u = p.gammaFactor
    const g = withGamma ? p.gamma : 0
    const d1 = p.theta + 0.5 * g * p1[u]![u]!
    const d2 = 2 * p.a.reduce((s, v, f) => s + v * p1a[f]!, 0) + g * p2[u]![u]!
    const d3 = 6 * p.a.reduce((s, v, f) => s + v * p2a[f]!, 0) + 3 * g * p1a[u]! ** 2 + 3 * g * p3[u]![u]!
    const d4 = 24 * p.a.reduce((s, v, f) => s + v * p3a[f]!, 0) + 24 * g * p1a[u]! * p2a[u]! + 12 * g * p4[u]![u]!
    const dS = d3 / k2 ** 1.5 - (1.5 * k3 * d2) / k2 ** 2.5
    const dK = d4 / (k2 * k2) - (2 * k4 * d2) / k2 ** 3
    const component = (c: Coef) => -(d1 + (c.cS * dS + c.cK * dK + 2 * c.cSS * S * dS) * sd + (Z(c) * d2) / (2 * sd))
    return { v: component(coefVar), e: component(coefEs) }
  })
  return {
    var: -(k1 + Z(coefVar) * sd),
    es: -(k1 + Z(coefEs) * sd),
    componentVar: grads.map((g) => g.v),
    componentEs: grads.map((g) => g.e),
    moments: { mean: k1, sd, skewness: S, excessKurtosis: K },
  }
}
