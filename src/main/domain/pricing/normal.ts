/**
 * Standard normal density, distribution function, its inverse, and the scaled complementary error
 * function, to near machine precision, tails included, and fast enough for the pricing kernels.
 *
 * Φ(x) for x ≤ 0 is written ½·exp(−x²/2)·E(|x|) with E(a) = erfcx(a/√2) = exp(a²/2)·erfc(a/√2), the
 * scaled complementary error function (W. J. Cody, "Rational Chebyshev approximations for the error
 * function", Math. Comp. 23 (1969) 631–637: computing erfc as exp(−y²)·erfcx(y) keeps full relative
 * accuracy in the tail). Two pieces, each to a few ulp and without data-dependent branches:
 *  - the Gaussian factor exp(−x²/2) is computed from x itself, split as x = x₁ + δ with x₁ on a 1/64 grid
 *    (x₁² exact, exp(−x₁²/2) tabulated once with Math.exp of an exact argument) times exp(−δ·(x + x₁)/2)
 *    by its Taylor polynomial (|argument| < 0.61, degree 15, remainder < 2e-17): the rounding of x² never
 *    reaches the exponent (a naive exp(−x*x/2) has relative error ≈ x²·ε, 2e-14 at x = −10);
 *  - E(a) comes from `erfcxTable.ts`: 128 degree-6 polynomials in u = 1/(1 + a), Chebyshev interpolants
 *    computed in 50-digit arithmetic by scripts/quantlib/generate_erfcx_table.py (3.7e-16 relative as
 *    evaluated here, measured against mpmath; Φ itself 6.1e-16 relative down to x = −36, φ 4.5e-16).
 * Abramowitz–Stegun 26.2.17 (7.5e-8 absolute, 2% relative at x = −10) is deliberately not used.
 *
 * `erfcx(y)` for any real y keeps Cody's SPECFUN routine CALERF (netlib specfun/erf, 1990), whose
 * coefficients are used below:
 *  - |y| ≤ 0.46875:     erf(y)  = y · P₃(y²)/Q₃(y²)
 *  - 0.46875 < y ≤ 4:   erfc(y) = exp(−y²) · P₈(y)/Q₈(y)
 *  - y > 4:             erfc(y) = exp(−y²)/y · (1/√π + 1/y² · P₄(1/y²)/Q₄(1/y²))
 *
 * The inverse Φ⁻¹ starts from P. J. Acklam's rational approximation ("An algorithm for computing the
 * inverse normal cumulative distribution function", 2003; 1.15e-9 relative) and takes one Halley step
 * on the accurate Φ above, which brings it to a few ulp.
 */
import { ERFCX_TABLE } from './erfcxTable'

const INV_SQRT_2PI = 0.3989422804014327 // 1/√(2π)
const INV_SQRT_PI = 0.5641895835477563 // 1/√π
const SQRT_2PI = 2.5066282746310002 // √(2π)

// Cody (1969) / CALERF coefficients, as published.
const A0 = 3.1611237438705656, A1 = 113.864154151050156, A2 = 377.485237685302021
const A3 = 3209.37758913846947, A4 = 0.185777706184603153
const B0 = 23.6012909523441209, B1 = 244.024637934444173, B2 = 1282.61652607737228, B3 = 2844.23683343917062
const C0 = 0.564188496988670089, C1 = 8.88314979438837594, C2 = 66.1191906371416295
const C3 = 298.635138197400131, C4 = 881.95222124176909, C5 = 1712.04761263407058
const C6 = 2051.07837782607147, C7 = 1230.33935479799725, C8 = 2.15311535474403846e-8
const D0 = 15.7449261107098347, D1 = 117.693950891312499, D2 = 537.181101862009858
const D3 = 1621.38957456669019, D4 = 3290.79923573345963, D5 = 4362.61909014324716
const D6 = 3439.36767414372164, D7 = 1230.33935480374942
const P0 = 0.305326634961232344, P1 = 0.360344899949804439, P2 = 0.125781726111229246
const P3 = 0.0160837851487422766, P4 = 6.58749161529837803e-4, P5 = 0.0163153871373020978
const Q0 = 2.56852019228982242, Q1 = 1.87295284992346047, Q2 = 0.527905102951428412
const Q3 = 0.0605183413124413191, Q4 = 0.00233520497626869185

