/**
 * Implied volatility of Black-76 and of Deribit's inverse (coin-settled) options, to close to machine
 * precision in two (at most three) iterations for every input, deep out of the money and minutes to
 * expiry included.
 *
 * Method: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53 (preprint 2013, rev. 2016), written afresh
 * from the paper's description:
 *  1. normalise: β = (undiscounted price − intrinsic)/√(FK), x = −|ln(F/K)|, so that β is the price of an
 *     out-of-the-money call in the normalised Black function b(x, s) = e^{x/2}Φ(x/s + s/2) −
 *     e^{−x/2}Φ(x/s − s/2) of the total volatility s = σ√T; 0 < β < b_max = e^{x/2};
 *  2. initial guess from four branches around the inflection point s_c = √(2|x|) and the tangents' roots
 *     s_l = s_c − b(s_c)/b'(s_c), s_u = s_c + (b_max − b(s_c))/b'(s_c): in the two middle branches s(β) is
 *     a Delbourgo–Gregory rational cubic (R. Delbourgo, J. Gregory, "Shape preserving piecewise rational
 *     interpolation", SIAM J. Sci. Stat. Comput. 6 (1985) 967–976) matching values and slopes at both ends
 *     and a zero second derivative at s_c; in the lowest branch the rational cubic interpolates the
 *     transformed price f_l = (2π|x|/√27)·Φ(x/(√3 s))³ (which has b's leading small-s asymptotics), in the
 *     highest branch f_u = Φ(−s/2), each matching the second derivative at its inner end;
 *  3. Householder's method of order 4 (three derivatives) on an objective chosen per branch so that it is
 *     nearly linear in s: 1/ln b(s) − 1/ln β in the lowest branch, ln(b_max − b(s)) − ln(b_max − β) in the
 *     highest, b(s) − β in between;
 *  4. b itself without cancellation (`normalisedBlack.ts`); in the lowest branch ln b and b'/b come from
 *     the Mills-ratio difference directly, so nothing underflows even for prices of 1e-300.
 *
 * Failures are typed, never NaN and never a silent 0: a price below intrinsic value, at intrinsic value
 * (σ → 0), at or above the upper bound (F·D for calls, K·D for puts: σ → ∞), an expired option, or an
 * invalid input each give an `ImpliedVolFailure` with its reason. "At" a bound means within two ulp of it
 * (after undiscounting): such a price determines no volatility.
 */
import { logMoneyness, type OptionType } from './black76'
import { gaussianFactor, normCdf, normCdfInverse } from './normal'
import { millsDifference, normalisedBlack, normalisedBlackComplement } from './normalisedBlack'

/** Why no volatility σ > 0 reproduces the price. */
export type ImpliedVolFailureReason =
  | 'below-intrinsic'
  | 'at-intrinsic'
  | 'above-upper-bound'
  | 'expired'
  | 'invalid-input'

export interface ImpliedVolSuccess {
  ok: true
  /** Black volatility as a decimal (0.8 = 80%). */
  sigma: number
  /** Householder iterations used after the rational initial guess (2 for almost every input). */
  iterations: number
}

export interface ImpliedVolFailure {
  ok: false
  reason: ImpliedVolFailureReason
  /** Human-readable explanation with the bound that was violated. */
  message: string
  /** For price-bound failures: the bound in the price's unit (intrinsic or upper bound). */
  bound?: number
}

export type ImpliedVolResult = ImpliedVolSuccess | ImpliedVolFailure

/** Thrown by the throwing variants; carries the typed reason. */
export class ImpliedVolError extends RangeError {
  constructor(
    readonly reason: ImpliedVolFailureReason,
    message: string,
    readonly bound?: number,
  ) {
    super(message)
    this.name = 'ImpliedVolError'
  }
}

export interface ImpliedVolBlack76Input {
  type: OptionType
  /** Forward, USD, > 0. */
  F: number
  /** Strike, USD, > 0. */
  K: number
  /** Years to expiry (ACT/365), > 0. */
  T: number
  /** Continuously compounded rate, decimal; default 0. */
  r?: number
  /** Option price in USD (discounted Black-76 price). */
  price: number
}

