/**
 * Black-Scholes and Black-Scholes-Merton against independent sources:
 *  - Haug, "Option Pricing Formulas" (McGraw-Hill 1998), p. 2-8 examples and the Greek examples of
 *    pp. 11–16 (also the expected values of QuantLib's test-suite/europeanoption.cpp), to 4 decimals;
 *  - QuantLib 1.29 (test/fixtures/quantlib/bsm_quantlib.json from scripts/quantlib/generate_quantlib_vectors.py:
 *    BlackCalculator on S·e^((r−q)T), and AnalyticEuropeanEngine on dated options): price within 1e-9 × S,
 *    delta within 1e-12, gamma, vega, theta, rho, dividend rho within 1e-9 relative;
 *  - 60-digit mpmath prices and numerically differentiated Greeks (test/fixtures/quantlib/mpmath_bsm.json).
 */
import { describe, expect, it } from 'vitest'
import type { OptionType } from '../../../src/main/domain/pricing/black76'
import { blackScholes, blackScholesMerton, blackScholesMertonGreeks } from '../../../src/main/domain/pricing/blackScholes'
import { PricingInputError } from '../../../src/main/domain/pricing/black76'
import { relErr, vectors } from './fixtures'

const EPS = 2 ** -52
const conditioned = (d1: number) => 64 * EPS * (1 + d1 * d1)

describe('BSM against Haug (1998)', () => {
  // p. 2-8: (type, S, K, T, r, q, σ, value)
  const values: Array<[OptionType, number, number, number, number, number, number, number]> = [
    ['call', 60, 65, 0.25, 0.08, 0, 0.3, 2.1334],
    ['put', 100, 95, 0.5, 0.1, 0.05, 0.2, 2.4648],
    ['call', 1.56, 1.6, 0.5, 0.06, 0.08, 0.12, 0.0291],
    ['put', 75, 70, 0.5, 0.1, 0.05, 0.35, 4.087],
    ['call', 42, 40, 0.75, 0.04, 0.08, 0.35, 5.0975],
  ]
  it('prices the p. 2-8 examples to 4 decimals (BSM call S=60, K=65, T=0.25, r=0.08, σ=0.30: 2.1334)', () => {
    for (const [type, S, K, T, r, q, sigma, value] of values)
      expect(Math.abs(blackScholesMerton({ type, S, K, T, r, q, sigma }).price - value), `${type} ${S}/${K}`).toBeLessThanOrEqual(0.5e-4)
    expect(Math.abs(blackScholes({ type: 'call', S: 60, K: 65, T: 0.25, r: 0.08, sigma: 0.3 }).price - 2.1334)).toBeLessThanOrEqual(0.5e-4)
  })

  it('gives the Greek examples of pp. 11–16 (calculus units: per unit σ, per year, per unit rate)', () => {
    const g = (type: OptionType, S: number, K: number, T: number, r: number, q: number, sigma: number) =>
      blackScholesMertonGreeks({ type, S, K, T, r, q, sigma })
    const close = (x: number, v: number) => expect(Math.abs(x - v)).toBeLessThanOrEqual(0.5e-4)
    close(g('call', 55, 60, 0.75, 0.1, 0, 0.3).gamma, 0.0278)
    close(g('put', 55, 60, 0.75, 0.1, 0, 0.3).gamma, 0.0278)
    close(g('call', 55, 60, 0.75, 0.1, 0, 0.3).vega, 18.9358)
    close(g('put', 430, 405, 1 / 12, 0.07, 0.05, 0.2).theta, -31.1924)
    close(blackScholesMerton({ type: 'put', S: 430, K: 405, T: 1 / 12, r: 0.07, q: 0.05, sigma: 0.2 }).theta, -0.0855)
    close(g('call', 72, 75, 1, 0.09, 0, 0.19).rho, 38.7325)
    close(g('put', 500, 490, 0.25, 0.08, 0.05, 0.15).dividendRho, 42.2254)
  })
})

type Greek = 'price' | 'delta' | 'gamma' | 'vega' | 'theta' | 'rho' | 'dividendRho'
interface QlRow extends Record<Greek, number> {
  type: OptionType
  S: number
  K: number
  T: number
  sigma: number
  r: number
  q: number
  mp: Record<Greek, number>
  /** Figures where QuantLib is more than 1e-10 relative off the 50-digit closed forms. */
  qlOff: Greek[]
}