/** erf(y)/y for |y| ≤ 0.46875 (Cody's first interval). */
function erfOverY(y: number): number {
  const z = y * y
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3
  const den = (((z + B0) * z + B1) * z + B2) * z + B3
  return num / den
}

/** exp(y²)·erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcxTail(y: number): number {
  if (y <= 4) {
    const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7
    const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7
    return num / den
  }
  const z = 1 / (y * y)
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4
  return (INV_SQRT_PI - z * (num / den)) / y
}

/** Beyond this |x|, exp(−x²/2) < 2⁻¹⁰⁷⁴ underflows to 0. */
const GAUSS_ZERO_BEYOND = 38.6
/** exp(−x₁²/2) for x₁ = k/64, k = 0 … 2470: x₁² = k²/4096 is exact, so each entry is exp of an exact argument. */
const GAUSS_TABLE = (() => {
  const t = new Float64Array(2471)
  for (let k = 0; k < t.length; k++) t[k] = Math.exp(-(k * k) / 8192)
  return t
})()

// 1/k! for the Taylor polynomial of exp below.
const F2 = 1 / 2, F3 = 1 / 6, F4 = 1 / 24, F5 = 1 / 120, F6 = 1 / 720, F7 = 1 / 5040, F8 = 1 / 40320
const F9 = 1 / 362880, F10 = 1 / 3628800, F11 = 1 / 39916800, F12 = 1 / 479001600, F13 = 1 / 6227020800
const F14 = 1 / 87178291200, F15 = 1 / 1307674368000

/**
 * exp(u) for −0.61 < u ≤ 0: Taylor polynomial of degree 15 (remainder < 2e-17 relative), evaluated by
 * Estrin's scheme (short dependency chains; the terms fall fast, so the rounding stays at a few ulp).
 */
function expSmall(u: number): number {
  const u2 = u * u
  const u4 = u2 * u2
  const r0 = 1 + u + (F2 + F3 * u) * u2
  const r1 = F4 + F5 * u + (F6 + F7 * u) * u2
  const r2 = F8 + F9 * u + (F10 + F11 * u) * u2
  const r3 = F12 + F13 * u + (F14 + F15 * u) * u2
  return r0 + r1 * u4 + (r2 + r3 * u4) * (u4 * u4)
}

/**
 * exp(−x²/2) with relative error of a few ulp for every x: x is split as x₁ + δ with x₁ a multiple of
 * 1/64, so x₁² is exact and the rounding of x² never reaches the exponent. Returns 0 for |x| > 38.6
 * (true value below the smallest subnormal) and NaN for NaN.
 */
export function gaussianFactor(x: number): number {
  const ax = Math.abs(x)
  if (!(ax <= GAUSS_ZERO_BEYOND)) return ax > GAUSS_ZERO_BEYOND ? 0 : NaN
  const k = Math.floor(ax * 64)
  const x1 = k * 0.015625
  return GAUSS_TABLE[k]! * expSmall(-0.5 * (ax - x1) * (ax + x1))
}

/**
 * E(a) = erfcx(a/√2) = exp(a²/2)·erfc(a/√2) for a ≥ 0 (including +∞ → 0), ~4e-16 relative, from the
 * generated table (Estrin evaluation of the degree-6 piece). Callers guarantee a is not NaN.
 */