export interface ImpliedVolInverseInput {
  type: OptionType
  /** Forward (Deribit `underlying_price`), USD, > 0. */
  F: number
  /** Strike, USD, > 0. */
  K: number
  /** Years to expiry (ACT/365), > 0. */
  T: number
  /** Continuously compounded rate, decimal; default 0 (Deribit's `interest_rate`). */
  r?: number
  /** Premium in coin (Deribit `mark_price`): USD price ÷ F. */
  priceCoin: number
}

const SQRT_2PI = 2.5066282746310002
const LN_SQRT_2PI = 0.9189385332046728 // ln √(2π)
const SQRT3 = 1.7320508075688772
const TWO_PI_OVER_SQRT27 = 1.2091995761561452 // 2π/√27
const EPS = 2.220446049250313e-16
const MAX_ITERATIONS = 8
/** Relative step after which the iteration stops: the next step of an order-4 method would be < 1e-20. */
const CONVERGED = 1e-6
/** Largest rational-cubic control parameter: beyond it the interpolant is taken as linear. */
const R_MAX = 2 / (EPS * EPS)
/** Smallest control parameter keeping the denominator 1 + (r − 3)·t(1 − t) positive. */
const R_MIN = -(1 - Math.sqrt(EPS))

/**
 * Delbourgo–Gregory rational cubic on [xl, xr] with values yl, yr, slopes dl, dr and control parameter r
 * (r = 3: cubic Hermite; r → ∞: linear).
 */
function rationalCubic(x: number, xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, r: number): number {
  const h = xr - xl
  if (!(Math.abs(h) > 0)) return 0.5 * (yl + yr)
  const t = (x - xl) / h
  if (!(r < R_MAX)) return yr * t + yl * (1 - t)
  const omt = 1 - t
  const t2 = t * t
  const omt2 = omt * omt
  return (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) / (1 + (r - 3) * t * omt)
}

/**
 * Smallest control parameter that keeps the rational cubic monotone and convex/concave where the data
 * are (Delbourgo & Gregory 1985, conditions for shape preservation).
 */
function minimumControlParameter(dl: number, dr: number, slope: number): number {
  const monotone = dl * slope >= 0 && dr * slope >= 0
  const convex = dl <= slope && slope <= dr
  const concave = dl >= slope && slope >= dr
  if (!monotone && !convex && !concave) return R_MIN
  let r1 = -Infinity
  let r2 = -Infinity
  if (monotone) r1 = slope !== 0 ? (dr + dl) / slope : R_MAX
  if (convex || concave) {
    const a = slope - dl
    const b = dr - slope
    r2 = a !== 0 && b !== 0 ? Math.max(Math.abs((dr - dl) / b), Math.abs((dr - dl) / a)) : R_MAX
  }
  return Math.max(R_MIN, r1, r2)
}

/** Control parameter matching the second derivative `second` at the left end, kept shape-preserving. */
function controlForLeftSecond(xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, second: number): number {
  const h = xr - xl
  const slope = (yr - yl) / h
  const denom = slope - dl
  const r = denom !== 0 ? (0.5 * h * second + (dr - dl)) / denom : R_MAX
  const r0 = Number.isFinite(r) ? r : R_MAX
  return Math.max(r0, minimumControlParameter(dl, dr, slope))
}

/** Control parameter matching the second derivative `second` at the right end, kept shape-preserving. */
function controlForRightSecond(xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, second: number): number {
  const h = xr - xl
  const slope = (yr - yl) / h
  const denom = dr - slope
  const r = denom !== 0 ? (0.5 * h * second + (dr - dl)) / denom : R_MAX
  const r0 = Number.isFinite(r) ? r : R_MAX
  return Math.max(r0, minimumControlParameter(dl, dr, slope))
}

