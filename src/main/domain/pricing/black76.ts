/**
 * Black-76: European options on a forward (F. Black, "The pricing of commodity contracts", J. Financial
 * Economics 3 (1976) 167–179; E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed. (2007),
 * §1.1.3 for the price and §2.1–2.3 for the Greeks).
 *
 *   d1 = (ln(F/K) + σ²T/2) / (σ√T),  d2 = d1 − σ√T,  D = e^(−rT)
 *   call = D·(F·N(d1) − K·N(d2)),    put = D·(K·N(−d2) − F·N(−d1))
 *
 * Greeks with F held fixed (the forward is the underlying), θ = +1 for calls and −1 for puts:
 *   delta = θ·D·N(θ·d1)                     gamma = D·φ(d1)/(F·σ√T)
 *   vega  = D·F·φ(d1)·√T                     theta = −∂V/∂T = −D·F·φ(d1)·σ/(2√T) + r·V
 *   rho   = ∂V/∂r = −T·V                     vanna = ∂²V/∂F∂σ = −D·φ(d1)·d2/σ
 *   volga = ∂²V/∂σ² = vega·d1·d2/σ           charm = −∂delta/∂T = r·delta + D·φ(d1)·d2/(2T)
 *
 * This is how Deribit prices its options: F = the expiry's `underlying_price`, r = `interest_rate` (0),
 * USD price; the inverse (coin) premium is that price divided by F (see `inverseOption.ts`).
 *
 * Two evaluations are provided:
 *  - `black76` / `black76Greeks`: validated, accurate to a few ulp of the price itself times the
 *    conditioning 1 + d1² of the inputs (the out-of-the-money part is computed without cancellation, see
 *    `normalisedBlack.ts`, the intrinsic value added, ln(F/K) by log1p near the money), so an implied
 *    volatility can be recovered from it to ~1e-13 wherever the price carries that information;
 *  - `black76PriceUnchecked` / `black76PriceGreeksUnchecked`: the hot-loop kernels (no validation, no
 *    allocation, no data-dependent branch; one log, one sqrt, one Gaussian factor, two tabulated erfcx),
 *    accurate to a few ulp of max(F, K) absolute — the textbook formula θ·(F·N(θd1) − K·N(θd2)).
 */
import { erfcxHalf, gaussianFactor, normCdf } from './normal'
import { otmUndiscounted } from './normalisedBlack'
import { DAYS_PER_YEAR } from '../time'

export type OptionType = 'call' | 'put'


/** Thrown for an input outside the model's domain; `argument` names the offending input. */
export class PricingInputError extends RangeError {
  constructor(
    readonly argument: string,
    readonly value: number,
    expected: string,
  ) {
    super(`${argument} = ${value}: expected ${expected}`)
    this.name = 'PricingInputError'
  }
}

export interface Black76Input {
  type: OptionType
  /** Forward price of the expiry, > 0 (USD). */
  F: number
  /** Strike, > 0 (USD). */
  K: number
  /** Time to expiry in years (ACT/365). T ≤ 0 means expired: intrinsic value, see `black76`. */
  T: number
  /** Volatility as a decimal (0.8 = 80%), > 0. */
  sigma: number
  /** Continuously compounded discount rate as a decimal; default 0 (Deribit's `interest_rate`). */
  r?: number
}

export interface Black76Result {
  /** Option price in USD (the forward's currency) per unit of underlying. */
  price: number
  /** ∂price/∂F, dimensionless (coin per coin of underlying). */
  delta: number
  /** ∂²price/∂F², per USD. */
  gamma: number
  /** ∂price/∂σ per 1 vol point (σ + 0.01), in USD. */
  vega: number
  /** Price change per calendar day of time decay (−∂price/∂T ÷ 365), in USD. */
  theta: number
  /** ∂price/∂r per 1% (r + 0.01) with F held fixed, in USD. */
  rho: number
  /** ∂delta/∂σ per 1 vol point (equivalently ∂(vega per vol point)/∂F), delta units per vol point. */
  vanna: number
  /** ∂vega/∂σ: change of the per-vol-point vega per 1 vol point, USD per (vol point)². */
  volga: number
  /** Change of delta per calendar day of passing time (−∂delta/∂T ÷ 365), delta units per day. */
  charm: number
}

/**
 * Greeks in the units of the calculus (per unit of σ, per year, per unit of r), as QuantLib's
 * BlackCalculator and Haug's tables quote them.
 */
