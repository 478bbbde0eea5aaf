/**
 * Liquidation prices through the account model: published examples via the numeric solver, and the round
 * trip required by issue 6 — revaluing the account at its computed liquidation price gives margin ratio
 * 100% within 1e-9 relative — for isolated and cross, linear and inverse, per venue rule. Closed forms
 * (binance.ts, bybit.ts, okx.ts) and the generic solver are checked against each other on random books
 * (seeded, so a failure reproduces).
 *
 * Published example: Binance's 2020 USDⓈ-M cross-margin worked example (FAQ b3c689c1f50a44cabb3a84e663b81d93,
 * text in bradkyle/Qenv logic/binance.md): one account, BTCUSDT short 0.005 at 9,451.53 (mark 9,462.81,
 * MMR 0.4%) and ETHUSDT long 1 at 199.53 (mark 200, MMR 0.65%), wallet 10.72 USDT → BTC 11,383.99,
 * ETH 190.29.
 */
import { describe, expect, it } from 'vitest'
import {
  bankruptcyPrices,
  crossLiquidationPrices,
  isolatedLiquidationPrices,
  marginUnderScenarios,
  revalueAccount,
  shocksFromStressScenarios,
  type MarginAccount,
  type MarginPosition,
  type MarginRule,
} from '../../../src/main/domain/margin/index'
import { binanceLiquidationPriceTiered } from '../../../src/main/domain/margin/binance'
import { bybitInverseIsolated, bybitLinearIsolated } from '../../../src/main/domain/margin/bybit'
import { okxInverseIsolated } from '../../../src/main/domain/margin/okx'
import {
  BINANCE_COINM_BTCUSD,
  BINANCE_USDM_BTCUSDT,
  DERIBIT_FUTURES_RATES,
  DERIBIT_OPTION_CONSTANTS,
  DERIBIT_PM_PARAMS,
  selectAsOf,
} from '../../../src/main/domain/margin/params/index'
import { binanceRule, bybitRule, deribitPortfolioRule, deribitStandardRule, okxRule } from '../../../src/main/domain/margin/rules'
import { distanceToLiquidation, dailyVolFromAnnual } from '../../../src/main/domain/margin/solvers'
import { buildTierTable, expandOkxTiers, singleTier, tieredMaintenanceMargin, type TierTable } from '../../../src/main/domain/margin/tiers'
import { OKX_ETHUSDT_SWAP_TIERS } from '../../../src/main/domain/margin/params/brackets'
import { account, futurePosition, inverseFuture, inverseOption, linearFuture, relDiff, rng } from './helpers'

const usdm2020 = buildTierTable(selectAsOf(BINANCE_USDM_BTCUSDT, '2020-06-11').values)
const usdm2025 = buildTierTable(selectAsOf(BINANCE_USDM_BTCUSDT, '2025-08-19').values)
const coinm2020 = buildTierTable(selectAsOf(BINANCE_COINM_BTCUSD, '2020-06-11').values)
const tables = (m: Record<string, TierTable>) => (name: string) => m[name]!
const ROUND_TRIP = 1e-9

/** Margin ratio of the isolated position / cross account at a liquidation point. */
function expectRatioOne(ratio: number | null | undefined) {
  expect(ratio).not.toBeNull()
  expect(Math.abs(ratio! - 1)).toBeLessThan(ROUND_TRIP)
}

describe('Binance cross worked example through the account model and the numeric solver', () => {
  const acct = account('USDT', 10.72, [
    futurePosition(linearFuture('BTCUSDT', 'BTC'), -0.005, 9_451.53, 9_462.81),
    futurePosition(linearFuture('ETHUSDT', 'ETH'), 1, 199.53, 200),
  ])
  // The example states ETHUSDT's MMR only (0.65%): a one-bracket table with that rate.
  const rule = binanceRule({ kind: 'usdm', brackets: tables({ BTCUSDT: usdm2020, ETHUSDT: singleTier(0.0065, 0, 'USDT') }) })

  it('the other contract’s MM and P&L are the example’s TMM1 = 1.3 and UPNL1 = 0.47 (for BTC)', () => {
    const v = revalueAccount(acct, rule)
    const eth = v.positions.find((p) => p.id === 'ETHUSDT')!
    expect(eth.maintenanceMargin).toBeCloseTo(1.3, 12)
    expect(eth.unrealizedPnl).toBeCloseTo(0.47, 12)
  })

  it('BTCUSDT short → 11,383.99 and ETHUSDT long → 190.29 (0.01), margin ratio 100% there', () => {
    const btc = crossLiquidationPrices(acct, rule, 'BTC')
    expect(btc.below).toBeNull()
    expect(Math.abs(btc.above!.underlyingPrices.BTCUSDT! - 11_383.99)).toBeLessThan(0.01)
    expectRatioOne(btc.above!.valuation.marginRatio)
    const eth = crossLiquidationPrices(acct, rule, 'ETH')
    expect(Math.abs(eth.below!.underlyingPrices.ETHUSDT! - 190.29)).toBeLessThan(0.01)
    expectRatioOne(eth.below!.valuation.marginRatio)
  })
})

