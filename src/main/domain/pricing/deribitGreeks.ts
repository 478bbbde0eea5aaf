/**
 * Greeks as Deribit displays them (public API `greeks` of `public/ticker`, platform option chain), which
 * differ from the textbook Black-76 Greeks in three named conventions:
 *
 * Source for each: Deribit API documentation, `greeks` object of `public/ticker` (delta "the Black Scholes
 * Delta"; gamma, vega, rho "calculated using standard Black Scholes without adjustments"; theta "the
 * minimum of (1 day Theta, lifetime theta of the option)"), mirrored in github api-evangelist/deribit,
 * json-schema/greeks.json; and the real chain below.
 *
 * 1. Theta: theta_Deribit = −min(|θ_day| · min(1, days to expiry), V_USD), θ_day the Black-76 theta per
 *    calendar day, V_USD the option's USD value: its mark, mark_price × underlying_price. Evidence, same
 *    file: with the mark value the largest difference over the 310 options is 0.035 USD/day; with the
 *    model value at mark_iv it is 0.215 (BTC-15MAY20-8750-P, where the cap binds and the two values differ
 *    by 0.2 USD).
 * 2. Rho: Deribit reports the Black-Scholes rho on the spot, θ·K·T·e^(−rT)·N(θ·d2) per 1% (the forward
 *    moving with the rate), although its prices use the forward with r = 0. Evidence: every option of the
 *    2020-05-14 chain (shared/data/real/market/deribit_btc_option_chain_2020-05-14_schepal.csv) matches
 *    this to 8e-4 USD (−140.6237 vs −140.62298 for BTC-25DEC20-24000-P), while −T·V (F held fixed) is off
 *    by up to 57 USD.
 * 3. Time to expiry for the Greeks in whole minutes: Deribit's Greeks are consistent with T measured from
 *    the quote time rounded to the nearest minute. Evidence, same file: solving each 2.3-hour-to-expiry
 *    (14MAY20) option's reported delta and vega for the evaluation instant gives instants clustered at
 *    05:42:00, 05:43:00 and 05:44:00 UTC (±1.5 s) whatever the row's own timestamp (05:41:38 … 05:43:58);
 *    with T rounded to the minute the largest delta difference over the 310 options falls from 2.8e-4 to
 *    6.6e-5, with T from the raw timestamp it stays at 2.8e-4 (BTC-14MAY20-9125-P). Whether the mark
 *    prices use the same T this file cannot tell: for them the timing of the forward dominates (see
 *    docs/pricing.md).
 *
 * Delta, gamma and vega are plain Black-76 on the expiry's `underlying_price` (delta not premium-adjusted;
 * gamma per USD; vega USD per vol point). The premium-adjusted delta Deribit sums into `delta_total` is
 * `deltaPremiumAdjusted` (see inverseOption.ts).
 */
import { black76Greeks, PricingInputError, type OptionType } from './black76'
import { DAYS_PER_YEAR, MS_PER_YEAR } from '../time'
import { normCdf } from './normal'

/** Deribit's Greeks use time to expiry in whole minutes (see the module docstring, convention 3). */
export const DERIBIT_GREEKS_TIME_STEP_MS = 60_000

/**
 * Year fraction Deribit's Greeks use: (expiry − quote time) rounded to the nearest whole minute, ACT/365.
 * @param expiryMs expiry instant, ms since epoch UTC
 * @param atMs quote time, ms since epoch UTC
 * @returns years (≤ 0 when expired)
 */
export function deribitGreeksYearFraction(expiryMs: number, atMs: number): number {
  return (Math.round((expiryMs - atMs) / DERIBIT_GREEKS_TIME_STEP_MS) * DERIBIT_GREEKS_TIME_STEP_MS) / MS_PER_YEAR
}

/**
 * Deribit's displayed theta: −min(|thetaPerDayUsd| · min(1, daysToExpiry), optionValueUsd), USD per day.
 * @param thetaPerDayUsd Black-76 theta per calendar day, USD (usually negative)
 * @param daysToExpiry calendar days to expiry (≥ 0)
 * @param optionValueUsd the option's value in USD (≥ 0)
 */
export function deribitTheta(thetaPerDayUsd: number, daysToExpiry: number, optionValueUsd: number): number {
  return -Math.min(Math.abs(thetaPerDayUsd) * Math.min(1, Math.max(daysToExpiry, 0)), Math.max(optionValueUsd, 0))
}

export interface DeribitGreeksInput {
  type: OptionType
  /** The expiry's `underlying_price` (forward), USD. */
  F: number
  /** Strike, USD. */
  K: number
  /** `expiration_timestamp`, ms since epoch UTC. */
  expiryMs: number
  /** Quote `timestamp`, ms since epoch UTC. */
  timestampMs: number
  /** `mark_iv` in vol points (80 = 80%). */
  markIv: number
  /** `interest_rate`, decimal; default 0. */
  interestRate?: number
  /** `mark_price` in coin; when given, the theta cap is the mark's USD value (Deribit's), else the model's. */
  markPrice?: number
}

export interface DeribitGreeks {
  /** Black-76 forward delta (not premium-adjusted), as Deribit's `greeks.delta`. */
  delta: number
  /** Per USD, as `greeks.gamma`. */
  gamma: number
  /** USD per vol point, as `greeks.vega`. */
  vega: number
  /** Deribit's theta convention, USD per day, as `greeks.theta`. */
  theta: number
  /** Deribit's rho convention, USD per 1%, as `greeks.rho`. */
  rho: number
  /** Premium-adjusted delta, coin: delta − USD value/F (Deribit's "net transaction delta"). */
  deltaPremiumAdjusted: number
  /** USD value the theta cap used: mark_price × F when the mark was given, else Black-76 at mark_iv. */
  valueUsd: number
  /** The year fraction used (whole minutes, ACT/365). */
  T: number
}

/**
 * Deribit's displayed Greeks for one option from its chain fields (conventions 1–3 above).
 * @throws PricingInputError for F, K or markIv ≤ 0 or non-finite inputs.
 */
export function deribitOptionGreeks(input: DeribitGreeksInput): DeribitGreeks {
  if (!(input.markIv > 0) || !Number.isFinite(input.markIv))
    throw new PricingInputError('markIv', input.markIv, 'a finite mark IV > 0 in vol points')
  const T = deribitGreeksYearFraction(input.expiryMs, input.timestampMs)
  const r = input.interestRate ?? 0
  const g = black76Greeks({ type: input.type, F: input.F, K: input.K, T, sigma: input.markIv / 100, r })
  const days = T * DAYS_PER_YEAR
  let rho = 0
  if (T > 0) {
    const th = input.type === 'call' ? 1 : -1
    rho = (th * input.K * T * Math.exp(-r * T) * normCdf(th * g.d2)) / 100
  }
  const valueUsd = input.markPrice !== undefined && Number.isFinite(input.markPrice) ? input.markPrice * input.F : g.price
  return {
    delta: g.delta,
    gamma: g.gamma,
    vega: g.vega / 100,
    theta: deribitTheta(g.theta / DAYS_PER_YEAR, days, valueUsd),
    rho,
    deltaPremiumAdjusted: g.delta - valueUsd / input.F,
    valueUsd,
    T,
  }
}