export interface Black76RawGreeks {
  /** USD per unit of underlying. */
  price: number
  /** ∂V/∂F. */
  delta: number
  /** ∂²V/∂F², per USD. */
  gamma: number
  /** ∂V/∂σ, USD per unit of σ (per 100 vol points). */
  vega: number
  /** −∂V/∂T, USD per year. */
  theta: number
  /** ∂V/∂r with F fixed, USD per unit of r. */
  rho: number
  /** ∂²V/∂F∂σ, per unit of σ. */
  vanna: number
  /** ∂²V/∂σ², USD per unit of σ². */
  volga: number
  /** −∂delta/∂T, per year. */
  charm: number
  /** d1, d2 of the formula (0 when expired). */
  d1: number
  d2: number
}

/** Throws `PricingInputError` unless F, K, σ are finite and > 0 and T, r are finite. */
export function checkBlack76Input(i: Black76Input): void {
  if (!(i.F > 0) || !Number.isFinite(i.F)) throw new PricingInputError('F', i.F, 'a finite forward > 0')
  if (!(i.K > 0) || !Number.isFinite(i.K)) throw new PricingInputError('K', i.K, 'a finite strike > 0')
  if (!(i.sigma > 0) || !Number.isFinite(i.sigma))
    throw new PricingInputError('sigma', i.sigma, 'a finite volatility > 0')
  if (!Number.isFinite(i.T)) throw new PricingInputError('T', i.T, 'a finite time in years')
  if (i.r !== undefined && !Number.isFinite(i.r)) throw new PricingInputError('r', i.r, 'a finite rate')
}

/**
 * Undiscounted Black price accurate to a few ulp of the price: intrinsic value plus the out-of-the-money
 * counterpart's value (put-call parity), the latter without cancellation. Inputs unchecked: F, K, s > 0,
 * x = ln(F/K) and F − K (both passed in so BSM can supply ln(S/K) + (r − q)T and S·expm1((r − q)T) + S − K
 * without rounding F first).
 */
export function black76Undiscounted(isCall: boolean, F: number, K: number, x: number, s: number, fMinusK = F - K): number {
  const otm = otmUndiscounted(F, K, x, s)
  if (isCall) return fMinusK > 0 ? fMinusK + otm : otm
  return fMinusK < 0 ? otm - fMinusK : otm
}

/**
 * ln(F/K) to a few ulp of the result: log1p((F − K)/K) when F and K are within a factor 1.5 of each other
 * (F − K is then exact, so a near-the-money log-moneyness keeps its relative accuracy — Math.log(F/K)
 * would carry an absolute error of ε, i.e. a relative error ε/|x| that exp(−d²/2) amplifies by d1/s),
 * Math.log(F/K) otherwise.
 */
export function logMoneyness(F: number, K: number): number {
  const y = (F - K) / K
  return y > -1 / 3 && y < 0.5 ? Math.log1p(y) : Math.log(F / K)
}

/**
 * The accurate core shared by Black-76, Black-Scholes(-Merton) and the inverse option: raw Greeks for
 * forward F, strike K, x = ln(F/K), T > 0, σ > 0, discount factor D and rate r (only for theta's r·V and
 * charm's r·delta), and optionally F − K computed without rounding F. Inputs unchecked.
 */
export function black76Core(
  isCall: boolean,
  F: number,
  K: number,
  x: number,
  T: number,
  sigma: number,
  D: number,
  r: number,
  fMinusK = F - K,
): Black76RawGreeks {
  const sqrtT = Math.sqrt(T)
  const s = sigma * sqrtT
  const d1 = x / s + 0.5 * s
  const d2 = d1 - s
  const pdf = 0.3989422804014327 * gaussianFactor(d1)
  const price = D * black76Undiscounted(isCall, F, K, x, s, fMinusK)
  const delta = D * (isCall ? normCdf(d1) : -normCdf(-d1))
  const vega = D * F * pdf * sqrtT
  return {
    price,
    delta,
    gamma: (D * pdf) / (F * s),
    vega,
    theta: -(D * F * pdf * sigma) / (2 * sqrtT) + r * price,
    rho: -T * price,
    vanna: (-D * pdf * d2) / sigma,
    volga: (vega * d1 * d2) / sigma,
    charm: r * delta + (D * pdf * d2) / (2 * T),
    d1,
    d2,
  }
}

function expiredRaw(isCall: boolean, F: number, K: number): Black76RawGreeks {
  const intrinsic = Math.max(isCall ? F - K : K - F, 0)
  const atm = F === K ? 0.5 : 0
  const delta = isCall ? (F > K ? 1 : atm) : F < K ? -1 : -atm
  return { price: intrinsic, delta, gamma: 0, vega: 0, theta: 0, rho: 0, vanna: 0, volga: 0, charm: 0, d1: 0, d2: 0 }
}

/**
 * Black-76 price and Greeks in calculus units (per unit σ, per year, per unit r) — the units of QuantLib's
 * BlackCalculator and of Haug's tables. Expired (T ≤ 0): intrinsic value, undiscounted, delta 1/0 (call)
 * or −1/0 (put), ±½ exactly at the money, every other Greek 0.
 * @throws PricingInputError for F, K or σ ≤ 0 or non-finite inputs.
 */
