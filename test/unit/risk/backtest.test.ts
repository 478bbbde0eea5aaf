/**
 * VaR backtests against published figures.
 *
 * MATLAB varbacktest documentation example (mathworks.com/help/risk/varbacktest.pof.html, .cci, .cc, .tl;
 * research note defi-hedging-var-reports.md §5): 1,043 days, 57 failures at 95 %, transitions N00 = 932,
 * N10 = 53, N01 = 53, N11 = 4: POF LR 0.46147 (p 0.49694), CCI LR 0.25866 (p 0.61104), CC LR 0.72013
 * (p 0.69763), traffic light green with probability 0.77913.
 *
 * Clustered case (q4quant.studio exercise backtesting-ex-02): 250 days at 96 % (p = 4 %), failures on days
 * 40–42, 100–101 and 200–204: 10 failures = 250 × 4 %, so POF LR = 0 exactly, while N00 = 236, N01 = 3, N10 = 3,
 * N11 = 7 give LR_ind = 39.4437 (p 3.3766e-10; scipy.stats.chi2.sf(39.44368459601805, 1)).
 */
import { describe, expect, it } from 'vitest'
import {
  backtestExceptions,
  backtestFromCounts,
  christoffersenIndependence,
  kupiecPof,
  trafficLight,
  transitionsOf,
} from '../../../src/main/domain/risk/backtest'

describe('backtests', () => {
  it('reproduces MATLAB varbacktest documentation example to 5 decimals', () => {
    const s = backtestFromCounts(1043, 57, { n00: 932, n01: 53, n10: 53, n11: 4 }, 0.95)
    expect(s.kupiec.lr).toBeCloseTo(0.46147, 5)
    expect(s.kupiec.pValue).toBeCloseTo(0.49694, 5)
    expect(s.christoffersen.lr).toBeCloseTo(0.25866, 5)
    expect(s.christoffersen.pValue).toBeCloseTo(0.61104, 5)
    expect(s.conditionalCoverage.lr).toBeCloseTo(0.72013, 5)
    expect(s.conditionalCoverage.pValue).toBeCloseTo(0.69763, 5)
    expect(s.trafficLight.zone).toBe('green')
    expect(s.trafficLight.cumulativeProbability).toBeCloseTo(0.77913, 5)
    expect(s.expected).toBeCloseTo(52.15, 10)
  })

  it('POF passes and independence fails on clustered exceptions', () => {
    const fails = new Set([40, 41, 42, 100, 101, 200, 201, 202, 203, 204])
    const series = Array.from({ length: 250 }, (_, i) => fails.has(i + 1))
    expect(transitionsOf(series)).toEqual({ n00: 236, n01: 3, n10: 3, n11: 7 })
    const s = backtestExceptions(series, 0.96)
    expect(s.exceptions).toBe(10)
    expect(s.kupiec.lr).toBeCloseTo(0, 12)
    expect(s.kupiec.pValue).toBeCloseTo(1, 12)
    expect(s.christoffersen.lr).toBeCloseTo(39.44368459601805, 9)
    expect(s.christoffersen.pValue / 3.376580014926123e-10).toBeCloseTo(1, 5)
    expect(s.conditionalCoverage.pValue).toBeLessThan(1e-8)
  })

  it('treats an empty state as likelihood 1 (N11 = 0: no two exceptions in a row)', () => {
    // 2 isolated exceptions in 10 days: N01 = 2, N10 = 2, N00 = 5, N11 = 0. By hand: π₀ = 2/7, π₁ = 0,
    // π = 2/9; LR = −2[7 ln(7/9) + 2 ln(2/9)] + 2[5 ln(5/7) + 2 ln(2/7) + 2 ln 1] = 1.0465…
    const s = christoffersenIndependence(transitionsOf([false, true, false, false, false, true, false, false, false, false]))
    const expected = -2 * (7 * Math.log(7 / 9) + 2 * Math.log(2 / 9)) + 2 * (5 * Math.log(5 / 7) + 2 * Math.log(2 / 7))
    expect(s.lr).toBeCloseTo(expected, 12)
    expect(kupiecPof(10, 0, 0.99).lr).toBeCloseTo(-2 * 10 * Math.log(0.99), 12)
  })

  it('gives the Basel zones for 250 days at 99 %: green 0–4, yellow 5–9, red 10+ (Basel 1996, table 2)', () => {
    const zones = Array.from({ length: 12 }, (_, x) => trafficLight(250, x, 0.99).zone)
    expect(zones).toEqual(['green', 'green', 'green', 'green', 'green', 'yellow', 'yellow', 'yellow', 'yellow', 'yellow', 'red', 'red'])
    // Basel 1996 table 2 prints the cumulative probability of 4 exceptions as 89.22 %.
    expect(trafficLight(250, 4, 0.99).cumulativeProbability).toBeCloseTo(0.8922, 4)
  })

  it('refuses counts out of range', () => {
    expect(() => kupiecPof(10, 11, 0.99)).toThrow(RangeError)
    expect(() => kupiecPof(10, 1, 1)).toThrow(/level/)
    expect(() => backtestExceptions([], 0.99)).toThrow(RangeError)
  })
})
