/**
 * Inverse options and Deribit's Greek conventions against Deribit's own figures in the real chain snapshot
 * shared/data/real/market/deribit_btc_option_chain_2020-05-14_schepal.csv (310 BTC options, ~05:41 UTC):
 * `mark_price` (BTC), `greeks` {delta, gamma, vega, theta, rho}. Inputs per row: F = underlying_price,
 * σ = mark_iv/100, r = interest_rate (0), T = (expiration_timestamp − timestamp)/(365 × 86,400,000).
 * Targets (issue 3): coin mark within 3e-4 BTC, delta within 2e-4, gamma within 1e-5, vega within
 * 0.003 USD, Deribit-convention theta within 0.1 USD/day.
 *
 * Two findings about the file, each asserted below with its evidence rather than loosened:
 *  - stale marks: two rows' mark_price was computed before their own underlying_price was updated (the
 *    index jumped between consecutive quotes). Priced at their own forward they miss 3e-4 BTC; priced at
 *    the forward of the preceding quote of the same expiry they meet it.
 *  - Deribit's Greeks use time to expiry rounded to the nearest whole minute (deribitGreeks.ts): with the
 *    raw timestamps the 2.3-hour 14MAY20 deltas miss 2e-4; with whole minutes every delta is within 1e-4.
 */
import { describe, expect, it } from 'vitest'
import { MS_PER_YEAR } from '../../../src/main/domain/time'
import { black76 } from '../../../src/main/domain/pricing/black76'
import { deribitGreeksYearFraction, deribitOptionGreeks, deribitTheta } from '../../../src/main/domain/pricing/deribitGreeks'
import { inverseOption, inverseSettlementCoin } from '../../../src/main/domain/pricing/inverseOption'
import { readChain, type ChainRow } from './fixtures'

const chain = readChain()
const expiryOf = (name: string) => name.split('-')[1]!

function coinPrice(row: ChainRow, F = row.forward): number {
  const T = (row.expiryMs - row.timestampMs) / MS_PER_YEAR
  return inverseOption({ type: row.type, F, K: row.strike, T, sigma: row.markIv / 100, r: row.interestRate }).priceCoin
}

/** The quote of the same expiry immediately before `row` in time. */
function previousQuote(row: ChainRow): ChainRow {
  const before = chain.filter((r) => expiryOf(r.instrument) === expiryOf(row.instrument) && r.timestampMs < row.timestampMs)
  return before.reduce((a, b) => (b.timestampMs > a.timestampMs ? b : a))
}

describe('Deribit chain 2020-05-14: coin mark prices', () => {
  it('reads all 310 options, every one with r = 0', () => {
    expect(chain).toHaveLength(310)
    expect(chain.every((r) => r.interestRate === 0)).toBe(true)
  })

  // Rows whose mark_price predates their own underlying_price (found by solving each row's mark for the
  // forward: 9359.62 for the 30000-P, whose row says 9356.27; 9354.52 for the 11500-P, whose row says 9351.94).
  const STALE = ['BTC-26JUN20-30000-P', 'BTC-22MAY20-11500-P']

  it('prices every other option within 3e-4 BTC of its mark_price', () => {
    let worst = 0
    for (const row of chain) {
      if (STALE.includes(row.instrument)) continue
      worst = Math.max(worst, Math.abs(coinPrice(row) - row.markPrice))
    }
    expect(worst).toBeLessThanOrEqual(3e-4)
  })

  it('the two stale marks miss 3e-4 at their own forward and meet it at the preceding quote’s forward', () => {
    for (const name of STALE) {
      const row = chain.find((r) => r.instrument === name)!
      const prev = previousQuote(row)
      // The index moved between the two quotes: the mark was not refreshed with it.
      expect(Math.abs(prev.indexPrice - row.indexPrice), name).toBeGreaterThan(2)
      expect(Math.abs(coinPrice(row) - row.markPrice), name).toBeGreaterThan(3e-4)
      expect(Math.abs(coinPrice(row, prev.forward) - row.markPrice), name).toBeLessThanOrEqual(3e-4)
    }
  })
})