export function black76Greeks(input: Black76Input): Black76RawGreeks {
  checkBlack76Input(input)
  const { F, K, T, sigma } = input
  const isCall = input.type === 'call'
  if (T <= 0) return expiredRaw(isCall, F, K)
  const r = input.r ?? 0
  return black76Core(isCall, F, K, logMoneyness(F, K), T, sigma, r === 0 ? 1 : Math.exp(-r * T), r)
}

/**
 * Black-76 price and Greeks in desk units: vega and vanna per vol point, volga per (vol point)², theta and
 * charm per calendar day (ACT/365), rho per 1%.
 *
 * At or after expiry (T ≤ 0) returns the intrinsic value with delta 1/0 (call) or −1/0 (put), ½ exactly
 * at the money, and zero for every other Greek.
 * @throws PricingInputError for F, K or σ ≤ 0 or non-finite inputs.
 */
export function black76(input: Black76Input): Black76Result {
  return toDeskUnits(black76Greeks(input))
}

/** Converts calculus-unit Greeks to desk units (see `Black76Result`). */
export function toDeskUnits(g: Black76RawGreeks): Black76Result {
  return {
    price: g.price,
    delta: g.delta,
    gamma: g.gamma,
    vega: g.vega / 100,
    theta: g.theta / DAYS_PER_YEAR,
    rho: g.rho / 100,
    vanna: g.vanna / 100,
    volga: g.volga / 10_000,
    charm: g.charm / DAYS_PER_YEAR,
  }
}

const INV_SQRT_2PI = 0.3989422804014327

/**
 * Black-76 undiscounted price only (r = 0), for the stress kernel's inner loop: no validation, no
 * allocation, no data-dependent branch. Callers guarantee F, K, σ > 0 and |ln(F/K)| < 50; T ≤ 0 returns
 * intrinsic value. USD per unit of underlying.
 *
 * Accuracy: a few ulp of max(F, K) absolute, and a few ulp relative for an out-of-the-money option whose
 * d1, d2 are both below 0 (calls) or above 0 (puts). Φ(θd) is taken as p + (1 − 2p)·tail with p ∈ {0, 1}
 * and tail = Φ(−|d|) = ½·exp(−d²/2)·erfcx(|d|/√2) (see normal.ts), exact in both cases;
 * exp(−d2²/2) = exp(−d1²/2)·F/K shares the one Gaussian factor (that product only underflows early when
 * |ln(F/K)| > 50, hence the domain).
 */
export function black76PriceUnchecked(isCall: boolean, F: number, K: number, T: number, sigma: number): number {
  if (T <= 0) return Math.max(isCall ? F - K : K - F, 0)
  const s = sigma * Math.sqrt(T)
  const th = +isCall * 2 - 1
  const d1 = Math.log(F / K) / s + 0.5 * s
  const d2 = d1 - s
  const a1 = Math.abs(d1)
  const a2 = Math.abs(d2)
  const g1 = gaussianFactor(a1)
  const t1 = 0.5 * g1 * erfcxHalf(a1)
  const t2 = 0.5 * g1 * (F / K) * erfcxHalf(a2)
  const p1 = +(th * d1 > 0)
  const p2 = +(th * d2 > 0)
  return th * (F * (p1 + (1 - 2 * p1) * t1) - K * (p2 + (1 - 2 * p2) * t2))
}

/**
 * `black76PriceUnchecked` with ln(F/K) and √T supplied by the caller, for loops that can hoist them: a
 * stress kernel moving every forward by (1 + shock) has x₁ = ln(F₀/K) + ln(1 + shock), so the logarithm
 * is taken once per scenario and √T once per position instead of once per revaluation. Bit-identical
 * to `black76PriceUnchecked` when x = Math.log(F / K) and sqrtT = Math.sqrt(T) (T > 0); sqrtT ≤ 0 means
 * expired (intrinsic). Same domain and accuracy (x carries the caller's rounding).
 */
export function black76PriceFromLogMoneyness(isCall: boolean, F: number, K: number, x: number, sqrtT: number, sigma: number): number {
  if (sqrtT <= 0) return Math.max(isCall ? F - K : K - F, 0)
  const s = sigma * sqrtT
  const th = +isCall * 2 - 1
  const d1 = x / s + 0.5 * s
  const d2 = d1 - s
  const a1 = Math.abs(d1)
  const a2 = Math.abs(d2)
  const g1 = gaussianFactor(a1)
  const t1 = 0.5 * g1 * erfcxHalf(a1)
  const t2 = 0.5 * g1 * (F / K) * erfcxHalf(a2)
  const p1 = +(th * d1 > 0)
  const p2 = +(th * d2 > 0)
  return th * (F * (p1 + (1 - 2 * p1) * t1) - K * (p2 + (1 - 2 * p2) * t2))
}