/** Normalised vega b'(s) = exp(−(x²/s² + s²/4)/2)/√(2π) and the ratios b''/b', b'''/b' for x ≤ 0. */
function vegaTerms(x: number, s: number): { v: number; h2: number; h3: number } {
  const H = x / s
  const t = 0.5 * s
  const v = Math.exp(-0.5 * (H * H + t * t)) / SQRT_2PI
  const h2 = (H * H) / s - 0.5 * t
  const h3 = h2 * h2 - (3 * H * H) / (s * s) - 0.25
  return { v, h2, h3 }
}

/**
 * ln b(x, s) and λ = b'/b for x < 0, without forming b (which may underflow): in the Mills-ratio regions
 * b = e^{−(H²+t²)/2}/√(2π)·ΔY, so ln b = −(H²+t²)/2 − ln√(2π) + ln ΔY and λ = 1/ΔY.
 */
function logBlack(x: number, s: number): { lnB: number; lambda: number } {
  const H = x / s
  const t = 0.5 * s
  if (H + t <= 0 || (t < 0.21 && H > -13)) {
    const dY = millsDifference(H, t)
    // ln(e^{x/2}·φ(H + t)): from the accurate Gaussian factor while it is a normal float (consistent with
    // the price), else from (H + t)² directly.
    const dp = H + t
    const g = gaussianFactor(dp)
    const lnPhi = g > 2.2250738585072014e-308 ? Math.log(g) : -0.5 * dp * dp
    return { lnB: 0.5 * x + lnPhi - LN_SQRT_2PI + Math.log(dY), lambda: 1 / dY }
  }
  const b = normalisedBlack(x, s)
  return { lnB: Math.log(b), lambda: vegaTerms(x, s).v / b }
}

/**
 * Householder step factor for order 4: Δs = ν·(1 + ½·h2·ν)/(1 + ν·(h2 + h3·ν/6)), where ν = −g/g' is the
 * Newton step and h2 = g''/g', h3 = g'''/g' (A. S. Householder, "The Numerical Treatment of a Single
 * Nonlinear Equation", McGraw-Hill 1970; the order-4 member Jäckel's method uses).
 */
function householderStep(nu: number, h2: number, h3: number): number {
  return (nu * (1 + 0.5 * h2 * nu)) / (1 + nu * (h2 + (h3 * nu) / 6))
}

/**
 * Total implied volatility s = σ√T of a normalised out-of-the-money call: solves b(x, s) = β for x ≤ 0 and
 * 0 ≤ β < e^{x/2}. `lnBeta` = ln β may be passed when β itself underflows (a time value below ~1e-300 of
 * √(FK)); the lowest branch works on ln β only. Returns s and the number of Householder iterations.
 * Callers have checked the bounds (β > 0 or a finite lnBeta).
 */
