/**
 * Implied volatility (Jäckel, "Let's Be Rational" method): round trips against prices from `black76`,
 * which is itself checked to a few ulp against 60-digit mpmath (black76.test.ts), and QuantLib's price for
 * a cross-check; plus the typed "no solution" results.
 *
 * "Wherever the price carries that information", precisely: a float64 price p is only known to its
 * spacing u(p) = max(ε·p, 2⁻¹⁰⁷⁴) (one ulp; the smallest subnormal below the normal range). A change of σ
 * by Δ moves the price by vega·Δ (vega = ∂p/∂σ per unit σ). The price determines σ to 1e-12 when
 * 8·u(p)/vega ≤ 1e-12, i.e. when σ ± 1e-12 moves the price by at least 8 ulp (a margin for the few-ulp
 * rounding of the price itself). On that set the round trip must be within 1e-12 absolute. Elsewhere the
 * solver must still return a σ that reproduces the price to within 4 ulp, or a typed failure that the
 * price itself explains (exactly at intrinsic value, or at the upper bound).
 */
import { describe, expect, it } from 'vitest'
import { black76, black76Greeks, type OptionType } from '../../../src/main/domain/pricing/black76'
import { impliedVolBlack76, impliedVolInverse, ImpliedVolError, tryImpliedVolBlack76, tryImpliedVolInverse } from '../../../src/main/domain/pricing/impliedVol'
import { inverseOption } from '../../../src/main/domain/pricing/inverseOption'
import { vectors } from './fixtures'

const EPS = 2 ** -52
const ulp = (p: number) => Math.max(EPS * Math.abs(p), Number.MIN_VALUE)
const MINUTE = 1 / (365 * 1440)

const Ts = [MINUTE, 5 * MINUTE, 1 / 8760, 1 / 365, 7 / 365, 30 / 365, 0.25, 1, 2, 5]
const SIGMAS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2, 3, 5]

interface Case {
  type: OptionType
  F: number
  K: number
  T: number
  sigma: number
  r: number
}

function grid(): Case[] {
  const cases: Case[] = []
  for (const T of Ts)
    for (const sigma of SIGMAS)
      for (const r of [0, 0.05]) {
        const s = sigma * Math.sqrt(T)
        // log-moneyness both on an absolute grid (−3 … 3) and in standard deviations (−12 … 12)
        const ks = new Set<number>()
        for (let i = -30; i <= 30; i++) ks.add(i / 10)
        for (let z = -12; z <= 12; z += 0.5) ks.add(z * s)
        for (const k of ks)
          for (const type of ['call', 'put'] as const) cases.push({ type, F: 9350, K: 9350 * Math.exp(k), T, sigma, r })
      }
  return cases
}

describe('implied vol round trip, σ ∈ [5%, 500%], T from 1 minute to 5 years', () => {
  const cases = grid()
  const results = cases.map((c) => {
    const g = black76Greeks(c)
    return { c, price: g.price, vega: g.vega, res: tryImpliedVolBlack76({ ...c, price: g.price }) }
  })

  it('covers the grid (over 40,000 options)', () => {
    expect(cases.length).toBeGreaterThan(40_000)
  })

  it('is within 1e-12 absolute wherever the price carries σ to 1e-12 (8·ulp(p)/vega ≤ 1e-12)', () => {
    let informative = 0
    let worst = 0
    for (const { c, price, vega, res } of results) {
      if (!(8 * ulp(price) <= 1e-12 * vega)) continue
      informative++
      expect(res.ok, `${c.type} K/F=${c.K / c.F} T=${c.T} σ=${c.sigma} r=${c.r}`).toBe(true)
      if (res.ok) worst = Math.max(worst, Math.abs(res.sigma - c.sigma))
    }
    expect(informative).toBeGreaterThan(15_000)
    expect(worst).toBeLessThanOrEqual(1e-12)
  })

  it('elsewhere returns a σ that reprices to the price’s precision, or a failure the price explains', () => {
    // "The price's precision": 8 ulp of the price (its own rounding, the undiscounting and normalisation,
    // the last iteration), plus what one ulp of σ moves it by, 4·vega·ulp(σ) (deep out of the money at
    // minutes to expiry the price moves ~100 ulp per ulp of σ).
    for (const { c, price, vega, res } of results) {
      if (res.ok) {
        const again = black76({ ...c, sigma: res.sigma }).price
        expect(Math.abs(again - price), `${c.type} K/F=${c.K / c.F} T=${c.T} σ=${c.sigma}`).toBeLessThanOrEqual(8 * ulp(price) + 4 * vega * ulp(c.sigma))
        continue
      }
      const D = Math.exp(-c.r * c.T)
      const intrinsic = D * Math.max(c.type === 'call' ? c.F - c.K : c.K - c.F, 0)
      const upper = D * (c.type === 'call' ? c.F : c.K)
      if (res.reason === 'at-intrinsic') expect(Math.abs(price - intrinsic)).toBeLessThanOrEqual(4 * ulp(Math.max(price, intrinsic)))
      else if (res.reason === 'above-upper-bound') expect(Math.abs(upper - price)).toBeLessThanOrEqual(4 * ulp(upper))
      else throw new Error(`unexpected ${res.reason} for ${JSON.stringify(c)}`)
    }
  })

  it('converges in two Householder iterations after the rational guess (three only when σ√T > 4)', () => {
    let three = 0
    let solved = 0
    for (const { c, res } of results) {
      if (!res.ok) continue
      solved++
      expect(res.iterations).toBeLessThanOrEqual(3)
      if (res.iterations === 3) {
        three++
        expect(c.sigma * Math.sqrt(c.T), JSON.stringify(c)).toBeGreaterThan(4)
      }
    }
    expect(three / solved).toBeLessThan(0.01)
  })

  it('recovers σ from QuantLib’s prices (black76_quantlib.json) to within QuantLib’s own price error / vega', () => {
    // QuantLib's price is not exact: its error against the 50-digit price (mp.price) bounds what any
    // solver can recover from it. Rows where it is off by more than 1e-10 (its normal CDF's tail) are left
    // out: there QuantLib prices can even fall outside the no-arbitrage bounds.
    const { rows } = vectors<{ rows: Array<Case & { price: number; vega: number; mp: { price: number }; qlOff: string[] }> }>('black76_quantlib.json')
    let checked = 0
    for (const r of rows) {
      if (r.qlOff.includes('price') || !(8 * ulp(r.price) <= 1e-12 * r.vega)) continue
      const res = tryImpliedVolBlack76(r)
      expect(res.ok).toBe(true)
      if (res.ok) expect(Math.abs(res.sigma - r.sigma)).toBeLessThanOrEqual((Math.abs(r.price - r.mp.price) + 8 * ulp(r.price)) / r.vega + 1e-13)
      checked++
    }
    expect(checked).toBeGreaterThan(500)
  })
})

