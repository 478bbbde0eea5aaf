/**
 * VaR backtests on a series of exceptions (days whose loss exceeded the VaR forecast):
 *  - Kupiec (1995) proportion of failures: LR_POF = −2 ln[(1−p)^(T−x) p^x] + 2 ln[(1−x/T)^(T−x) (x/T)^x], χ²(1);
 *  - Christoffersen (1998) independence: with N_ij the days in state j after a day in state i (1 = exception),
 *    π₀ = N01/(N00+N01), π₁ = N11/(N10+N11), π = (N01+N11)/(N00+N01+N10+N11),
 *    LR_CCI = −2 ln[(1−π)^(N00+N10) π^(N01+N11)] + 2 ln[(1−π₀)^N00 π₀^N01 (1−π₁)^N10 π₁^N11], χ²(1);
 *  - conditional coverage LR_CC = LR_POF + LR_CCI, χ²(2);
 *  - Basel (1996) traffic light: the binomial probability P[X ≤ x] of x exceptions in T days at 1 − VaR level;
 *    green below 0.95, yellow from 0.95 to below 0.9999, red from 0.9999 (Basel Committee, "Supervisory
 *    framework for the use of backtesting", January 1996, table 2 — its zones for 250 days at 99 %: green
 *    0–4, yellow 5–9, red 10+, follow from these cut-offs).
 * Terms 0·ln 0 are 0 (the likelihood of an empty state is 1), as MATLAB varbacktest does when an N_ij is 0.
 * Checked against MATLAB's varbacktest documentation example (test/unit/risk/backtest.test.ts).
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf'
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf'

export interface LikelihoodRatio {
  lr: number
  pValue: number
}

export interface Transitions {
  n00: number
  n01: number
  n10: number
  n11: number
}

export type TrafficLightZone = 'green' | 'yellow' | 'red'

export interface BacktestStatistics {
  days: number
  exceptions: number
  /** Expected exceptions, days × (1 − VaR level). */
  expected: number
  transitions: Transitions
  kupiec: LikelihoodRatio
  christoffersen: LikelihoodRatio
  conditionalCoverage: LikelihoodRatio
  trafficLight: { zone: TrafficLightZone; cumulativeProbability: number }
}

/** n·ln(x), with 0·ln(anything) = 0. */
const xlogy = (n: number, x: number): number => (n === 0 ? 0 : n * Math.log(x))

const chi2 = (lr: number, df: number): LikelihoodRatio => {
  const l = Math.max(lr, 0) // rounding can leave −1e-16 when the two likelihoods are equal
  return { lr: l, pValue: 1 - chisquareCdf(l, df) }
}

/**
 * Kupiec's proportion-of-failures test.
 * @param days number of forecasts T ≥ 1; @param exceptions x in [0, T]; @param level VaR level in (0, 1)
 * @throws RangeError outside those ranges
 */
export function kupiecPof(days: number, exceptions: number, level: number): LikelihoodRatio {
  checkCounts(days, exceptions, level)
  const p = 1 - level
  const x = exceptions
  const t = days
  const lr = -2 * (xlogy(t - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(t - x, 1 - x / t) + xlogy(x, x / t))
  return chi2(lr, 1)
}

/** Transition counts of an exception series (true = exception), over its T − 1 consecutive pairs. */
export function transitionsOf(exceptions: readonly boolean[]): Transitions {
  const t: Transitions = { n00: 0, n01: 0, n10: 0, n11: 0 }
  for (let i = 1; i < exceptions.length; i++) {
    const a = exceptions[i - 1]!
    const b = exceptions[i]!
    if (a) b ? t.n11++ : t.n10++
    else b ? t.n01++ : t.n00++
  }
  return t
}

/** Christoffersen's independence test from the transition counts. */
export function christoffersenIndependence(t: Transitions): LikelihoodRatio {
  const { n00, n01, n10, n11 } = t
  const pi0 = n00 + n01 === 0 ? 0 : n01 / (n00 + n01)
  const pi1 = n10 + n11 === 0 ? 0 : n11 / (n10 + n11)
  const pi = (n01 + n11) / (n00 + n01 + n10 + n11)
  const restricted = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi)
  const unrestricted = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1)
  return chi2(-2 * restricted + 2 * unrestricted, 1)
}

/** The Basel traffic light of x exceptions in T days at a VaR level. */
export function trafficLight(days: number, exceptions: number, level: number): BacktestStatistics['trafficLight'] {
  checkCounts(days, exceptions, level)
  const cumulativeProbability = binomialCdf(exceptions, days, 1 - level)
  const zone: TrafficLightZone = cumulativeProbability < 0.95 ? 'green' : cumulativeProbability < 0.9999 ? 'yellow' : 'red'
  return { zone, cumulativeProbability }
}

/** Every statistic from the counts (the transitions carry the independence information). */
export function backtestFromCounts(days: number, exceptions: number, transitions: Transitions, level: number): BacktestStatistics {
  const kupiec = kupiecPof(days, exceptions, level)
  const christoffersen = christoffersenIndependence(transitions)
  return {
    days,
    exceptions,
    expected: days * (1 - level),
    transitions,
    kupiec,
    christoffersen,
    conditionalCoverage: chi2(kupiec.lr + christoffersen.lr, 2),
    trafficLight: trafficLight(days, exceptions, level),
  }
}

/**
 * Every statistic of an exception series (true = the day's loss exceeded its VaR).
 * @throws RangeError for an empty series or a level outside (0, 1)
 */
export function backtestExceptions(exceptions: readonly boolean[], level: number): BacktestStatistics {
  const x = exceptions.filter(Boolean).length
  return backtestFromCounts(exceptions.length, x, transitionsOf(exceptions), level)
}

function checkCounts(days: number, exceptions: number, level: number): void {
  if (!(Number.isInteger(days) && days >= 1)) throw new RangeError(`days must be a whole number ≥ 1, got ${days}`)
  if (!(Number.isInteger(exceptions) && exceptions >= 0 && exceptions <= days)) throw new RangeError(`exceptions must be a whole number in [0, ${days}], got ${exceptions}`)
  if (!(level > 0 && level < 1)) throw new RangeError(`the VaR level must be in (0, 1), got ${level}`)
}
