/**
 * The one scalar pricer on positions worked by hand.
 *
 * Cash and carry (issue "Whole-book exposure"): 1 BTC of collateral and a short BTC-PERPETUAL (inverse) of
 * 10,000 USD face entered at 10,000 USD. The perpetual's coin value is −10,000 × (1/10,000 − 1/S) (Deribit
 * inverse contract: P&L in coin = face × (1/entry − 1/exit)), so the account's USD equity is
 * (1 − 10,000 × (1/10,000 − 1/S)) × S = 10,000 USD at every S: USD delta 0, while the derivative alone is
 * −1 BTC. With a long perpetual instead, equity = (1 + 10,000 × (1/10,000 − 1/S)) × S = 2S − 10,000: USD
 * delta +2 BTC at every S (at entry too).
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../../src/main/domain/instruments/deribitInstrument'
import { black76 } from '../../../src/main/domain/pricing/black76'
import { revaluePosition } from '../../../src/main/domain/valuation/revaluePosition'

const perp = parseDeribitInstrument('BTC-PERPETUAL')
const at = (S: number) => ({ index: S, underlying: S, sigma: null, T: null, mark: S })
const PRICES = [2_500, 5_000, 8_000, 10_000, 12_500, 20_000, 40_000]

describe('revaluePosition', () => {
  it('cash and carry: 1 BTC + short 10,000 USD inverse perpetual at 10,000 is worth 10,000 USD at every price, USD delta 0', () => {
    for (const S of PRICES) {
      const r = revaluePosition(perp, -10_000, 10_000, at(S))
      expect((1 + r.valueCoin) * S).toBeCloseTo(10_000, 8)
      expect(r.valueUsd).toBeCloseTo(-10_000 * (S / 10_000 - 1), 8)
      expect(r.deltaUsd).toBeCloseTo(-1, 12) // derivative alone −1 BTC; with the 1 BTC held, 0
      expect(r.deltaCoin).toBeCloseTo(-10_000 / S, 12) // Deribit's futures delta: face ÷ mark
    }
  })

  it('the same collateral with a long perpetual: equity 2S − 10,000 USD, USD delta +2 BTC', () => {
    for (const S of PRICES) {
      const r = revaluePosition(perp, 10_000, 10_000, at(S))
      expect((1 + r.valueCoin) * S).toBeCloseTo(2 * S - 10_000, 8)
      expect(1 + r.deltaUsd).toBeCloseTo(2, 12)
    }
  })

  it('shocks move the coin a position holds with the index: value(S₁) for a spot shock equals the unshocked value at S₁', () => {
    const base = revaluePosition(perp, -10_000, 10_000, at(8_000))
    const shocked = revaluePosition(perp, -10_000, 10_000, at(8_000), { spot: 0.5 })
    expect(shocked.valueUsd).toBeCloseTo(revaluePosition(perp, -10_000, 10_000, at(12_000)).valueUsd, 8)
    // Coin P&L of the move: −10,000 × (1/8,000 − 1/12,000) = −0.4166… BTC.
    expect(shocked.valueCoin - base.valueCoin).toBeCloseTo(-10_000 * (1 / 8_000 - 1 / 12_000), 12)
  })

  it('an inverse option is worth quantity × coin mark × index; its USD delta is quantity × the Black-76 forward delta', () => {
    const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
    const m = { index: 9_347.68, underlying: 9_360, sigma: 0.8, T: 0.12, mark: 0.0712 }
    const r = revaluePosition(call, 3, 0.05, m)
    expect(r.valueUsd).toBeCloseTo(3 * 0.0712 * 9_347.68, 9)
    expect(r.unrealizedPnlUsd).toBeCloseTo(3 * (0.0712 - 0.05) * 9_347.68, 9)
    const g = black76({ type: 'call', F: 9_360, K: 10_000, T: 0.12, sigma: 0.8 })
    expect(r.deltaUsd).toBeCloseTo(3 * g.delta, 12)
    expect(r.deltaCoin).toBeCloseTo(3 * (g.delta - g.price / 9_360), 12)
    // A crash to nothing leaves the mark floored at 0, never negative: all that is lost is the value now.
    expect(revaluePosition(call, 3, 0.05, m, { spot: -0.9, sigma: 0.2 }).valueUsd).toBeGreaterThanOrEqual(0)
  })

  it('a linear perpetual is worth its P&L since entry; a coin balance is worth amount × index', () => {
    const linear = parseDeribitInstrument('BTC_USDC-PERPETUAL')
    expect(revaluePosition(linear, 2.5, 30_000, at(30_010)).valueUsd).toBeCloseTo(2.5 * 10, 9)
    const spot = parseDeribitInstrument('BTC_USDC')
    const b = revaluePosition(spot, 10, null, at(9_347.68), { spot: -0.3 })
    expect(b.valueUsd).toBeCloseTo(10 * 9_347.68 * 0.7, 9)
    expect(b.valueCoin).toBe(10)
    expect(b.deltaUsd).toBe(10)
  })
})