describe('round trip, isolated: solver = closed form, and margin ratio 100% at the price', () => {
  it('Binance USDⓈ-M (linear), 2025 brackets, random sizes, sides and leverage', () => {
    const r = rng(11)
    for (let i = 0; i < 40; i++) {
      const side = r() < 0.5 ? 'long' : 'short'
      const size = 0.01 + r() * 400
      const ep = 20_000 + r() * 80_000
      const mark = ep * (0.99 + 0.02 * r())
      // Isolated wallet: the MM at entry plus 0.5–30% of notional, so the position is not already breached.
      const { maintenanceMargin: mm0 } = tieredMaintenanceMargin(usdm2025, size * ep)
      const wallet = mm0 + size * ep * (0.02 + 0.3 * r())
      const lev = (size * ep) / wallet
      const pos = futurePosition(linearFuture('BTCUSDT'), side === 'long' ? size : -size, ep, mark, { isolatedMargin: wallet, leverage: lev })
      const acct = account('USDT', 0, [pos])
      const rule = binanceRule({ kind: 'usdm', brackets: tables({ BTCUSDT: usdm2025 }) })
      const lp = isolatedLiquidationPrices(acct, rule, 'BTCUSDT')
      expect(lp.alreadyBreached).toBe(false)
      const pt = side === 'long' ? lp.below! : lp.above!
      expectRatioOne(pt.valuation.positions[0]!.isolatedMarginRatio)
      const closed = binanceLiquidationPriceTiered({ kind: 'usdm', walletBalance: wallet, both: { side, size, entryPrice: ep }, brackets: usdm2025 })
      expect(relDiff(pt.underlyingPrices.BTCUSDT!, closed.liquidationPrice!)).toBeLessThan(1e-9)
    }
  })

  it('Binance COIN-M (inverse), 2020 brackets, BTC-margined', () => {
    const r = rng(12)
    for (let i = 0; i < 40; i++) {
      const side = r() < 0.5 ? 'long' : 'short'
      const contracts = Math.floor(10 + r() * 20_000)
      const ep = 20_000 + r() * 60_000
      const notionalCoin = (contracts * 100) / ep
      const wallet = tieredMaintenanceMargin(coinm2020, notionalCoin).maintenanceMargin + notionalCoin * (0.02 + 0.3 * r())
      const lev = notionalCoin / wallet
      const pos = futurePosition(inverseFuture('BTCUSD_PERP'), (side === 'long' ? 1 : -1) * contracts * 100, ep, ep, { isolatedMargin: wallet, leverage: lev })
      const acct = account('BTC', 0, [pos])
      const rule = binanceRule({ kind: 'coinm', brackets: tables({ BTCUSD_PERP: coinm2020 }) })
      const lp = isolatedLiquidationPrices(acct, rule, 'BTCUSD_PERP')
      expect(lp.alreadyBreached).toBe(false)
      const pt = side === 'long' ? lp.below! : lp.above!
      expectRatioOne(pt.valuation.positions[0]!.isolatedMarginRatio)
      const closed = binanceLiquidationPriceTiered({ kind: 'coinm', walletBalance: wallet, both: { side, size: contracts, entryPrice: ep }, brackets: coinm2020, contractSize: 100 })
      expect(relDiff(pt.underlyingPrices.BTCUSD_PERP!, closed.liquidationPrice!)).toBeLessThan(1e-9)
    }
  })

  it('Bybit linear (BTCUSDT risk limits, MM at entry) and inverse v2024/v2026 (MMR 0.5%)', () => {
    const r = rng(13)
    const bybitTable = buildTierTable({ notionalUnit: 'USDT', rows: [{ floor: '0', cap: '2000000', mmr: '0.005' }, { floor: '2000000', cap: null, mmr: '0.0056' }] })
    for (let i = 0; i < 30; i++) {
      const side = r() < 0.5 ? 'long' : 'short'
      const size = 0.1 + r() * 30
      const ep = 20_000 + r() * 60_000
      const lev = 2 + Math.floor(r() * 90)
      const closed = bybitLinearIsolated({ side, size, entryPrice: ep, leverage: lev, mmr: size * ep < 2_000_000 ? 0.005 : 0.0056, mmDeduction: size * ep < 2_000_000 ? 0 : 1_200 })
      const pos = futurePosition(linearFuture('BTCUSDT'), side === 'long' ? size : -size, ep, ep, { isolatedMargin: closed.initialMargin, leverage: lev })
      const rule = bybitRule({ riskLimits: () => bybitTable, inverseFormula: 'v2024-entry-mm' })
      const lp = isolatedLiquidationPrices(account('USDT', 0, [pos]), rule, 'BTCUSDT')
      const pt = side === 'long' ? lp.below! : lp.above!
      expectRatioOne(pt.valuation.positions[0]!.isolatedMarginRatio)
      expect(relDiff(pt.underlyingPrices.BTCUSDT!, closed.liquidationPrice)).toBeLessThan(1e-9)
      const bk = bankruptcyPrices(account('USDT', 0, [pos]), rule, 'BTC', 'BTCUSDT')
      const bpt = side === 'long' ? bk.below! : bk.above!
      expect(relDiff(bpt.underlyingPrices.BTCUSDT!, closed.bankruptcyPrice)).toBeLessThan(1e-9)
    }
    const inv = buildTierTable({ notionalUnit: 'BTC', rows: [{ floor: '0', cap: null, mmr: '0.005' }] })
    for (const version of ['v2024-entry-mm', 'v2026-mark-mm'] as const) {
      for (let i = 0; i < 20; i++) {
        const side = r() < 0.5 ? 'long' : 'short'
        const contracts = 1_000 + r() * 500_000
        const ep = 20_000 + r() * 60_000
        const lev = 2 + Math.floor(r() * 90)
        const closed = bybitInverseIsolated({ version, side, contracts, entryPrice: ep, leverage: lev, mmr: 0.005 })
        const pos = futurePosition(inverseFuture('BTCUSD'), side === 'long' ? contracts : -contracts, ep, ep, { isolatedMargin: closed.initialMargin, leverage: lev })
        const rule = bybitRule({ riskLimits: () => inv, inverseFormula: version })
        const lp = isolatedLiquidationPrices(account('BTC', 0, [pos]), rule, 'BTCUSD')
        const pt = side === 'long' ? lp.below! : lp.above!
        expectRatioOne(pt.valuation.positions[0]!.isolatedMarginRatio)
        expect(relDiff(pt.underlyingPrices.BTCUSD!, closed.liquidationPrice)).toBeLessThan(1e-9)
      }
    }
  })

  it('OKX inverse (MMR + taker fee in the threshold) against the closed form', () => {
    const r = rng(14)
    const tiers = expandOkxTiers(selectAsOf(OKX_ETHUSDT_SWAP_TIERS, '2021-06-11').values)
    for (let i = 0; i < 30; i++) {
      const side = r() < 0.5 ? 'long' : 'short'
      const contracts = Math.floor(1 + r() * 2_900) // within tier 1 (MMR 0.4%)
      const N = contracts * 100
      const ep = 20_000 + r() * 60_000
      const M = (N / ep) * (0.02 + 0.3 * r())
      const pos = futurePosition(inverseFuture('BTC-USD-SWAP'), side === 'long' ? N : -N, ep, ep, { isolatedMargin: M })
      const rule = okxRule({ tiers: () => ({ tiers, contractSize: 100, contractSizeUnit: 'usd' }), takerFeeRate: 0.0005 })
      const lp = isolatedLiquidationPrices(account('BTC', 0, [pos]), rule, 'BTC-USD-SWAP')
      const pt = side === 'long' ? lp.below! : lp.above!
      expectRatioOne(pt.valuation.positions[0]!.isolatedMarginRatio)
      const closed = okxInverseIsolated({ side, margin: M, faceValueUsd: N, entryPrice: ep, mmr: 0.004, takerFeeRate: 0.0005 })
      expect(relDiff(pt.underlyingPrices['BTC-USD-SWAP']!, closed.liquidationPrice)).toBeLessThan(1e-9)
    }
  })

  it('an unleveraged isolated long has no liquidation price', () => {
    const pos = futurePosition(linearFuture('BTCUSDT'), 1, 50_000, 50_000, { isolatedMargin: 50_000, leverage: 1 })
    const lp = isolatedLiquidationPrices(account('USDT', 0, [pos]), binanceRule({ kind: 'usdm', brackets: () => usdm2025 }), 'BTCUSDT')
    expect(lp.below).toBeNull()
    expect(lp.above).toBeNull()
  })
})