export function erfcxHalf(a: number): number {
  const v = (1 / (1 + a)) * 128
  const j = Math.min(Math.floor(v), 127)
  const w = 2 * (v - j) - 1
  const o = j * 7
  const c = ERFCX_TABLE
  const w2 = w * w
  return c[o]! + c[o + 1]! * w + (c[o + 2]! + c[o + 3]! * w) * w2 + (c[o + 4]! + c[o + 5]! * w + c[o + 6]! * w2) * (w2 * w2)
}

/** Standard normal density φ(x) = exp(−x²/2)/√(2π). Dimensionless; relative error a few ulp. */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * gaussianFactor(x)
}

/**
 * Standard normal distribution function Φ(x) = P[Z ≤ x], to about 6e-16 relative for x ≤ 0 (down to the
 * underflow near x = −38.5; subnormal results lose digits) and 1e-16 absolute for x > 0. NaN in, NaN out.
 */
export function normCdf(x: number): number {
  if (x !== x) return NaN
  const a = Math.abs(x)
  const tail = 0.5 * gaussianFactor(a) * erfcxHalf(a)
  return x < 0 ? tail : 1 - tail
}

/**
 * Scaled complementary error function erfcx(y) = exp(y²)·erfc(y) for y ≥ 0 (Cody's CALERF, ~1e-16
 * relative). For y < 0 it is 2·exp(y²) − erfcx(−y), which overflows beyond y ≈ −26.6 (returns +∞).
 */
export function erfcx(y: number): number {
  if (y >= 0) {
    if (y > 0.46875) return erfcxTail(y)
    return Math.exp(y * y) * (1 - y * erfOverY(y))
  }
  return 2 * Math.exp(y * y) - erfcx(-y)
}

/**
 * Mills-type ratio Y(z) = Φ(z)/φ(z) for z ≤ 0 (= √(π/2)·erfcx(−z/√2)), to ~3e-16 relative, without
 * computing either tiny factor: Y(z) ≈ 1/|z| for z → −∞, Y(0) = √(π/2). For z > 0 it still returns
 * Φ(z)/φ(z) (which grows like exp(z²/2)).
 */
export function normCdfOverPdf(z: number): number {
  if (z <= 0) return (SQRT_2PI / 2) * erfcxHalf(-z)
  return normCdf(z) / normPdf(z)
}

// Acklam (2003) rational approximation coefficients, as published.
const AK_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const
const AK_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const
const AK_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const
const AK_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const

function acklamLowerTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p))
  return (
    (((((AK_C[0] * q + AK_C[1]) * q + AK_C[2]) * q + AK_C[3]) * q + AK_C[4]) * q + AK_C[5]) /
    ((((AK_D[0] * q + AK_D[1]) * q + AK_D[2]) * q + AK_D[3]) * q + 1)
  )
}

/**
 * Inverse standard normal distribution function Φ⁻¹(p) for p in (0, 1), to a few ulp (Acklam's
 * approximation refined by one Halley step on `normCdf`). For p ≤ 0.5 the lower tail is computed from p
 * itself, so tiny p (down to the smallest subnormal) keep full relative accuracy; for p > 0.5 the result is
 * −Φ⁻¹(1 − p), limited by the rounding of 1 − p. Returns −∞ for p = 0, +∞ for p = 1, NaN outside [0, 1].
 */
export function normCdfInverse(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN
  if (p > 0.5) return -normCdfInverse(1 - p)
  let x: number
  if (p < 0.02425) x = acklamLowerTail(p)
  else {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((AK_A[0] * r + AK_A[1]) * r + AK_A[2]) * r + AK_A[3]) * r + AK_A[4]) * r + AK_A[5]) * q) /
      (((((AK_B[0] * r + AK_B[1]) * r + AK_B[2]) * r + AK_B[3]) * r + AK_B[4]) * r + 1)
  }
  // Halley step on f(x) = Φ(x) − p: f' = φ(x), f'' = −x·φ(x).
  const pdf = normPdf(x)
  if (!(pdf > 0)) return x
  const u = (normCdf(x) - p) / pdf
  return x - u / (1 + 0.5 * x * u)
}
