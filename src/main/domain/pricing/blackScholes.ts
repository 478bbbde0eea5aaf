/**
 * Black-Scholes (F. Black, M. Scholes, "The pricing of options and corporate liabilities", J. Political
 * Economy 81 (1973) 637–654) and Black-Scholes-Merton with a continuous dividend yield / carry q (R. C.
 * Merton, "Theory of rational option pricing", Bell J. Econ. Mgmt. Sci. 4 (1973) 141–183), on a spot S.
 * Formulas and Greeks as in E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed. (2007),
 * §1.1.1–1.1.6 (generalized Black-Scholes with cost of carry b = r − q) and §2.1–2.4:
 *
 *   F = S·e^((r−q)T),  D = e^(−rT),  d1 = (ln(S/K) + (r − q + σ²/2)T)/(σ√T),  d2 = d1 − σ√T
 *   V = D·Black(F, K, σ, T)                       (so BSM is Black-76 on the forward F)
 *   delta = θ·e^(−qT)·N(θd1)                      gamma = e^(−qT)·φ(d1)/(S·σ√T)
 *   vega  = S·e^(−qT)·φ(d1)·√T                    theta = −∂V/∂T|_S
 *   rho   = ∂V/∂r|_S = θ·K·T·D·N(θd2)              dividendRho = ∂V/∂q|_S = −θ·S·T·e^(−qT)·N(θd1)
 *   vanna = ∂²V/∂S∂σ,  volga = ∂²V/∂σ²,  charm = −∂delta/∂T|_S
 *
 * The price comes from the accurate Black-76 core on x = ln(S/K) + (r − q)T (no rounding of F first);
 * the Greeks from Haug's direct formulas with the accurate Φ (so no difference of large terms cancels):
 *   theta = −S·e^(−qT)·φ(d1)·σ/(2√T) − θ·r·K·D·N(θd2) + θ·q·S·e^(−qT)·N(θd1)
 *   vanna = −e^(−qT)·φ(d1)·d2/σ,  volga = vega·d1·d2/σ,
 *   charm = q·delta − e^(−qT)·φ(d1)·((r − q)/(σ√T) − d2/(2T))
 */
import { normCdf, normPdf } from './normal'
import {
  black76Core,
  checkBlack76Input,
  logMoneyness,
  toDeskUnits,
  PricingInputError,
  type Black76RawGreeks,
  type Black76Result,
  type OptionType,
} from './black76'

export interface BlackScholesInput {
  type: OptionType
  /** Spot price, > 0 (USD). */
  S: number
  /** Strike, > 0 (USD). */
  K: number
  /** Years to expiry (ACT/365); T ≤ 0: expired, intrinsic value on the spot. */
  T: number
  /** Volatility, decimal, > 0. */
  sigma: number
  /** Continuously compounded risk-free rate, decimal; default 0. */
  r?: number
  /** Continuous dividend yield / carry, decimal; default 0 (Black-Scholes). */
  q?: number
}

/** Calculus-unit Greeks on the spot (per unit σ, per year, per unit r and q). */
export interface BlackScholesRawGreeks extends Omit<Black76RawGreeks, 'd1' | 'd2'> {
  /** ∂V/∂q with S fixed, USD per unit of q. */
  dividendRho: number
  d1: number
  d2: number
}

/** Desk-unit Greeks on the spot: as `Black76Result` (delta, gamma per spot), plus dividend rho per 1%. */
export interface BlackScholesResult extends Black76Result {
  /** ∂price/∂q per 1% (q + 0.01) with S fixed, USD. */
  dividendRho: number
}

function checkInput(i: BlackScholesInput): void {
  if (!(i.S > 0) || !Number.isFinite(i.S)) throw new PricingInputError('S', i.S, 'a finite spot > 0')
  if (i.q !== undefined && !Number.isFinite(i.q)) throw new PricingInputError('q', i.q, 'a finite dividend yield')
  checkBlack76Input({ type: i.type, F: i.S, K: i.K, T: i.T, sigma: i.sigma, r: i.r })
}