/** Collateral that leaves `cushion` of equity above MM at the current prices (test-input generation only). */
function safeCollateral(empty: MarginAccount, rule: MarginRule, cushion: number): number {
  const v = revalueAccount(empty, rule)
  return v.maintenanceMargin - v.equity + cushion
}

describe('round trip, cross: margin ratio 100% at the solved price', () => {
  function checkCross(acct: MarginAccount, rule: MarginRule, underlying: string) {
    const lp = crossLiquidationPrices(acct, rule, underlying)
    expect(lp.alreadyBreached).toBe(false)
    let found = 0
    for (const pt of [lp.below, lp.above]) {
      if (!pt) continue
      found++
      expectRatioOne(pt.valuation.marginRatio)
    }
    return found
  }

  it('Binance USDⓈ-M cross books (BTC and ETH legs, random): along BTC', () => {
    const r = rng(21)
    let found = 0
    for (let i = 0; i < 30; i++) {
      const positions: MarginPosition[] = []
      const n = 1 + Math.floor(r() * 3)
      for (let k = 0; k < n; k++) {
        const ep = 30_000 + r() * 40_000
        positions.push({ ...futurePosition(linearFuture(`BTC${k}`), (r() - 0.4) * 20, ep, 50_000), id: `BTC${k}` })
      }
      positions.push(futurePosition(linearFuture('ETHUSDT', 'ETH'), (r() - 0.5) * 50, 3_000, 3_100))
      const gross = positions.reduce((a, p) => a + Math.abs(p.quantity) * p.market.underlying, 0)
      const rule = binanceRule({ kind: 'usdm', brackets: (name) => (name === 'ETHUSDT' ? singleTier(0.0065, 0, 'USDT') : usdm2025) })
      const acct = account('USDT', safeCollateral(account('USDT', 0, positions), rule, gross * (0.02 + 0.3 * r())), positions)
      found += checkCross(acct, rule, 'BTC')
    }
    expect(found).toBeGreaterThan(20)
  })

  it('Binance COIN-M cross (BTC-margined, long and short inverse legs)', () => {
    const r = rng(22)
    let found = 0
    for (let i = 0; i < 30; i++) {
      const positions = [0, 1].map((k) => ({
        ...futurePosition(inverseFuture(`BTCUSD${k}`), (r() - 0.45) * 2_000_000, 30_000 + r() * 40_000, 50_000),
        id: `BTCUSD${k}`,
      }))
      const gross = positions.reduce((a, p) => a + Math.abs(p.quantity) / 50_000, 0)
      const rule = binanceRule({ kind: 'coinm', brackets: () => coinm2020 })
      const acct = account('BTC', safeCollateral(account('BTC', 0, positions), rule, gross * (0.02 + 0.3 * r())), positions)
      found += checkCross(acct, rule, 'BTC')
    }
    expect(found).toBeGreaterThan(20)
  })

  it('Deribit standard, BTC-margined: inverse perpetual + short call + short put (options revalued by Black-76)', () => {
    const rates = selectAsOf(DERIBIT_FUTURES_RATES, '2024-01-01').values
    const constants = selectAsOf(DERIBIT_OPTION_CONSTANTS, '2026-11-21').values
    const rule = deribitStandardRule({ futures: rates, options: constants })
    const r = rng(23)
    let found = 0
    for (let i = 0; i < 20; i++) {
      const S = 60_000
      const T = (5 + r() * 60) / 365
      const positions: MarginPosition[] = [
        futurePosition(inverseFuture('BTC-PERPETUAL'), (r() - 0.5) * 400_000, 58_000, S),
        { id: 'C', instrument: inverseOption('BTC-C', S * 1.15, 'call'), quantity: -(1 + r() * 10), entryPrice: 0.01, market: { index: S, underlying: S * 1.002, sigma: 0.5 + r() * 0.4, T } },
        { id: 'P', instrument: inverseOption('BTC-P', S * 0.85, 'put'), quantity: -(1 + r() * 10), entryPrice: 0.01, market: { index: S, underlying: S * 1.002, sigma: 0.5 + r() * 0.4, T } },
      ]
      const acct = account('BTC', 2 + r() * 10, positions)
      found += checkCross(acct, rule, 'BTC')
    }
    expect(found).toBeGreaterThan(20)
  })

  it('Deribit portfolio margin (BTC S:PM): perpetual + short strangle', () => {
    const params = selectAsOf(DERIBIT_PM_PARAMS.BTC!, '2024-06-17').values
    const rule = deribitPortfolioRule({ params })
    const S = 65_000
    const T = 20 / 365
    const positions: MarginPosition[] = [
      futurePosition(inverseFuture('BTC-PERPETUAL'), 300_000, 64_000, S),
      { id: 'C', instrument: inverseOption('BTC-C', 75_000, 'call'), quantity: -5, entryPrice: 0.005, market: { index: S, underlying: S, sigma: 0.55, T } },
      { id: 'P', instrument: inverseOption('BTC-P', 55_000, 'put'), quantity: -5, entryPrice: 0.005, market: { index: S, underlying: S, sigma: 0.6, T } },
    ]
    const acct = account('BTC', 3, positions)
    const v = revalueAccount(acct, rule)
    expect(v.maintenanceMargin).toBeGreaterThan(0)
    expect(v.portfolioDetail).toBeDefined()
    expect(checkCross(acct, rule, 'BTC')).toBeGreaterThan(0)
  })
})

