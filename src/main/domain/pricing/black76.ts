/**
 * Black-76: European options on a forward (F. Black, "The pricing of commodity contracts", J. Financial
 * Economics 3 (1976) 167–179; E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed., §1.1.3).
 *
 *   d1 = (ln(F/K) + σ²T/2) / (σ√T),  d2 = d1 − σ√T,  D = e^(−rT)
 *   call = D·(F·N(d1) − K·N(d2)),    put = D·(K·N(−d2) − F·N(−d1))
 *
 * This is how Deribit prices its options: F = the expiry's `underlying_price`, r = `interest_rate` (0),
 * USD price; the inverse (coin) premium is that price divided by F (see `inverseOption.ts`).
 */
import { normCdf, normPdf } from './normal'

export type OptionType = 'call' | 'put'

/** Calendar days per year for ACT/365 year fractions and per-day theta. */
export const DAYS_PER_YEAR = 365
/** Milliseconds per ACT/365 year. */
export const MS_PER_YEAR = DAYS_PER_YEAR * 86_400_000

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
 * Black-76 price and first-order Greeks.
 *
 * At or after expiry (T ≤ 0) returns the discounted intrinsic value with delta 1/0 (call) or −1/0 (put),
 * ½ exactly at the money, and zero gamma, vega, theta, rho.
 * @throws PricingInputError for F, K or σ ≤ 0 or non-finite inputs.
 */
export function black76(input: Black76Input): Black76Result {
  checkBlack76Input(input)
  const { type, F, K, T, sigma } = input
  const r = input.r ?? 0
  const isCall = type === 'call'
  if (T <= 0) {
    const intrinsic = Math.max(isCall ? F - K : K - F, 0)
    const atm = F === K ? 0.5 : 0
    const delta = isCall ? (F > K ? 1 : atm) : F < K ? -1 : -atm
    return { price: intrinsic, delta, gamma: 0, vega: 0, theta: 0, rho: 0 }
  }
  const sqrtT = Math.sqrt(T)
  const sd = sigma * sqrtT
  const d1 = Math.log(F / K) / sd + 0.5 * sd
  const d2 = d1 - sd
  const D = r === 0 ? 1 : Math.exp(-r * T)
  const pdf = normPdf(d1)
  const undiscounted = isCall ? F * normCdf(d1) - K * normCdf(d2) : K * normCdf(-d2) - F * normCdf(-d1)
  const price = D * undiscounted
  const delta = D * (isCall ? normCdf(d1) : -normCdf(-d1))
  const gamma = (D * pdf) / (F * sd)
  const vegaPerUnit = D * F * pdf * sqrtT
  // −∂V/∂T: the decay of volatility value plus the discounting drift r·V.
  const thetaPerYear = -(D * F * pdf * sigma) / (2 * sqrtT) + r * price
  return {
    price,
    delta,
    gamma,
    vega: vegaPerUnit / 100,
    theta: thetaPerYear / DAYS_PER_YEAR,
    rho: (-T * price) / 100,
  }
}

/**
 * Black-76 undiscounted price only (r = 0), for the stress kernel's inner loop: no validation, no
 * allocation. Callers guarantee F, K, σ > 0; T ≤ 0 returns intrinsic value. USD per unit of underlying.
 */
export function black76PriceUnchecked(isCall: boolean, F: number, K: number, T: number, sigma: number): number {
  if (T <= 0) return Math.max(isCall ? F - K : K - F, 0)
  const sd = sigma * Math.sqrt(T)
  const d1 = Math.log(F / K) / sd + 0.5 * sd
  const d2 = d1 - sd
  return isCall ? F * normCdf(d1) - K * normCdf(d2) : K * normCdf(-d2) - F * normCdf(-d1)
}