/**
 * Black-76 price, delta, gamma and vega for one option in a hot loop: no validation, no allocation, no
 * data-dependent branch; writes out[o] = price (USD), out[o+1] = delta (∂V/∂F), out[o+2] = gamma (per
 * USD), out[o+3] = vega (USD per vol point), all multiplied by the discount factor D = e^(−rT) the caller
 * passes (1 for Deribit). Domain and accuracy as `black76PriceUnchecked`; Greeks to a few ulp. T ≤ 0
 * writes the expired values of `black76` (undiscounted intrinsic, delta 1/0 or −1/0, ±½ at the money).
 */
export function black76PriceGreeksUnchecked(
  isCall: boolean,
  F: number,
  K: number,
  T: number,
  sigma: number,
  D: number,
  out: Float64Array,
  o: number,
): void {
  if (T <= 0) {
    out[o] = Math.max(isCall ? F - K : K - F, 0)
    const atm = F === K ? 0.5 : 0
    out[o + 1] = isCall ? (F > K ? 1 : atm) : F < K ? -1 : -atm
    out[o + 2] = 0
    out[o + 3] = 0
    return
  }
  const sqrtT = Math.sqrt(T)
  const s = sigma * sqrtT
  const th = +isCall * 2 - 1
  const d1 = Math.log(F / K) / s + 0.5 * s
  const d2 = d1 - s
  const a1 = Math.abs(d1)
  const a2 = Math.abs(d2)
  const g1 = gaussianFactor(a1)
  const t1 = 0.5 * g1 * erfcxHalf(a1)
  const t2 = 0.5 * g1 * (F / K) * erfcxHalf(a2)
  const p1 = +(th * d1 > 0)
  const p2 = +(th * d2 > 0)
  const n1 = p1 + (1 - 2 * p1) * t1
  const pdf = INV_SQRT_2PI * g1
  out[o] = D * th * (F * n1 - K * (p2 + (1 - 2 * p2) * t2))
  out[o + 1] = D * th * n1
  out[o + 2] = (D * pdf) / (F * s)
  out[o + 3] = D * F * pdf * sqrtT * 0.01
}

/**
 * Structure-of-arrays batch of `black76PriceGreeksUnchecked`: for i in [0, n) writes price[i] (USD),
 * delta[i] (∂V/∂F), gamma[i] (per USD) and vega[i] (USD per vol point) of the option with isCall[i] (1 for
 * a call, 0 for a put), forward F[i] (USD), strike K[i] (USD), T[i] (years, ACT/365) and sigma[i]
 * (decimal), discounted by discount[i] (e^(−rT)) or undiscounted when `discount` is null (Deribit, r = 0).
 * No validation, no allocation; domain and accuracy as `black76PriceUnchecked`. This is the loop the
 * `pricing` benchmark times.
 */
export function black76GreeksBatch(
  n: number,
  isCall: Float64Array,
  F: Float64Array,
  K: Float64Array,
  T: Float64Array,
  sigma: Float64Array,
  discount: Float64Array | null,
  price: Float64Array,
  delta: Float64Array,
  gamma: Float64Array,
  vega: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const f = F[i]!
    const k = K[i]!
    const t = T[i]!
    const D = discount === null ? 1 : discount[i]!
    if (t <= 0) {
      const c = isCall[i] === 1
      price[i] = Math.max(c ? f - k : k - f, 0)
      const atm = f === k ? 0.5 : 0
      delta[i] = c ? (f > k ? 1 : atm) : f < k ? -1 : -atm
      gamma[i] = 0
      vega[i] = 0
      continue
    }
    const sqrtT = Math.sqrt(t)
    const s = sigma[i]! * sqrtT
    const th = isCall[i]! * 2 - 1
    const d1 = Math.log(f / k) / s + 0.5 * s
    const d2 = d1 - s
    const a1 = Math.abs(d1)
    const a2 = Math.abs(d2)
    const g1 = gaussianFactor(a1)
    const t1 = 0.5 * g1 * erfcxHalf(a1)
    const t2 = 0.5 * g1 * (f / k) * erfcxHalf(a2)
    const p1 = +(th * d1 > 0)
    const p2 = +(th * d2 > 0)
    const n1 = p1 + (1 - 2 * p1) * t1
    const pdf = INV_SQRT_2PI * g1
    price[i] = D * th * (f * n1 - k * (p2 + (1 - 2 * p2) * t2))
    delta[i] = D * th * n1
    gamma[i] = (D * pdf) / (f * s)
    vega[i] = D * f * pdf * sqrtT * 0.01
  }
}
