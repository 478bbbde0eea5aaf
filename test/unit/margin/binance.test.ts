/**
 * Binance brackets and liquidation prices against Binance's own examples.
 * Sources:
 *  - USDⓈ-M FAQ "How to calculate liquidation price of USDⓈ-M futures contracts",
 *    https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 (264,000 USDT → MMR 1%; level-3
 *    cum = 250,000 × (1% − 0.5%) + 50 = 1,300), and the 2020 FAQ text with its cross-margin worked example
 *    (bradkyle/Qenv logic/binance.md): BTCUSDT short → 11,383.99, ETHUSDT long → 190.29;
 *  - BTCUSDT brackets of 2025-08-19 (bracket endpoint fixture): cum 0 / 300 / 1,500 / 12,000 [S];
 *  - COIN-M FAQ https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46: 100 contracts at
 *    25,000 → 0.4 BTC → MM 0.0016 BTC; level-5 cum 1.81; 300 BTC → 12.5%, cum 11.81 (2021) / 11.605 (later);
 *  - COIN-M calculator case from https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292:
 *    WB 101 BTC, long 100,000 BTCUSD contracts (100 USD) at 45,000 → UI 33,599.4; the thread author's own
 *    result with the old tier (cum 11.81) is 33,578.86.
 */
import { describe, expect, it } from 'vitest'
import {
  binanceCoinmLiquidationPrice,
  binanceLiquidationPriceTiered,
  binanceUsdmLiquidationPrice,
} from '../../../src/main/domain/margin/binance'
import { BINANCE_COINM_BTCUSD, BINANCE_USDM_BTCUSDT, selectAsOf } from '../../../src/main/domain/margin/params/index'
import { buildTierTable, tieredMaintenanceMargin } from '../../../src/main/domain/margin/tiers'

const usdm2020 = buildTierTable(selectAsOf(BINANCE_USDM_BTCUSDT, '2020-06-11').values)
const usdm2025 = buildTierTable(selectAsOf(BINANCE_USDM_BTCUSDT, '2025-08-19').values)
const coinm2020 = buildTierTable(selectAsOf(BINANCE_COINM_BTCUSD, '2020-06-11').values)

describe('Binance maintenance amount (cum) recursion', () => {
  it('2020 BTCUSDT table: cum 0 / 50 / 1,300 / 16,300 / 141,300 exactly as published', () => {
    expect(usdm2020.tiers.map((t) => t.maintenanceAmountExact)).toEqual(['0', '50', '1300', '16300', '141300'])
  })

  it('catalogue #12: 2025 BTCUSDT brackets: cum 0 / 300 / 1,500 / 12,000', () => {
    expect(usdm2025.tiers.map((t) => t.maintenanceAmountExact)).toEqual(['0', '300', '1500', '12000'])
  })

  it('every published maintenance amount of the built-in Binance tables is reproduced', () => {
    for (const table of [BINANCE_USDM_BTCUSDT, BINANCE_COINM_BTCUSD])
      for (const entry of table.entries) {
        const built = buildTierTable(entry.values)
        entry.values.rows.forEach((row, i) => {
          if (row.publishedMaintenanceAmount !== undefined) expect(built.tiers[i]!.maintenanceAmountExact).toBe(row.publishedMaintenanceAmount)
        })
      }
  })

  it('catalogue #11: a 264,000 USDT position → MMR 1%, cum 1,300, MM 1,340 USDT', () => {
    const r = tieredMaintenanceMargin(usdm2020, 264_000)
    expect(r.tier.mmr).toBe(0.01)
    expect(r.tier.maintenanceAmount).toBe(1_300)
    expect(r.maintenanceMargin).toBeCloseTo(1_340, 9)
  })

  it('MM is continuous at every bracket boundary (the point of cum)', () => {
    for (const t of usdm2020.tiers.slice(1)) {
      const below = t.floor * (1 - 1e-15)
      expect(tieredMaintenanceMargin(usdm2020, below).maintenanceMargin).toBeCloseTo(tieredMaintenanceMargin(usdm2020, t.floor).maintenanceMargin, 6)
    }
  })

  it('catalogue #13: COIN-M 100 BTCUSD contracts (100 USD) at 25,000 → 0.4 BTC, tier 1 (0.4%) → MM 0.0016 BTC', () => {
    const notional = (100 * 100) / 25_000
    const r = tieredMaintenanceMargin(coinm2020, notional)
    expect(r.tier.tier).toBe(1)
    expect(r.maintenanceMargin).toBeCloseTo(0.0016, 12)
  })

  it('COIN-M level-5 cum 1.81 BTC = 50 × (5% − 2.5%) + 0.56; 300 BTC → 12.5%, cum 11.81 (2021 FAQ)', () => {
    expect(coinm2020.tiers[4]!.maintenanceAmountExact).toBe('1.81')
    const r = tieredMaintenanceMargin(coinm2020, 300)
    expect(r.tier.mmr).toBe(0.125)
    expect(r.tier.maintenanceAmountExact).toBe('11.81')
  })
})

