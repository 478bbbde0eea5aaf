/**
 * The out-of-the-money Black price without cancellation, the building block of the accurate Black-76 price
 * and of the implied-volatility solver.
 *
 * Notation of P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53 (preprint 2013/2016, §2–3): for a
 * forward F, strike K, total volatility s = σ√T and x = ln(F/K), write H = −|x|/s ≤ 0 and t = s/2. The
 * option that is out of the money (the call when F < K, the put when F > K) has undiscounted price
 *
 *   otm = A·Φ(H + t) − B·Φ(H − t),   A = min(F, K), B = max(F, K)
 *       = A·φ(H + t)·[Y(H + t) − Y(H − t)],   Y(z) = Φ(z)/φ(z)
 *
 * (using A·φ(H + t) = B·φ(H − t)). The bracket is where cancellation lives; it is evaluated
 *  - for small t (t < τ = 0.21) and moderate H (H > η = −13): by its Taylor series in t, whose
 *    coefficients are the derivatives M_k = Y⁽ᵏ⁾(H), obtained from M₀ = Y(H), M₁ = 1 + H·M₀ and
 *    M_{k+1} = H·M_k + k·M_{k−1} (Jäckel's region II, there written out as a polynomial);
 *  - far out of the money (H ≤ η) with t ≤ |H|/10: by the asymptotic series of the Mills ratio,
 *    Y(z) ~ Σₙ (−1)ⁿ (2n−1)!! a^−(2n+1) with a = −z, differenced term by term without cancellation:
 *    a₁^−m − a₂^−m = a₁^−m·(−expm1(m·log1p(−2t/a₂))), a₁ = |H| − t, a₂ = |H| + t (Jäckel's region I, there
 *    written as a polynomial in t and 1/H²);
 *  - when both arguments are ≤ 0: as a difference of erfcx, Y(z) = √(π/2)·erfcx(−z/√2), each to ~3e-16
 *    relative (Jäckel's region III; the difference loses at most log₁₀(|H|/(2t)) < 1 digit here);
 *  - otherwise (H + t > 0 and t ≥ τ, where the cancellation is bounded): as A·Φ(H+t) − B·Φ(H−t).
 * The normalised function b(x, s) = otm/√(FK) is the same with A = e^{x/2}, B = e^{−x/2}.
 */
import { gaussianFactor, normCdf, normCdfOverPdf } from './normal'

const INV_SQRT_2PI = 0.3989422804014327
/** Jäckel's τ: below it the small-t expansion is used. */
const TAU = 0.21
/** Jäckel's η: below it the H-series of the small-t expansion would lose digits. */
const ETA = -13

/**
 * Y(H + t) − Y(H − t) for H ≤ 0, t ≥ 0 with H + t ≤ 0 or (t < τ and H > η), to a few ulp of the result
 * (Taylor, asymptotic or erfcx difference as described above).
 */
export function millsDifference(H: number, t: number): number {
  if (t < TAU && H > ETA) {
    // Odd part of the Taylor series of Y around H: 2·Σ_{k odd} M_k t^k / k!.
    const m0 = normCdfOverPdf(H)
    const m1 = 1 + H * m0
    const m2 = H * m1 + m0
    const m3 = H * m2 + 2 * m1
    const m4 = H * m3 + 3 * m2
    const m5 = H * m4 + 4 * m3
    const m6 = H * m5 + 5 * m4
    const m7 = H * m6 + 6 * m5
    const m8 = H * m7 + 7 * m6
    const m9 = H * m8 + 8 * m7
    const m10 = H * m9 + 9 * m8
    const m11 = H * m10 + 10 * m9
    const m12 = H * m11 + 11 * m10
    const m13 = H * m12 + 12 * m11
    const w = t * t
    const series =
      m1 +
      w *
        (m3 / 6 +
          w * (m5 / 120 + w * (m7 / 5040 + w * (m9 / 362880 + w * (m11 / 39916800 + (w * m13) / 6227020800)))))
    return 2 * t * series
  }
  if (H <= ETA && 10 * t <= -H) {
    // Asymptotic series, differenced term by term: Σₙ (−1)ⁿ (2n−1)!!·(a₁^−m − a₂^−m), m = 2n + 1.
    const a1 = -H - t
    const a2 = -H + t
    const L = Math.log1p((-2 * t) / a2)
    const inv2 = 1 / (a1 * a1)
    let pow = 1 / a1 // a₁^−m
    let coef = 1 // (−1)ⁿ (2n−1)!!
    let sum = 0
    for (let n = 0; n < 40; n++) {
      const m = 2 * n + 1
      const term = coef * pow * -Math.expm1(m * L)
      sum += term
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break
      coef *= -m
      pow *= inv2
    }
    return sum
  }
  return normCdfOverPdf(H + t) - normCdfOverPdf(H - t)
}