export function normalisedImpliedVol(beta: number, x: number, lnBeta = Math.log(beta)): { s: number; iterations: number } {
  if (x === 0) return solveAtTheMoney(beta)
  const bMax = Math.exp(0.5 * x)
  const ax = -x
  const sc = Math.sqrt(2 * ax)
  const bc = normalisedBlack(x, sc)
  const vc = vegaTerms(x, sc).v
  const sl = sc - bc / vc
  const bl = sl > 0 ? normalisedBlack(x, sl) : 0

  let s: number
  let lo = 0
  let hi = Infinity
  let branch: 'lower' | 'middle' | 'upper'
  if (beta < bl) {
    // Lowest branch: interpolate f_l(β) on [0, b_l] with f_l(0) = 0, f_l'(0) = 1.
    branch = 'lower'
    hi = sl
    const c = TWO_PI_OVER_SQRT27 * ax
    const z = x / (SQRT3 * sl)
    const Phi = normCdf(z)
    const phi = Math.exp(-0.5 * z * z) / SQRT_2PI
    const fl = c * Phi * Phi * Phi
    const dfds = (-3 * c * Phi * Phi * phi * z) / sl
    const d2fds2 = ((3 * c * z * Phi * phi) / (sl * sl)) * (2 * z * phi + (2 - z * z) * Phi)
    const { v: vl, h2: h2l } = vegaTerms(x, sl)
    const dfdb = dfds / vl
    const d2fdb2 = (d2fds2 - dfds * h2l) / (vl * vl)
    const r = controlForRightSecond(0, bl, 0, fl, 1, dfdb, d2fdb2)
    const f = rationalCubic(beta, 0, bl, 0, fl, 1, dfdb, r)
    if (f > 0) {
      const zs = normCdfInverse(Math.cbrt(f / c))
      s = x / (SQRT3 * zs)
    } else {
      // β (or f) underflows: leading asymptotics ln b ≈ −x²/(2s²).
      s = ax / Math.sqrt(-2 * lnBeta)
    }
    if (!(s > 0 && s < sl)) s = 0.5 * sl
  } else {
    const su = sc + (bMax - bc) / vc
    const bu = normalisedBlack(x, su)
    if (beta <= bu) {
      branch = 'middle'
      const vl = vegaTerms(x, sl).v
      const vu = vegaTerms(x, su).v
      if (beta <= bc) {
        lo = sl
        hi = sc
        const r = controlForRightSecond(bl, bc, sl, sc, 1 / vl, 1 / vc, 0)
        s = rationalCubic(beta, bl, bc, sl, sc, 1 / vl, 1 / vc, r)
      } else {
        lo = sc
        hi = su
        const r = controlForLeftSecond(bc, bu, sc, su, 1 / vc, 1 / vu, 0)
        s = rationalCubic(beta, bc, bu, sc, su, 1 / vc, 1 / vu, r)
      }
    } else {
      // Highest branch: interpolate f_u(β) = Φ(−s/2) on [b_u, b_max] with f_u(b_max) = 0.
      branch = 'upper'
      lo = su
      const { v: vu, h2: h2u } = vegaTerms(x, su)
      const fu = normCdf(-0.5 * su)
      const phiHalf = Math.exp(-0.125 * su * su) / SQRT_2PI
      const dfds = -0.5 * phiHalf
      const d2fds2 = 0.125 * su * phiHalf
      const dfdb = dfds / vu
      const d2fdb2 = (d2fds2 - dfds * h2u) / (vu * vu)
      const dfdbAtMax = -1 / (bMax + 1 / bMax)
      const r = controlForLeftSecond(bu, bMax, fu, 0, dfdb, dfdbAtMax, d2fdb2)
      const f = rationalCubic(beta, bu, bMax, fu, 0, dfdb, dfdbAtMax, r)
      s = f > 0 && f < 0.5 ? -2 * normCdfInverse(f) : su
      if (!(s >= su)) s = su
    }
  }
  if (!(s >= lo && s <= hi && s > 0)) s = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * lo

  const cBeta = bMax - beta
  const lnCBeta = Math.log(cBeta)
  let iterations = 0
  for (; iterations < MAX_ITERATIONS; ) {
    let ds: number
    const { v, h2, h3 } = vegaTerms(x, s)
    if (branch === 'lower') {
      const { lnB, lambda } = logBlack(x, s)
      // g = 1/ln b − 1/ln β; L = ln b, L' = λ, L'' = λ(h2 − λ), L''' = λh3 − 3λ²h2 + 2λ³.
      const L = lnB
      const L1 = lambda
      const L2 = lambda * (h2 - lambda)
      const L3 = lambda * h3 - 3 * lambda * lambda * h2 + 2 * lambda * lambda * lambda
      const g = 1 / L - 1 / lnBeta
      const g1 = -L1 / (L * L)
      const g2 = -L2 / (L * L) + (2 * L1 * L1) / (L * L * L)
      const g3 = -L3 / (L * L) + (6 * L1 * L2) / (L * L * L) - (6 * L1 * L1 * L1) / (L * L * L * L)
      if (lnB < lnBeta) lo = Math.max(lo, s)
      else hi = Math.min(hi, s)
      ds = householderStep(-g / g1, g2 / g1, g3 / g1)
    } else if (branch === 'upper') {
      const c = normalisedBlackComplement(x, s)
      // g = ln(b_max − b) − ln(b_max − β); μ = b'/(b_max − b).
      const mu = v / c
      const g = Math.log(c) - lnCBeta
      const g1 = -mu
      const g2 = -mu * h2 - mu * mu
      const g3 = -mu * h3 - 3 * mu * mu * h2 - 2 * mu * mu * mu
      if (c > cBeta) lo = Math.max(lo, s)
      else hi = Math.min(hi, s)
      ds = householderStep(-g / g1, g2 / g1, g3 / g1)
    } else {
      const b = normalisedBlack(x, s)
      if (b < beta) lo = Math.max(lo, s)
      else hi = Math.min(hi, s)
      ds = householderStep((beta - b) / v, h2, h3)
    }
    iterations++
    const next = s + ds
    // After a step of relative size ≤ 1e-6 a fourth-order method leaves an error far below one ulp.
    if (Math.abs(ds) <= CONVERGED * s && next > 0) {
      s = next
      break
    }
    // Out of the bracket (or not finite): bisect; a safeguard, not met on the test grids.
    s = next >= lo && next <= hi && next > 0 ? next : Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * Math.max(s, lo)
  }
  return { s, iterations }
}