describe('account figures', () => {
  it('a BTC-margined account hedged with a short inverse perpetual of its USD value keeps its USD equity in every scenario', () => {
    // Collateral C BTC at price P0, short inverse of C·P0 USD face: USD equity = (C + Q(1/P0 − 1/P))·P = C·P0.
    const C = 2
    const P0 = 40_000
    const acct = account('BTC', C, [futurePosition(inverseFuture('BTC-PERPETUAL'), -C * P0, P0, P0)])
    const rule = deribitStandardRule({ futures: selectAsOf(DERIBIT_FUTURES_RATES, '2024-01-01').values, options: selectAsOf(DERIBIT_OPTION_CONSTANTS, '2026-11-21').values })
    const rows = marginUnderScenarios(acct, rule, [-0.5, -0.2, 0, 0.3, 1].map((s) => ({ spot: { BTC: s } })))
    for (const row of rows) expect(row.equityUsd).toBeCloseTo(C * P0, 6)
  })

  it('unhedged coin collateral falls with the coin (equity in USD), and a short squeeze leaves a shortfall', () => {
    const P0 = 40_000
    const acct = account('BTC', 1, [futurePosition(inverseFuture('BTC-PERPETUAL'), -400_000, P0, P0)])
    const rule = binanceRule({ kind: 'coinm', brackets: () => coinm2020 })
    const [down, flat, up] = marginUnderScenarios(acct, rule, [{ spot: { BTC: -0.3 } }, {}, { spot: { BTC: 1 } }])
    // Down 30%: the short gains coin; up 100%: coin P&L = −400,000 × (1/40,000 − 1/80,000) = −5 BTC.
    expect(up!.equity).toBeCloseTo(1 - 5, 12)
    expect(up!.liquidated).toBe(true)
    expect(up!.shortfall).toBeCloseTo(4, 12)
    expect(up!.shortfallUsd).toBeCloseTo(4 * 80_000, 6)
    expect(flat!.liquidated).toBe(false)
    expect(down!.equity).toBeGreaterThan(flat!.equity)
  })

  it('stress-engine scenarios map to margin shocks (one spot shock for every underlying, vol shock added)', () => {
    const shocks = shocksFromStressScenarios({ n: 2, spotShock: [-0.1, 0.2], volShock: [0.05, -0.05] }, ['BTC', 'ETH'])
    expect(shocks[1]).toEqual({ spot: { BTC: 0.2, ETH: 0.2 }, vol: -0.05, volFloor: 0.01 })
  })

  it('available balance = equity − IM; margin ratio = MM ÷ equity', () => {
    const acct = account('USDT', 10_000, [futurePosition(linearFuture('BTCUSDT'), 2, 50_000, 51_000, { leverage: 20 })])
    const v = revalueAccount(acct, binanceRule({ kind: 'usdm', brackets: () => usdm2025 }))
    expect(v.equity).toBeCloseTo(12_000, 9)
    expect(v.initialMargin).toBeCloseTo(102_000 / 20, 9)
    expect(v.maintenanceMargin).toBeCloseTo(102_000 * 0.004, 9)
    expect(v.availableBalance).toBeCloseTo(12_000 - 5_100, 9)
    expect(v.marginRatio).toBeCloseTo(408 / 12_000, 12)
  })
})

describe('distance to liquidation', () => {
  it('in percent and in daily-σ units of log price', () => {
    const d = distanceToLiquidation(100, 90, 0.02)
    expect(d.percent).toBeCloseTo(-10, 12)
    expect(d.dailySigmas).toBeCloseTo(Math.log(100 / 90) / 0.02, 12)
    expect(dailyVolFromAnnual(0.73)).toBeCloseTo(0.73 / Math.sqrt(365), 15)
    expect(() => distanceToLiquidation(100, 0, 0.02)).toThrow(RangeError)
  })
})