/**
 * Undiscounted price of the out-of-the-money option (call if F < K, put if F > K; either at F = K) for
 * forward F > 0, strike K > 0, total volatility s = σ√T > 0 and x = ln(F/K), to a few ulp relative
 * times the conditioning 1 + d1² of the inputs themselves.
 * Returns 0 when the true value underflows. Same units as F and K.
 */
export function otmUndiscounted(F: number, K: number, x: number, s: number): number {
  const A = F < K ? F : K
  const B = F < K ? K : F
  const t = 0.5 * s
  const H = -Math.abs(x) / s
  const dp = H + t
  if (dp <= 0 || (t < TAU && H > ETA)) {
    const g = A * INV_SQRT_2PI * gaussianFactor(dp)
    return g === 0 ? 0 : g * millsDifference(H, t)
  }
  return A * normCdf(dp) - B * normCdf(H - t)
}

/**
 * Normalised out-of-the-money Black price b(x, s) = otm/√(FK) for x ≤ 0 (an out-of-the-money call with
 * F/K = e^x; by symmetry also the put with F/K = e^{−x}), s > 0. Dimensionless, 0 ≤ b < e^{x/2}.
 * Source: Jäckel, "Let's Be Rational", eq. (2.1) normalised; evaluation as in `otmUndiscounted`.
 */
export function normalisedBlack(x: number, s: number): number {
  const t = 0.5 * s
  const H = x / s
  const dp = H + t
  if (dp <= 0 || (t < TAU && H > ETA)) {
    // e^{x/2}·φ(H + t), with φ from the same Gaussian factor as `otmUndiscounted`, so that b·√(FK) and the
    // Black-76 price agree to a few ulp (the solver inverts exactly the function the price comes from).
    const g = Math.exp(0.5 * x) * INV_SQRT_2PI * gaussianFactor(dp)
    return g === 0 ? 0 : g * millsDifference(H, t)
  }
  return Math.exp(0.5 * x) * normCdf(dp) - Math.exp(-0.5 * x) * normCdf(H - t)
}

/**
 * b_max − b(x, s) for x ≤ 0: the distance of the normalised out-of-the-money call from its upper bound
 * e^{x/2}, computed as e^{x/2}·Φ(−H−t) + e^{−x/2}·Φ(H−t), a sum of positive terms (no cancellation), for
 * the implied-volatility solver's upper branch.
 */
export function normalisedBlackComplement(x: number, s: number): number {
  const t = 0.5 * s
  const H = x / s
  return Math.exp(0.5 * x) * normCdf(-H - t) + Math.exp(-0.5 * x) * normCdf(H - t)
}

/** ∂b/∂s for x ≤ 0: the normalised vega exp(−(x²/s² + s²/4)/2)/√(2π). */
export function normalisedVega(x: number, s: number): number {
  const H = x / s
  const t = 0.5 * s
  return INV_SQRT_2PI * Math.exp(-0.5 * (H * H + t * t))
}