describe('Deribit chain 2020-05-14: Greeks by Deribit’s conventions', () => {
  const ours = chain.map((r) =>
    deribitOptionGreeks({
      type: r.type,
      F: r.forward,
      K: r.strike,
      expiryMs: r.expiryMs,
      timestampMs: r.timestampMs,
      markIv: r.markIv,
      interestRate: r.interestRate,
      markPrice: r.markPrice,
    }),
  )
  const worst = (pick: (i: number) => number) => Math.max(...chain.map((_, i) => Math.abs(pick(i))))

  it('delta within 2e-4 (measured: 1e-4), gamma within 1e-5, vega within 0.003 USD for every option', () => {
    expect(worst((i) => ours[i]!.delta - chain[i]!.greeks.delta)).toBeLessThanOrEqual(1e-4)
    expect(worst((i) => ours[i]!.gamma - chain[i]!.greeks.gamma)).toBeLessThanOrEqual(1e-5)
    expect(worst((i) => ours[i]!.vega - chain[i]!.greeks.vega)).toBeLessThanOrEqual(0.003)
  })

  it('theta by Deribit’s convention −min(|θ/day|·min(1, days), mark value) within 0.1 USD/day', () => {
    expect(worst((i) => ours[i]!.theta - chain[i]!.greeks.theta)).toBeLessThanOrEqual(0.1)
    // The convention matters: the 2.3-hour options' plain Black-76 theta per day is far off Deribit's.
    const r = chain.find((x) => x.instrument === 'BTC-14MAY20-9375-P')!
    const T = deribitGreeksYearFraction(r.expiryMs, r.timestampMs)
    const plain = black76({ type: r.type, F: r.forward, K: r.strike, T, sigma: r.markIv / 100 }).theta
    expect(Math.abs(plain - r.greeks.theta)).toBeGreaterThan(100)
  })

  it('rho is Black-Scholes rho on the spot, θ·K·T·N(θd2) per 1%, within 0.002 USD (not −T·V: 57 USD off)', () => {
    expect(worst((i) => ours[i]!.rho - chain[i]!.greeks.rho)).toBeLessThanOrEqual(0.002)
    const forwardFixed = Math.max(
      ...chain.map((r, i) => {
        const V = black76({ type: r.type, F: r.forward, K: r.strike, T: ours[i]!.T, sigma: r.markIv / 100 }).price
        return Math.abs((-ours[i]!.T * V) / 100 - r.greeks.rho)
      }),
    )
    expect(forwardFixed).toBeGreaterThan(50)
  })

  it('evidence for whole-minute T: raw timestamps put the 14MAY20 deltas beyond 2e-4', () => {
    let raw = 0
    for (const r of chain) {
      const T = (r.expiryMs - r.timestampMs) / MS_PER_YEAR
      const d = black76({ type: r.type, F: r.forward, K: r.strike, T, sigma: r.markIv / 100 }).delta
      raw = Math.max(raw, Math.abs(d - r.greeks.delta))
    }
    expect(raw).toBeGreaterThan(2e-4)
  })
})

describe('inverse option conventions', () => {
  it('settles intrinsic ÷ delivery price in coin (Deribit docs: 2,500 USD at 12,500 is 0.2 BTC; 5,000 at 5,000 is 1 BTC)', () => {
    // https://www.deribit.com/pages/docs/options, examples 1 and 2 (strike 10,000 USD).
    expect(inverseSettlementCoin('call', 10_000, 12_500)).toBe(0.2)
    expect(inverseSettlementCoin('put', 10_000, 5_000)).toBe(1)
    expect(inverseSettlementCoin('call', 10_000, 9_999)).toBe(0)
  })

  it('deltaCoinPerUsd is the derivative of the coin premium in F (central difference, 1e-7 relative)', () => {
    for (const [type, K, T, sigma] of [['call', 10_000, 0.1, 0.8], ['put', 7_000, 0.5, 1.2], ['call', 9_000, 0.01, 0.5]] as const) {
      const F = 9350
      const g = inverseOption({ type, F, K, T, sigma })
      const h = 0.01
      const fd = (inverseOption({ type, F: F + h, K, T, sigma }).priceCoin - inverseOption({ type, F: F - h, K, T, sigma }).priceCoin) / (2 * h)
      expect(Math.abs(g.deltaCoinPerUsd - fd) / Math.abs(fd)).toBeLessThanOrEqual(1e-7)
      expect(g.deltaCoin).toBeCloseTo(g.delta - g.priceCoin, 15)
    }
  })

  it('Deribit theta helper caps at the value and scales below one day', () => {
    expect(deribitTheta(-100, 0.25, 1000)).toBe(-25)
    expect(deribitTheta(-100, 3, 40)).toBe(-40)
  })
})