/**
 * Black-Scholes-Merton price and Greeks in calculus units (Haug's and QuantLib's units: vega per unit σ,
 * theta per year, rho and dividendRho per unit rate). Expired (T ≤ 0): intrinsic on the spot, delta 1/0 or
 * −1/0 (±½ at the money), other Greeks 0.
 * @throws PricingInputError for S, K or σ ≤ 0 or non-finite inputs.
 */
export function blackScholesMertonGreeks(input: BlackScholesInput): BlackScholesRawGreeks {
  checkInput(input)
  const { S, K, T, sigma } = input
  const r = input.r ?? 0
  const q = input.q ?? 0
  const isCall = input.type === 'call'
  if (T <= 0) {
    const atm = S === K ? 0.5 : 0
    return {
      price: Math.max(isCall ? S - K : K - S, 0),
      delta: isCall ? (S > K ? 1 : atm) : S < K ? -1 : -atm,
      gamma: 0,
      vega: 0,
      theta: 0,
      rho: 0,
      dividendRho: 0,
      vanna: 0,
      volga: 0,
      charm: 0,
      d1: 0,
      d2: 0,
    }
  }
  const b = r - q
  const F = S * Math.exp(b * T)
  const x = logMoneyness(S, K) + b * T
  const D = r === 0 ? 1 : Math.exp(-r * T)
  const Dq = q === 0 ? 1 : Math.exp(-q * T)
  // Price from the accurate Black-76 core on F; Greeks from Haug's direct formulas with accurate N(θd).
  const c = black76Core(isCall, F, K, x, T, sigma, D, r, S * Math.expm1(b * T) + (S - K))
  const th = isCall ? 1 : -1
  const sqrtT = Math.sqrt(T)
  const { d1, d2 } = c
  const n1 = normCdf(th * d1)
  const n2 = normCdf(th * d2)
  const pdf = normPdf(d1)
  const vega = S * Dq * pdf * sqrtT
  const delta = th * Dq * n1
  return {
    price: c.price,
    delta,
    gamma: (Dq * pdf) / (S * sigma * sqrtT),
    vega,
    theta: -(S * Dq * pdf * sigma) / (2 * sqrtT) - th * r * K * D * n2 + th * q * S * Dq * n1,
    rho: th * K * T * D * n2,
    dividendRho: -th * S * T * Dq * n1,
    vanna: (-Dq * pdf * d2) / sigma,
    volga: (vega * d1 * d2) / sigma,
    charm: q * delta - Dq * pdf * (b / (sigma * sqrtT) - d2 / (2 * T)),
    d1,
    d2,
  }
}

/**
 * Black-Scholes-Merton price and Greeks in desk units: vega and vanna per vol point, volga per (vol
 * point)², theta and charm per calendar day (ACT/365), rho and dividend rho per 1%.
 * @throws PricingInputError for S, K or σ ≤ 0 or non-finite inputs.
 */
export function blackScholesMerton(input: BlackScholesInput): BlackScholesResult {
  const g = blackScholesMertonGreeks(input)
  return { ...toDeskUnits(g), dividendRho: g.dividendRho / 100 }
}

/**
 * Black-Scholes (no dividend yield): `blackScholesMerton` with q = 0; desk units.
 * @throws PricingInputError for S, K or σ ≤ 0, non-finite inputs, or a non-zero q (use the BSM model).
 */
export function blackScholes(input: Omit<BlackScholesInput, 'q'> & { q?: 0 }): BlackScholesResult {
  if (input.q !== undefined && input.q !== 0)
    throw new PricingInputError('q', input.q, '0 for Black-Scholes (use black_scholes_merton for a dividend yield)')
  return blackScholesMerton({ ...input, q: 0 })
}