describe('Binance USDⓈ-M liquidation price (2020 FAQ worked example, cross, one-way)', () => {
  it('catalogue #9: BTCUSDT short 0.005 at 9,451.53, WB 10.72, TMM1 1.3, UPNL1 0.47, MMR 0.4% → 11,383.99', () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 10.72,
      otherMaintenanceMargin: 1.3,
      otherUnrealizedPnl: 0.47,
      both: { side: 'short', size: 0.005, entryPrice: 9_451.53, mmr: 0.004, cum: 0 },
    })
    expect(Math.abs(lp - 11_383.99)).toBeLessThan(0.01)
  })

  it('catalogue #10: ETHUSDT long 1 at 199.53, WB 10.72, TMM1 0.19, UPNL1 −0.06, MMR 0.65% → 190.29–190.30', () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 10.72,
      otherMaintenanceMargin: 0.19,
      otherUnrealizedPnl: -0.06,
      both: { side: 'long', size: 1, entryPrice: 199.53, mmr: 0.0065, cum: 0 },
    })
    expect(lp).toBeGreaterThanOrEqual(190.29 - 0.01)
    expect(lp).toBeLessThanOrEqual(190.3 + 0.01)
  })

  it('hedge mode: a long and a short of equal size and entry cancel in the price terms', () => {
    // Equal long and short: the numerator's position terms cancel, the denominator keeps only the MMR
    // terms, so the price is (WB + cums)/(MMR_L + MMR_S)·(1/size): positive, far away.
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 100,
      long: { size: 1, entryPrice: 50_000, mmr: 0.004, cum: 0 },
      short: { size: 1, entryPrice: 50_000, mmr: 0.004, cum: 0 },
    })
    expect(lp).toBeCloseTo(100 / 0.008, 6)
  })

  it('refuses one-way and hedge legs together, and no position', () => {
    expect(() => binanceUsdmLiquidationPrice({ walletBalance: 1 })).toThrow(/no position/)
    expect(() =>
      binanceUsdmLiquidationPrice({
        walletBalance: 1,
        both: { side: 'long', size: 1, entryPrice: 1, mmr: 0, cum: 0 },
        long: { size: 1, entryPrice: 1, mmr: 0, cum: 0 },
      }),
    ).toThrow(/together/)
  })

  it('tier re-check: a large isolated long ends in the bracket of its liquidation notional', () => {
    // 30 BTC long at 40,000 (1.2M notional, level 4) with 10× margin: the notional at the liquidation price
    // (~36k × 30 ≈ 1.09M) stays in level 4 (1M–5M).
    const r = binanceLiquidationPriceTiered({ kind: 'usdm', walletBalance: 120_000, both: { side: 'long', size: 30, entryPrice: 40_000 }, brackets: usdm2020 })
    expect(r.method).toBe('iteration')
    expect(r.tiers.both!.tier).toBe(4)
    const lp = r.liquidationPrice!
    expect(30 * lp).toBeGreaterThanOrEqual(1_000_000)
    // At the price, wallet + P&L equals MM by the bracket: the defining equation.
    const equity = 120_000 + 30 * (lp - 40_000)
    expect(equity).toBeCloseTo(30 * lp * 0.025 - 16_300, 6)
  })
})

describe('Binance COIN-M liquidation price (dev.binance.vision calculator case)', () => {
  const base = { walletBalance: 101, contractSize: 100 }
  it('catalogue #14: with the later tier (MMR 12.5%, cum 11.605) → 33,599.42, Binance UI 33,599.4', () => {
    const lp = binanceCoinmLiquidationPrice({ ...base, both: { side: 'long', size: 100_000, entryPrice: 45_000, mmr: 0.125, cum: 11.605 } })
    expect(Math.abs(lp - 33_599.4)).toBeLessThan(0.1)
    // Notional at the liquidation price ≈ 297.6 BTC: inside the 12.5% tier (200–400 BTC) assumed.
    expect((100_000 * 100) / lp).toBeCloseTo(297.6, 1)
  })

  it('with the 2021 tiers and the FAQ’s re-check → 33,578.86, the thread author’s result with cum 11.81', () => {
    const r = binanceLiquidationPriceTiered({ kind: 'coinm', ...base, both: { side: 'long', size: 100_000, entryPrice: 45_000 }, brackets: coinm2020 })
    expect(r.tiers.both!.tier).toBe(7)
    expect(Math.abs(r.liquidationPrice! - 33_578.86)).toBeLessThan(0.01)
  })
})