/** x = 0: b(0, s) = 1 − 2Φ(−s/2); guess from the inverse, refine with Householder on b − β. */
function solveAtTheMoney(beta: number): { s: number; iterations: number } {
  let s = beta < 1e-8 ? SQRT_2PI * beta : -2 * normCdfInverse(0.5 - 0.5 * beta)
  let iterations = 0
  for (; iterations < MAX_ITERATIONS; ) {
    const b = normalisedBlack(0, s)
    const { v, h2, h3 } = vegaTerms(0, s)
    const ds = householderStep((beta - b) / v, h2, h3)
    iterations++
    const next = s + ds
    if (Math.abs(ds) <= CONVERGED * s && next > 0) {
      s = next
      break
    }
    s = next > 0 ? next : 0.5 * s
  }
  return { s, iterations }
}

function fail(reason: ImpliedVolFailureReason, message: string, bound?: number): ImpliedVolFailure {
  return bound === undefined ? { ok: false, reason, message } : { ok: false, reason, message, bound }
}

/**
 * Shared solver: `price` is in the caller's unit, `usdPerUnit` converts it to USD (1 for USD, F for coin),
 * `unit` names the unit in messages. Bounds are reported in the caller's unit.
 */
function solve(type: OptionType, F: number, K: number, T: number, r: number, price: number, usdPerUnit: number, unit: string): ImpliedVolResult {
  if (!(F > 0) || !Number.isFinite(F)) return fail('invalid-input', `F = ${F}: expected a finite forward > 0`)
  if (!(K > 0) || !Number.isFinite(K)) return fail('invalid-input', `K = ${K}: expected a finite strike > 0`)
  if (!Number.isFinite(T)) return fail('invalid-input', `T = ${T}: expected a finite time in years`)
  if (!Number.isFinite(r)) return fail('invalid-input', `r = ${r}: expected a finite rate`)
  if (!Number.isFinite(price)) return fail('invalid-input', `price = ${price}: expected a finite price`)
  if (type !== 'call' && type !== 'put') return fail('invalid-input', `type = ${String(type)}: expected call or put`)
  if (T <= 0) return fail('expired', `T = ${T}: an expired option's price carries no volatility`)
  const isCall = type === 'call'
  const D = r === 0 ? 1 : Math.exp(-r * T)
  const intrinsic = Math.max(isCall ? F - K : K - F, 0)
  const upper = isCall ? F : K
  const p = (price * usdPerUnit) / D
  const inUnit = (usd: number) => (D * usd) / usdPerUnit
  // A price within two ulp of a bound is that bound to the precision the price (and its discounting) has:
  // it determines no volatility.
  const tol = 2 * EPS * Math.max(Math.abs(p), intrinsic)
  if (p < intrinsic - tol)
    return fail(
      'below-intrinsic',
      `price ${price} ${unit} is below the discounted intrinsic value ${inUnit(intrinsic)} ${unit}: no volatility fits`,
      inUnit(intrinsic),
    )
  if (p >= upper - 2 * EPS * upper)
    return fail(
      'above-upper-bound',
      `price ${price} ${unit} is at or above the upper bound ${inUnit(upper)} ${unit} (${isCall ? 'discounted forward' : 'discounted strike'}): no finite volatility fits`,
      inUnit(upper),
    )
  const timeValue = p - intrinsic
  if (!(timeValue > tol))
    return fail('at-intrinsic', `price ${price} ${unit} equals the discounted intrinsic value to its precision: only σ = 0 fits`, inUnit(intrinsic))
  // The same log-moneyness as black76's price (log1p near the money), so the solver inverts that function.
  const x = -Math.abs(logMoneyness(F, K))
  const beta = timeValue / Math.sqrt(F * K)
  if (!(beta < Math.exp(0.5 * x)))
    return fail('above-upper-bound', `price ${price} ${unit} is numerically at the upper bound ${inUnit(upper)} ${unit}: no finite volatility fits`, inUnit(upper))
  // ln β from the time value itself, so a normalised price that underflows still has its logarithm.
  const lnBeta = Math.log(timeValue) - 0.5 * (Math.log(F) + Math.log(K))
  const { s, iterations } = normalisedImpliedVol(beta, x, lnBeta)
  return { ok: true, sigma: s / Math.sqrt(T), iterations }
}

