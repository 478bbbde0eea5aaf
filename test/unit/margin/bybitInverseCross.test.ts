/**
 * Bybit inverse cross margin with the fee to close (bybit.ts bybitInverseCross), against Bybit's published
 * worked example and hand computations, and the account model (rules.ts bybitRule) solving the same equation.
 *
 * Source of the formulas and the example: Bybit help center, "How to calculate Liquidation Price (Inverse
 * Contract)", https://help.bybit.com/hc/en-us/articles/360039261334:
 *   long:  Q·(1/EP − 1/LP) = −(balance − order margin − Q/EP·MMR − Q·0.00075/BP),
 *   BP = 1.00075·Q ÷ (Q/EP + (balance − order margin));
 *   example: balance 0.5 BTC, long 10,000 contracts at 8,000, MMR 0.5 % → BP 5,718.57, LP printed 5,739.50.
 */
import { describe, expect, it } from 'vitest'
import { revalueAccount, crossLiquidationPrices, type MarginAccount } from '../../../src/main/domain/margin/index'
import { BYBIT_INVERSE_CLOSE_FEE_RATE, bybitInverseCross, bybitInverseCrossBankruptcy } from '../../../src/main/domain/margin/bybit'
import { marginTables } from '../../../src/main/domain/margin/params/index'
import { marginRuleFor } from '../../../src/main/domain/margin/rules'

describe("Bybit's inverse cross worked example (help center article 360039261334)", () => {
  const r = bybitInverseCross({ balance: 0.5, positions: [{ contracts: 10_000, entryPrice: 8_000, mmr: 0.005 }], takerFeeRate: 0.00075 })

  it('bankruptcy price 5,718.57 to the cent, as published', () => {
    // By hand: 1.00075 × 10,000 = 10,007.5; 10,000/8,000 + 0.5 = 1.75; 10,007.5 / 1.75 = 5,718.5714…
    expect(r.bankruptcyPrice!.toFixed(2)).toBe('5718.57')
  })

  it("liquidation price 5,739.08 from the article's own equation (the article prints 5,739.50)", () => {
    // By hand: fee to close 10,000 × 0.00075 / 5,718.5714 = 0.0013115; MM 1.25 × 0.005 = 0.00625;
    // 1/LP = 1/8,000 + (0.5 − 0.00625 − 0.0013115)/10,000 = 0.000125 + 0.0000492438 = 0.0001742438
    // → LP = 5,739.08. The printed 5,739.50 does not satisfy the printed equation (0.42 USD off).
    expect(r.liquidationPrice!.toFixed(2)).toBe('5739.08')
    expect(r.maintenanceMargin).toBeCloseTo(0.00625, 15)
    expect(r.feeToClose).toBeCloseTo(7.5 / 5718.571428571428, 15)
  })

  it('Bybit rounds the long bankruptcy price up to the 0.5: with 5,719 the liquidation price moves by less than a cent', () => {
    // 1/LP = 1/8,000 + (0.5 − 0.00625 − 7.5/5,719)/10,000 → 5,739.0835 vs 5,739.0835 (difference ~1e-4 USD).
    const at5719 = 10_000 / (1.25 + 0.5 - 0.00625 - 7.5 / 5_719)
    expect(Math.abs(at5719 - r.liquidationPrice!)).toBeLessThan(0.01)
  })
})

describe('the Bybit docs position (bybit_v5_position_list_inverse_docs_example.json) with 0.01 BTC of balance', () => {
  // Short 300 BTCUSD contracts at 27,464.50441675; MMR 0.5 % (risk-limit tier 1, riskLimitValue 150 BTC).
  const position = { contracts: -300, entryPrice: 27_464.50441675, mmr: 0.005 }

  it('with the 0.075 % fee to close: bankruptcy 324,716.47, liquidation 306,592.08 (issue 10)', () => {
    // By hand: Q/EP = 300 / 27,464.50441675 = 0.0109231898 BTC; Q/EP − B = 0.0009231898;
    // BP = 0.99925 × 300 / 0.0009231898 = 324,716.47; fee = 300 × 0.00075 / 324,716.47 = 6.9291e-7 BTC;
    // MM = 0.0109231898 × 0.005 = 5.46159e-5; 1/LP = (0.01 − 0.0109231898 − 5.46159e-5 − 6.9291e-7) / −300
    // = 3.26165e-6 → LP = 306,592.08.
    const r = bybitInverseCross({ balance: 0.01, positions: [position], takerFeeRate: 0.00075 })
    expect(r.bankruptcyPrice!.toFixed(2)).toBe('324716.47')
    expect(r.liquidationPrice!.toFixed(2)).toBe('306592.08')
  })

  it('without it (taker 0): 306,809.34, the figure Riskdesk gave before the fee term', () => {
    // 1/LP = (0.01 − 0.0109231898 − 5.46159e-5) / −300 = 3.25933e-6 → 306,809.34.
    const r = bybitInverseCross({ balance: 0.01, positions: [position], takerFeeRate: 0 })
    expect(r.liquidationPrice!.toFixed(2)).toBe('306809.34')
  })

  it('a balance above the position value leaves the short without a bankruptcy or liquidation price', () => {
    const r = bybitInverseCross({ balance: 0.02, positions: [position], takerFeeRate: 0.00075 })
    expect(r.bankruptcyPrice).toBeNull()
    expect(r.liquidationPrice).toBeNull()
    expect(r.feeToClose).toBe(0)
  })
})

