/**
 * Hyperliquid margin against the venue's own published figures: the docs' liquidation example (the ETH
 * position of the docs' clearinghouseState example, test/fixtures/importers/hyperliquid) and the real 2023
 * clearinghouseState's cross marginUsed (../shared/data/real/hyperliquid). Hand computations in the comments.
 */
import { describe, expect, it } from 'vitest'
import { revalueAccount, type MarginAccount } from '../../../src/main/domain/margin/account'
import {
  hyperliquidLiquidationPrice,
  hyperliquidMaintenanceMargin,
  hyperliquidRule,
  hyperliquidTiers,
} from '../../../src/main/domain/margin/hyperliquid'
import { isolatedLiquidationPrices } from '../../../src/main/domain/margin/liquidation'
import { marginRuleFor } from '../../../src/main/domain/margin/rules'
import { marginTables } from '../../../src/main/domain/margin/params/index'
import { futurePosition, linearFuture } from './helpers'

const ETH_50X = hyperliquidTiers({ tiers: [{ lowerBound: '0', maxLeverage: 50 }] })

describe('Hyperliquid tiers', () => {
  it('MM rate = half the IM rate at max leverage; deductions keep MM continuous (BTC 40× then 20× from 150M)', () => {
    // mmr 1/80 = 0.0125, then 1/40 = 0.025; deduction = 150,000,000 × (0.025 − 0.0125) = 1,875,000 (research note §1b).
    const btc = hyperliquidTiers({ tiers: [{ lowerBound: '0', maxLeverage: 40 }, { lowerBound: '150000000', maxLeverage: 20 }] })
    expect(btc.map((t) => [t.mmr, t.deduction])).toEqual([[0.0125, 0], [0.025, 1_875_000]])
    // At the boundary both tiers give 150M × 0.0125 = 1,875,000.
    expect(hyperliquidMaintenanceMargin(btc, 150_000_000)).toBeCloseTo(1_875_000, 6)
    expect(hyperliquidMaintenanceMargin(btc, 200_000_000)).toBeCloseTo(200e6 * 0.025 - 1.875e6, 6)
  })
})

describe("the Hyperliquid docs' liquidation example", () => {
  // ETH long 0.0335 isolated at 20×, entry 2986.3, mark = positionValue 100.02765 / 0.0335 = 2985.9, margin with P&L
  // (marginUsed) 4.967826, max leverage 50 → l = 1/100. MM = 100.02765 × 0.01 = 1.0002765; available 3.9675495;
  // liq = 2985.9 − 3.9675495 / 0.0335 / 0.99 = 2985.9 − 119.6306… = 2866.2694; the venue wrote 2866.26936529.
  const VENUE_LIQ = 2866.26936529

  it('reproduces the published liquidation price within 1e-4 USD', () => {
    const liq = hyperliquidLiquidationPrice({ price: 2985.9, side: 1, size: 0.0335, marginAvailable: 4.967826 - 100.02765 * 0.01, tiers: ETH_50X })
    expect(Math.abs(liq - VENUE_LIQ)).toBeLessThan(1e-4)
  })

  it("the account model's isolated solver lands on the same price, where the margin ratio is 100 %", () => {
    // Isolated margin without P&L = 4.967826 + 0.0134 = 4.981226 (the import stores this).
    const position = futurePosition(linearFuture('ETH', 'ETH'), 0.0335, 2986.3, 2985.9, { leverage: 20, isolatedMargin: 4.981226 })
    const acct: MarginAccount = { venue: 'hyperliquid', name: 'main', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 13104.514502 }], positions: [position] }
    const rule = hyperliquidRule({ tiers: () => ETH_50X })
    const now = revalueAccount(acct, rule)
    // IM = 100.02765 / 20 = 5.0013825; MM = 1.0002765.
    expect(now.positions[0]!.initialMargin).toBeCloseTo(5.0013825, 9)
    expect(now.positions[0]!.maintenanceMargin).toBeCloseTo(1.0002765, 9)
    const liq = isolatedLiquidationPrices(acct, rule, 'ETH').below!
    expect(Math.abs(liq.indexPrice - VENUE_LIQ)).toBeLessThan(1e-4)
    const at = revalueAccount(acct, rule, { spot: { ETH: liq.factor - 1 } })
    expect(at.positions[0]!.isolatedMarginRatio).toBeCloseTo(1, 9)
  })
})

describe('cross marginUsed of the real 2023 clearinghouseState', () => {
  it('IM = positionValue / leverage reproduces every marginUsed to the cent', () => {
    // (coin, szi, positionValue, marginUsed) from the file; leverage 20 cross for all 12.
    const rows: Array<[string, number, number, number]> = [
      ['BTC', -0.00785, 211.64542, 10.582271], ['ETH', 0.1334, 227.675114, 11.383755], ['ATOM', -0.45, 4.86, 0.243], ['MATIC', 76.6, 79.3576, 3.96788],
      ['DYDX', -121.2, 287.244, 14.3622], ['SOL', 7.39, 145.5091, 7.275455], ['AVAX', 28.3, 464.12, 23.206], ['BNB', 1.916, 588.0204, 29.40102],
      ['APE', -131.8, 509.5388, 25.47694], ['OP', -76.4, 156.238, 7.8119], ['LTC', 5.33, 469.7862, 23.48931], ['ARB', 246.5, 290.8207, 14.541035],
    ]
    const rule = hyperliquidRule({ tiers: () => hyperliquidTiers({ tiers: [{ lowerBound: '0', maxLeverage: 20 }] }) })
    const positions = rows.map(([coin, szi, value]) => futurePosition(linearFuture(coin, coin), szi, value / Math.abs(szi), value / Math.abs(szi), { leverage: 20 }))
    const v = revalueAccount({ venue: 'hyperliquid', name: 'main', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 1181.624478 }], positions }, rule)
    v.positions.forEach((p, i) => expect(Math.abs(p.initialMargin! - rows[i]![3])).toBeLessThan(0.005))
    // Σ = totalMarginUsed 171.740766.
    expect(v.initialMargin).toBeCloseTo(171.740766, 2)
  })
})

describe('the dated tables', () => {
  it('ETH on the docs example day is one 50× tier; the current table is 25× then 15× from 100M', () => {
    const tables = marginTables()
    const then = marginRuleFor({ venue: 'hyperliquid', coins: ['ETH'] }, tables, '2024-02-22')
    expect(then.tables[0]).toMatchObject({ tableId: 'hyperliquid.marginTables.ETH', asOf: '2024-02-22', values: { tiers: [{ lowerBound: '0', maxLeverage: 50 }] } })
    const now = marginRuleFor({ venue: 'hyperliquid', coins: ['ETH'] }, tables, '2026-12-02')
    expect(now.tables[0]!.values).toEqual({ tiers: [{ lowerBound: '0', maxLeverage: 25 }, { lowerBound: '100000000', maxLeverage: 15 }] })
  })
})