describe('BSM against QuantLib (bsm_quantlib.json)', () => {
  const doc = vectors<{ rows: QlRow[]; engineRows: QlRow[] }>('bsm_quantlib.json')

  it('BlackCalculator grid: price within 1e-9 × S, delta within 1e-12, other Greeks within 1e-9 relative', () => {
    expect(doc.rows).toHaveLength(896)
    const worst: Record<string, number> = {}
    for (const r of doc.rows) {
      const g = blackScholesMertonGreeks(r)
      expect(Math.abs(g.price - r.price) / r.S).toBeLessThanOrEqual(1e-9)
      expect(Math.abs(g.delta - r.delta)).toBeLessThanOrEqual(1e-12)
      for (const k of ['gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) {
        // Where QuantLib's normal CDF is off in its tail (listed per row by the generator against the
        // 50-digit closed forms), the 50-digit figure is the reference, to float64's conditioning, and
        // QuantLib must be further from it than we are.
        if (!r.qlOff.includes(k)) worst[k] = Math.max(worst[k] ?? 0, relErr(g[k], r[k]))
        else if (Math.abs(r.mp[k]) > 2 ** -1022) {
          expect(relErr(g[k], r.mp[k]), k).toBeLessThanOrEqual(conditioned(g.d1))
          expect(relErr(r[k], r.mp[k]), k).toBeGreaterThan(relErr(g[k], r.mp[k]))
        }
      }
    }
    for (const k of ['gamma', 'vega', 'theta', 'rho', 'dividendRho']) expect(worst[k], k).toBeLessThanOrEqual(1e-9)
  })

  it('AnalyticEuropeanEngine on dated options (Actual365Fixed) agrees to the same tolerances', () => {
    expect(doc.engineRows).toHaveLength(10)
    for (const r of doc.engineRows) {
      const g = blackScholesMertonGreeks(r)
      expect(Math.abs(g.price - r.price) / r.S).toBeLessThanOrEqual(1e-9)
      expect(Math.abs(g.delta - r.delta)).toBeLessThanOrEqual(1e-12)
      for (const k of ['gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) expect(relErr(g[k], r[k]), k).toBeLessThanOrEqual(1e-9)
    }
  })
})

interface MpRow extends Record<Greek | 'vanna' | 'volga' | 'charm', number> {
  type: OptionType
  S: number
  K: number
  T: number
  sigma: number
  r: number
  q: number
}

describe('BSM against 60-digit mpmath (mpmath_bsm.json)', () => {
  const { rows } = vectors<{ rows: MpRow[] }>('mpmath_bsm.json')
  it('every first-order Greek within 64·ε·(1 + d1²) relative, second-order ones against their terms’ size', () => {
    expect(rows).toHaveLength(270)
    for (const r of rows) {
      const g = blackScholesMertonGreeks(r)
      for (const k of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) {
        // theta, rho and dividend rho are sums of terms that can cancel; measure them against the terms.
        const scale = k === 'theta' ? Math.abs((g.vega * r.sigma) / (2 * r.T)) + Math.abs(r.r * r.K) + Math.abs(r.q * r.S) : Math.abs(r[k])
        expect(Math.abs(g[k] - r[k]), `${k} ${r.type} ${r.K} T=${r.T} σ=${r.sigma} r=${r.r} q=${r.q}`).toBeLessThanOrEqual(conditioned(g.d1) * scale)
      }
      const phi = Math.exp(-r.q * r.T) * Math.exp(-0.5 * g.d1 * g.d1) / Math.sqrt(2 * Math.PI)
      const scales = {
        vanna: (phi * (Math.abs(g.d2) + 1)) / r.sigma,
        volga: (Math.abs(g.vega) * (Math.abs(g.d1) + 1) * (Math.abs(g.d2) + 1)) / r.sigma,
        charm: phi * ((Math.abs(g.d2) + 1) / (2 * r.T) + Math.abs(r.r - r.q) / (r.sigma * Math.sqrt(r.T))) + Math.abs(r.q * g.delta),
      }
      for (const k of ['vanna', 'volga', 'charm'] as const)
        expect(Math.abs(g[k] - r[k]), `${k} ${r.type} ${r.K} T=${r.T} σ=${r.sigma}`).toBeLessThanOrEqual(conditioned(g.d1) * scales[k])
    }
  })
})

describe('BSM domain', () => {
  it('Black-Scholes refuses a dividend yield, naming q', () => {
    expect(() => blackScholes({ type: 'call', S: 100, K: 100, T: 1, sigma: 0.2, q: 0.01 as 0 })).toThrow(PricingInputError)
  })
  it('expired: intrinsic on the spot', () => {
    expect(blackScholesMerton({ type: 'put', S: 90, K: 100, T: 0, r: 0.05, q: 0.02, sigma: 0.3 })).toMatchObject({ price: 10, delta: -1, gamma: 0 })
  })
})