describe('several positions on one coin', () => {
  it('two longs equal one long of their total at the contract-weighted harmonic entry', () => {
    // 5,000 at 8,000 and 5,000 at 10,000: Σ Q/EP = 0.625 + 0.5 = 1.125 BTC = 10,000 / 8,888.89.
    const two = bybitInverseCross({
      balance: 0.5,
      positions: [
        { contracts: 5_000, entryPrice: 8_000, mmr: 0.005 },
        { contracts: 5_000, entryPrice: 10_000, mmr: 0.005 },
      ],
      takerFeeRate: 0.00075,
    })
    const one = bybitInverseCross({ balance: 0.5, positions: [{ contracts: 10_000, entryPrice: 10_000 / 1.125, mmr: 0.005 }], takerFeeRate: 0.00075 })
    expect(two.bankruptcyPrice!).toBeCloseTo(one.bankruptcyPrice!, 8)
    expect(two.liquidationPrice!).toBeCloseTo(one.liquidationPrice!, 8)
  })

  it('refuses a book that nets to zero and a negative fee rate', () => {
    expect(() => bybitInverseCross({ balance: 1, positions: [{ contracts: 100, entryPrice: 1, mmr: 0 }, { contracts: -100, entryPrice: 2, mmr: 0 }], takerFeeRate: 0 })).toThrow(/net to zero/)
    expect(() => bybitInverseCross({ balance: 1, positions: [{ contracts: 100, entryPrice: 1, mmr: 0 }], takerFeeRate: -0.1 })).toThrow(/rate/)
  })
})

describe('the account model solves the same equation (rules.ts bybitRule with the fee to close)', () => {
  // The docs position as a one-position cross account, valued at its mark 28,224.50.
  const account = (): MarginAccount => ({
    venue: 'bybit',
    name: 'main',
    marginCurrency: 'BTC',
    collateral: [{ currency: 'BTC', amount: 0.01 }],
    positions: [
      {
        id: 'BTCUSD',
        instrument: { name: 'BTCUSD', kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quantityUnit: 'usd', priceUnit: 'usd', strike: null, optionType: null },
        quantity: -300,
        entryPrice: 27_464.50441675,
        market: { index: 28_224.5, underlying: 28_224.5, sigma: null, T: null },
        leverage: 10,
      },
    ],
  })
  const tables = marginTables()
  const rule = (takerFeeRate: number) =>
    marginRuleFor(
      {
        venue: 'bybit',
        symbols: ['BTCUSD'],
        settlement: 'inverse',
        inverseFormula: 'v2024-entry-mm',
        inverseCrossFee: { takerFeeRate, bankruptcyPrice: bybitInverseCrossBankruptcy(account(), takerFeeRate) },
      },
      tables,
      '2023-10-19',
    )

  it("uses the built-in BTCUSD risk limit (tier 1: 0.5 % up to 150 BTC, Bybit's docs example of 2022-12-26)", () => {
    const r = rule(BYBIT_INVERSE_CLOSE_FEE_RATE)
    expect(r.tables.map((t) => `${t.tableId} ${t.asOf}`)).toContain('bybit.inverse.riskLimits.BTCUSD 2022-12-26')
    const v = revalueAccount(account(), r.rule)
    // MM = 300 / 27,464.50441675 × 0.005 = 5.46159e-5 BTC; fee reserved 6.9291e-7 BTC (above).
    expect(v.maintenanceMargin).toBeCloseTo(0.0109231898 * 0.005, 11)
    expect(v.liquidationFee).toBeCloseTo(300 * 0.00075 / 324_716.47, 12)
  })

  it('the numeric liquidation price equals the closed form: 306,592.08 with the fee, 306,809.34 without', () => {
    const withFee = crossLiquidationPrices(account(), rule(0.00075).rule, 'BTC').above!.indexPrice
    const noFee = crossLiquidationPrices(account(), rule(0).rule, 'BTC').above!.indexPrice
    expect(withFee.toFixed(2)).toBe('306592.08')
    expect(noFee.toFixed(2)).toBe('306809.34')
  })

  it('the taker fee rate feeds it: 0.055 % moves the price between the two', () => {
    const p = crossLiquidationPrices(account(), rule(0.00055).rule, 'BTC').above!.indexPrice
    const closed = bybitInverseCross({ balance: 0.01, positions: [{ contracts: -300, entryPrice: 27_464.50441675, mmr: 0.005 }], takerFeeRate: 0.00055 })
    expect(p).toBeGreaterThan(306_592.08)
    expect(p).toBeLessThan(306_809.34)
    expect(Math.abs(p / closed.liquidationPrice! - 1)).toBeLessThan(1e-9)
  })
})
