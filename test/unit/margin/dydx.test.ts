/**
 * dYdX v4 margin against the docs' formulas (dYdX docs "Margining": IM = |S × P × IMF|, MM = |S × P × MMF|, account
 * value = USDC + Σ S × P, open-interest IMF = min(base + max(scaling × (1 − base), 0), 1)) with real market
 * parameters (mainnet AAVE-USD: IMF 0.1, MMF 0.05, caps 20,000,000 / 50,000,000 USDC; BTC-USD / ETH-USD 0.05 / 0.03,
 * test/fixtures/dydx/SOURCES.md). Every expected figure is worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest'
import { revalueAccount, type MarginAccount } from '../../../src/main/domain/margin/account'
import { dydxEffectiveImf, dydxMarketParams, dydxRule } from '../../../src/main/domain/margin/dydx'
import { crossLiquidationPrices } from '../../../src/main/domain/margin/liquidation'
import { marginRuleFor } from '../../../src/main/domain/margin/rules'
import { marginTables, MARGIN_PARAMS_FORMAT, parseMarginParamsOverride } from '../../../src/main/domain/margin/params/index'
import { futurePosition, linearFuture } from './helpers'

const AAVE = dydxMarketParams('AAVE-USD', { initialMarginFraction: '0.1', maintenanceMarginFraction: '0.05', openInterestLowerCap: '20000000', openInterestUpperCap: '50000000', openInterest: '5873.3' })

describe('open-interest IMF (docs "Open-Interest-Based IMF", protocol LiquidityTier.GetInitialMarginQuoteQuantums)', () => {
  it('is the base IMF up to the lower cap, rises linearly, and is 100 % from the upper cap', () => {
    // Below: 10M < 20M → 0.1. At the lower cap: scaling 0 → 0.1.
    expect(dydxEffectiveImf(AAVE, 10_000_000)).toBe(0.1)
    expect(dydxEffectiveImf(AAVE, 20_000_000)).toBe(0.1)
    // Midway 35M: scaling (35 − 20) / (50 − 20) = 0.5 → 0.1 + 0.5 × (1 − 0.1) = 0.55.
    expect(dydxEffectiveImf(AAVE, 35_000_000)).toBeCloseTo(0.55, 12)
    // A quarter of the way, 27.5M: 0.1 + 0.25 × 0.9 = 0.325.
    expect(dydxEffectiveImf(AAVE, 27_500_000)).toBeCloseTo(0.325, 12)
    // At and above the upper cap: 1.
    expect(dydxEffectiveImf(AAVE, 50_000_000)).toBe(1)
    expect(dydxEffectiveImf(AAVE, 80_000_000)).toBe(1)
  })

  it('an upper cap of 0 turns the scaling off (BTC-USD, ETH-USD: caps 0 and 0)', () => {
    expect(dydxEffectiveImf({ baseImf: 0.05, lowerCap: 0, upperCap: 0 }, 1e12)).toBe(0.05)
  })

  it("the rule's IM follows the market's open notional = open interest × oracle; MM does not scale", () => {
    // 350,000 AAVE of open interest at oracle 100 = 35M open notional → IMF 0.55 (midway). Position 10 AAVE:
    // notional 1,000 → IM 550, MM 1,000 × 0.05 = 50.
    const rule = dydxRule({ markets: () => ({ ...AAVE, openInterest: 350_000 }) })
    const acct: MarginAccount = { venue: 'dydx', name: 'a/0', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 2000 }], positions: [futurePosition(linearFuture('AAVE-USD', 'AAVE'), 10, 100, 100)] }
    const v = revalueAccount(acct, rule)
    expect(v.initialMargin).toBeCloseTo(550, 9)
    expect(v.maintenanceMargin).toBeCloseTo(50, 9)
    // The oracle 20 % lower: open notional 28M → scaling 8/30, IMF 0.1 + 0.9 × 8/30 = 0.34; notional 800 → IM 272, MM 40.
    const down = revalueAccount(acct, rule, { spot: { AAVE: -0.2 } })
    expect(down.initialMargin).toBeCloseTo(272, 9)
    expect(down.maintenanceMargin).toBeCloseTo(40, 9)
  })
})

describe('IM, MM and the liquidation price of a subaccount', () => {
  // AAVE-USD long 1,000 bought at the oracle 100.48 with a deposit of 10,480 USDC: USDC balance Q = 10,480 − 100,480 =
  // −90,000. Open interest 5,873.3 × 100.48 = 590,149 USDC < 20M, so IMF = base 0.1.
  // IM = |1,000 × 100.48 × 0.1| = 10,048; MM = |1,000 × 100.48 × 0.05| = 5,024; equity = −90,000 + 100,480 = 10,480;
  // free collateral = 10,480 − 10,048 = 432; margin ratio = 5,024 / 10,480 = 0.479389…
  // Liquidation: Q + S × P = |S| × P × MMF → −90,000 + 1,000 P = 50 P → P = 90,000 / 950 = 94.736842105…
  const LIQ = 90_000 / 950
  const rule = dydxRule({ markets: () => AAVE })
  // Riskdesk's collateral is Q + S × entry (its equity adds S × (P − entry)): −90,000 + 100,480 = 10,480.
  const acct: MarginAccount = { venue: 'dydx', name: 'a/0', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 10_480 }], positions: [futurePosition(linearFuture('AAVE-USD', 'AAVE'), 1000, 100.48, 100.48)] }

  it('IM, MM, equity and free collateral by hand', () => {
    const v = revalueAccount(acct, rule)
    expect(v.initialMargin).toBeCloseTo(10_048, 9)
    expect(v.maintenanceMargin).toBeCloseTo(5_024, 9)
    expect(v.equity).toBeCloseTo(10_480, 9)
    expect(v.availableBalance).toBeCloseTo(432, 9)
    expect(v.marginRatio).toBeCloseTo(5_024 / 10_480, 12)
  })

  it("the account model's solver finds 94.7368…; the margin ratio there is 100 %", () => {
    const liq = crossLiquidationPrices(acct, rule, 'AAVE').below!
    expect(Math.abs(liq.indexPrice - LIQ)).toBeLessThan(1e-6)
    expect(revalueAccount(acct, rule, { spot: { AAVE: liq.factor - 1 } }).marginRatio).toBeCloseTo(1, 9)
    expect(crossLiquidationPrices(acct, rule, 'AAVE').above).toBeNull()
  })

  it('a short: liquidated above, at Q ÷ (|S| × (1 + MMF))', () => {
    // Short 1,000 AAVE sold at 100.48 with 10,480 USDC deposited: Q = 10,480 + 100,480 = 110,960.
    // 110,960 − 1,000 P = 50 P → P = 110,960 / 1,050 = 105.676190476…
    const short: MarginAccount = { ...acct, positions: [futurePosition(linearFuture('AAVE-USD', 'AAVE'), -1000, 100.48, 100.48)] }
    const liq = crossLiquidationPrices(short, rule, 'AAVE').above!
    expect(Math.abs(liq.indexPrice - 110_960 / 1_050)).toBeLessThan(1e-6)
    expect(revalueAccount(short, rule, { spot: { AAVE: liq.factor - 1 } }).marginRatio).toBeCloseTo(1, 9)
  })
})

describe('the dated tables and their checks', () => {
  it('BTC-USD and ETH-USD are built in at 0.05 / 0.03 without open-interest scaling (mainnet, observed 2024-08)', () => {
    const r = marginRuleFor({ venue: 'dydx', markets: ['ETH-USD'] }, marginTables(), '2024-08-02')
    expect(r.tables[0]).toMatchObject({ tableId: 'dydx.market.ETH-USD', asOf: '2024-08-01', values: { initialMarginFraction: '0.05', maintenanceMarginFraction: '0.03', openInterestUpperCap: '0' } })
    expect(() => marginRuleFor({ venue: 'dydx', markets: ['AAVE-USD'] }, marginTables(), '2024-08-02')).toThrow(/no dYdX margin parameters for AAVE-USD \(table dydx\.market\.AAVE-USD\): import a \/v4\/perpetualMarkets response/)
  })

  it('a venue-rules file adds a market (the dydx.market. family) and its values are checked by schema', () => {
    const doc = {
      format: MARGIN_PARAMS_FORMAT,
      tables: { 'dydx.market.SOL-USD': [{ asOf: '2024-08-01', sources: ['user'], values: { initialMarginFraction: '0.1', maintenanceMarginFraction: '0.05', openInterestLowerCap: '20000000', openInterestUpperCap: '50000000', openInterest: '100000' } }] },
    }
    const r = marginRuleFor({ venue: 'dydx', markets: ['SOL-USD'] }, marginTables(parseMarginParamsOverride(doc)), '2024-08-02')
    // 100,000 SOL × 150 = 15M < 20M: base IMF; position 10 SOL at 150: IM 150, MM 75.
    const v = revalueAccount({ venue: 'dydx', name: 'a/0', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 1000 }], positions: [futurePosition(linearFuture('SOL-USD', 'SOL'), 10, 150, 150)] }, r.rule)
    expect([v.initialMargin, v.maintenanceMargin]).toEqual([150, 75])
    const bad = { ...doc, tables: { 'dydx.market.SOL-USD': [{ asOf: '2024-08-01', values: { initialMarginFraction: '10%' } }] } }
    expect(() => parseMarginParamsOverride(bad)).toThrow(/dydx\.market\.SOL-USD\[0\]: values\.initialMarginFraction/)
  })

  it('refuses fractions and caps the protocol would refuse', () => {
    const base = { initialMarginFraction: '0.1', maintenanceMarginFraction: '0.05', openInterestLowerCap: '0', openInterestUpperCap: '0', openInterest: null }
    expect(() => dydxMarketParams('X-USD', { ...base, initialMarginFraction: '1.5' })).toThrow(/outside \(0, 1\]/)
    expect(() => dydxMarketParams('X-USD', { ...base, maintenanceMarginFraction: '0.2' })).toThrow(/outside \[0, IMF/)
    expect(() => dydxMarketParams('X-USD', { ...base, openInterestLowerCap: '50', openInterestUpperCap: '20' })).toThrow(/lower cap 50 above the upper cap 20/)
  })

  it('a market with caps but no known open interest has an unknown IM (NaN), its MM known', () => {
    const rule = dydxRule({ markets: () => ({ ...AAVE, openInterest: null }) })
    const v = revalueAccount({ ...{ venue: 'dydx', name: 'a/0', marginCurrency: 'USDC', collateral: [{ currency: 'USDC', amount: 100 }] }, positions: [futurePosition(linearFuture('AAVE-USD', 'AAVE'), 1, 100, 100)] }, rule)
    expect(v.initialMargin).toBeNaN()
    expect(v.maintenanceMargin).toBeCloseTo(5, 12)
  })
})