/**
 * Implied Black-76 volatility from a USD price, as a result object (never throws, never NaN).
 *
 * Bounds (discounted, D = e^(−rT)): D·max(θ(F − K), 0) < price < D·F (call) or D·K (put).
 * @returns `{ok: true, sigma, iterations}` or `{ok: false, reason, message, bound}` with reason
 *   `below-intrinsic`, `at-intrinsic` (σ → 0), `above-upper-bound` (σ → ∞, price at or above the bound),
 *   `expired` (T ≤ 0: the price carries no volatility) or `invalid-input` (non-finite or non-positive
 *   F, K; non-finite T, r or price). Bounds in USD.
 * Source: Jäckel, "Let's Be Rational" (see the module docstring).
 */
export function tryImpliedVolBlack76(input: ImpliedVolBlack76Input): ImpliedVolResult {
  return solve(input.type, input.F, input.K, input.T, input.r ?? 0, input.price, 1, 'USD')
}

/**
 * Implied Black-76 volatility from a USD price; decimal (0.8 = 80%).
 * @throws ImpliedVolError with `reason` as in `tryImpliedVolBlack76`.
 */
export function impliedVolBlack76(input: ImpliedVolBlack76Input): number {
  const r = tryImpliedVolBlack76(input)
  if (!r.ok) throw new ImpliedVolError(r.reason, r.message, r.bound)
  return r.sigma
}

/**
 * Implied volatility of a Deribit inverse option from its coin premium: the USD price is priceCoin × F
 * (Deribit, "Options" contract specification: premium in coin = Black-76 USD price ÷ underlying price).
 * Bounds in coin: D·max(θ(F − K), 0)/F < priceCoin < D (call) or D·K/F (put).
 * @returns as `tryImpliedVolBlack76`, bounds in coin.
 */
export function tryImpliedVolInverse(input: ImpliedVolInverseInput): ImpliedVolResult {
  return solve(input.type, input.F, input.K, input.T, input.r ?? 0, input.priceCoin, input.F, 'coin')
}

/**
 * Implied volatility of a Deribit inverse option from its coin premium; decimal.
 * @throws ImpliedVolError with `reason` as in `tryImpliedVolBlack76`.
 */
export function impliedVolInverse(input: ImpliedVolInverseInput): number {
  const r = tryImpliedVolInverse(input)
  if (!r.ok) throw new ImpliedVolError(r.reason, r.message, r.bound)
  return r.sigma
}