describe('inverse (coin) implied vol', () => {
  it('round-trips priceCoin within 1e-12 where the coin price carries that information', () => {
    let n = 0
    for (const T of Ts)
      for (const sigma of SIGMAS)
        for (const kf of [0.6, 0.9, 1, 1.07, 1.5])
          for (const type of ['call', 'put'] as const) {
            const o = inverseOption({ type, F: 9350, K: 9350 * kf, T, sigma })
            if (!(8 * ulp(o.priceCoin) <= 1e-12 * ((o.vega * 100) / 9350))) continue
            expect(Math.abs(impliedVolInverse({ type, F: 9350, K: 9350 * kf, T, priceCoin: o.priceCoin }) - sigma)).toBeLessThanOrEqual(1e-12)
            n++
          }
    expect(n).toBeGreaterThan(300)
  })

  it('reports coin bounds: a coin call at or above 1 coin has no solution', () => {
    const r = tryImpliedVolInverse({ type: 'call', F: 9350, K: 9000, T: 0.1, priceCoin: 1 })
    expect(r).toMatchObject({ ok: false, reason: 'above-upper-bound', bound: 1 })
  })
})

describe('no solution is typed, never NaN or a silent 0', () => {
  const base = { type: 'call' as const, F: 100, K: 90, T: 0.5, r: 0.05 }
  const D = Math.exp(-0.05 * 0.5)

  it('below intrinsic', () => {
    const r = tryImpliedVolBlack76({ ...base, price: 9 })
    expect(r).toMatchObject({ ok: false, reason: 'below-intrinsic' })
    if (!r.ok) expect(r.bound).toBeCloseTo(10 * D, 12)
    expect(tryImpliedVolBlack76({ ...base, price: -1 })).toMatchObject({ ok: false, reason: 'below-intrinsic' })
    expect(() => impliedVolBlack76({ ...base, price: 9 })).toThrow(ImpliedVolError)
    try {
      impliedVolBlack76({ ...base, type: 'put', K: 120, price: 1 })
    } catch (e) {
      expect((e as ImpliedVolError).reason).toBe('below-intrinsic')
    }
  })

  it('exactly at intrinsic (σ → 0), at or above the upper bound (σ → ∞), expired, invalid', () => {
    expect(tryImpliedVolBlack76({ ...base, price: 10 * D })).toMatchObject({ ok: false, reason: 'at-intrinsic' })
    expect(tryImpliedVolBlack76({ ...base, K: 110, price: 0 })).toMatchObject({ ok: false, reason: 'at-intrinsic' })
    expect(tryImpliedVolBlack76({ ...base, price: 100 * D })).toMatchObject({ ok: false, reason: 'above-upper-bound' })
    expect(tryImpliedVolBlack76({ ...base, type: 'put', price: 90 * D + 1 })).toMatchObject({ ok: false, reason: 'above-upper-bound' })
    expect(tryImpliedVolBlack76({ ...base, T: 0, price: 11 })).toMatchObject({ ok: false, reason: 'expired' })
    expect(tryImpliedVolBlack76({ ...base, price: Number.NaN })).toMatchObject({ ok: false, reason: 'invalid-input' })
    expect(tryImpliedVolBlack76({ ...base, F: -1, price: 5 })).toMatchObject({ ok: false, reason: 'invalid-input' })
  })

  it('solves just above intrinsic and just below the bound instead of failing', () => {
    const low = tryImpliedVolBlack76({ ...base, K: 150, T: 1 / 365, price: 1e-300 })
    expect(low.ok && low.sigma > 0 && Number.isFinite(low.sigma)).toBe(true)
    const high = tryImpliedVolBlack76({ ...base, price: 100 * D * (1 - 1e-12) })
    expect(high.ok && high.sigma > 1 && Number.isFinite(high.sigma)).toBe(true)
  })
})
