/**
 * Liquidation-cascade simulation: the square-root impact law's worked numbers, and the properties issue 6
 * requires — no leveraged positions → no move beyond the exogenous path; more leverage can only deepen the
 * cascade (monotone); the reported extra move equals the sum of the impacts applied.
 * Impact source: research note §5.2 (square-root law Y·σ·√(Q/V); test case σ 3%, Q/V 1%, Y 1 → 0.30%,
 * Q/V 4% → 0.60%) [D], https://www.signaltrace.wiki/markov-model/Concepts/Square-Root-Law-of-Market-Impact.
 */
import { describe, expect, it } from 'vitest'
import {
  accountParticipants,
  crashPath,
  cumulativeImpactLog,
  historicalPath,
  marketParticipants,
  simulateCascade,
  squareRootImpact,
  type CascadeParticipant,
} from '../../../src/main/domain/margin/cascade'
import { CASCADE_MARKET_BTC, selectAsOf, type LeveragedMarketParams } from '../../../src/main/domain/margin/params/index'
import { binanceRule } from '../../../src/main/domain/margin/rules'
import { singleTier } from '../../../src/main/domain/margin/tiers'
import { account, futurePosition, inverseFuture, linearFuture, rng } from './helpers'

const market = selectAsOf(CASCADE_MARKET_BTC, '2025-08-21').values
const P0 = 100_000

/** An isolated linear long (or short) of q coin opened at P0 with leverage L and MMR m. */
function leveraged(id: string, q: number, L: number, m = 0.005): CascadeParticipant {
  const margin = (Math.abs(q) * P0) / L
  return { id, kind: 'account', closeOutCoin: q, stateAt: (P) => ({ equityUsd: margin + q * (P - P0), maintenanceUsd: Math.abs(q) * P * m }) }
}

function scaledMarket(m: LeveragedMarketParams, levFactor: number): LeveragedMarketParams {
  return { ...m, buckets: m.buckets.map((b) => ({ ...b, leverage: b.leverage * levFactor })) }
}

describe('square-root impact', () => {
  it('catalogue #24: σ 3%, Q/V 1%, Y 1 → 0.30%; Q/V 4% → 0.60% (quadruple size, double impact)', () => {
    expect(squareRootImpact(1, 100, 0.03, 1)).toBeCloseTo(0.003, 15)
    expect(squareRootImpact(4, 100, 0.03, 1)).toBeCloseTo(0.006, 15)
  })

  it('cumulative impact is signed: buying pushes the price up', () => {
    const impact = { Y: 1, dailyVol: 0.03, dailyVolumeCoin: 100 }
    expect(cumulativeImpactLog(-1, impact)).toBeCloseTo(-0.003, 15)
  })
})

describe('paths', () => {
  it('crash −40% over 20 steps: geometric ends exactly at 60% and is evenly spaced in log price; linear in price', () => {
    const g = crashPath(P0, -0.4, 20)
    expect(g).toHaveLength(21)
    expect(g[20]).toBeCloseTo(60_000, 8)
    expect(Math.log(g[1]! / g[0]!)).toBeCloseTo(Math.log(0.6) / 20, 14)
    const l = crashPath(P0, -0.4, 20, 'linear')
    expect(l[10]).toBeCloseTo(80_000, 8)
  })

  it('a historical path keeps the episode’s relative moves from today’s price', () => {
    expect(historicalPath([7_929, 6_000, 4_860], 50_000)).toEqual([50_000, (50_000 * 6_000) / 7_929, (50_000 * 4_860) / 7_929])
  })
})

describe('cascade properties', () => {
  const path = crashPath(P0, -0.4, 20)

  it('no leveraged positions (1× longs, short-free) → the price path is exactly the exogenous path', () => {
    const participants = [leveraged('a', 10, 1), leveraged('b', 500, 1), leveraged('c', 2_000, 1)]
    const r = simulateCascade({ path, participants, impact: market.impact })
    r.steps.forEach((s, k) => {
      expect(s.priceAfter).toBe(path[k])
      expect(s.liquidated).toEqual([])
    })
    expect(r.extraMoveLog).toBe(0)
    expect(r.finalPrice).toBe(r.exogenousFinalPrice)
  })

  it('the default leveraged market deepens a −40% crash, and the extra move equals the sum of the impacts applied', () => {
    const r = simulateCascade({ path, participants: marketParticipants(market, P0), impact: market.impact })
    expect(r.extraMoveLog).toBeGreaterThan(0)
    const sum = r.steps.reduce((a, s) => a + s.impactLog, 0)
    expect(Math.abs(sum - r.extraMoveLog)).toBeLessThan(1e-12 * Math.max(1, r.extraMoveLog))
    expect(Math.abs(Math.log(r.exogenousFinalPrice / r.finalPrice) - r.extraMoveLog)).toBeLessThan(1e-12)
    expect(r.extraMoveRelative).toBeCloseTo(r.finalPrice / r.exogenousFinalPrice - 1, 14)
    // Each step's own price is the exogenous price less the cumulative impact so far.
    for (const s of r.steps) expect(s.priceAfter).toBeCloseTo(s.exogenousPrice * Math.exp(-s.cumulativeImpactLog), 6)
    // Shorts gain in a crash: only longs were liquidated, and the notional reported is positive.
    expect(r.outcomes.filter((o) => o.liquidated).every((o) => o.id.startsWith('market:long'))).toBe(true)
    expect(r.totalLiquidatedNotionalUsd).toBeGreaterThan(0)
  })

  it('more leverage can only deepen: every step price is non-increasing in the leverage factor (leveraged longs)', () => {
    // The monotonicity premise: every forced flow is a sale. Scaled 4×, the default 100× shorts would be
    // 400× — below their 0.5% maintenance at entry — and be bought in at step 0, so the market here is
    // long-only; the default (both sides) is exercised in the other tests.
    const longs = { ...market, leveragedShortShare: 0 }
    let prev: number[] | null = null
    let prevExtra = -1
    for (const f of [0.5, 0.8, 1, 1.5, 2, 4]) {
      const r = simulateCascade({ path, participants: marketParticipants(scaledMarket(longs, f), P0), impact: market.impact })
      const prices = r.steps.map((s) => s.priceAfter)
      if (prev) prices.forEach((p, k) => expect(p).toBeLessThanOrEqual(prev![k]!))
      expect(r.extraMoveLog).toBeGreaterThanOrEqual(prevExtra)
      prev = prices
      prevExtra = r.extraMoveLog
    }
  })

  it('monotone on random long books: adding a participant or raising some leverage never raises any step price', () => {
    const r = rng(31)
    for (let trial = 0; trial < 25; trial++) {
      const specs: { q: number; L: number }[] = []
      const n = 3 + Math.floor(r() * 8)
      for (let i = 0; i < n; i++) specs.push({ q: 1_000 + r() * 50_000, L: 1 + r() * 60 })
      const base = specs.map((x, i) => leveraged(`p${i}`, x.q, x.L))
      const moreLeverage = specs.map((x, i) => leveraged(`p${i}`, x.q, r() < 0.5 ? x.L * (1 + r()) : x.L))
      const added = [...base, leveraged('extra', 1_000 + r() * 50_000, 2 + r() * 50)]
      const impact = { Y: 0.5 + r(), dailyVol: 0.02 + 0.03 * r(), dailyVolumeCoin: 200_000 + r() * 600_000 }
      const p = crashPath(P0, -(0.1 + 0.5 * r()), 5 + Math.floor(r() * 30))
      const a = simulateCascade({ path: p, participants: base, impact })
      for (const other of [added, moreLeverage]) {
        const b = simulateCascade({ path: p, participants: other, impact })
        b.steps.forEach((s, k) => expect(s.priceAfter).toBeLessThanOrEqual(a.steps[k]!.priceAfter))
        expect(b.extraMoveLog).toBeGreaterThanOrEqual(a.extraMoveLog)
      }
    }
  })

  it('within one step, a liquidation can trigger the next (the price is re-checked after each wave)', () => {
    // A 20× long breaches first; its sale pushes the price through the 10× long's threshold in the same step.
    // 20× long of 500 coin breaches below 95,477; its sale (Q/V = 0.5, σ 10%) moves the price by
    // e^(−0.0707): 95,000 → ≈ 88,500, through the 10× long's threshold of ≈ 90,452.
    const impact = { Y: 1, dailyVol: 0.1, dailyVolumeCoin: 1_000 }
    const a = leveraged('20x', 500, 20)
    const b = leveraged('10x', 100, 10)
    const r = simulateCascade({ path: [P0, 95_000], participants: [a, b], impact })
    expect(r.steps[1]!.liquidated).toEqual(['20x', '10x'])
    expect(r.steps[1]!.priceAfter).toBeLessThan(r.steps[1]!.exogenousPrice)
    const o = r.outcomes.find((x) => x.id === '10x')!
    expect(o.triggerPrice).toBeLessThan(95_000)
    // By hand: the 20× long (margin 2,500,000 USD, MM 0.5 %) crosses where 2,500,000 + 500(P − 100,000) =
    // 2.5·P → P = 47,500,000 / 497.5 = 95,477.39, and is closed out there (cause threshold). Its sale moves
    // the price by e^(−0.1·√0.5) to 88,959.28, below the 10× long's 90,452.26 (9,000,000 / 99.5) and its
    // bankruptcy price 90,000: closed out at 88,959.28 with equity 1,000,000 + 100 × (88,959.28 − 100,000)
    // = −104,071.84 USD (cause impact). The step ends at 95,000 × e^(−0.1·√0.6) = 87,919.11.
    const first = r.outcomes.find((x) => x.id === '20x')!
    expect(first.cause).toBe('threshold')
    expect(first.executionPrice!).toBeCloseTo(95_477.38693467337, 7)
    expect(o.cause).toBe('impact')
    expect(o.executionPrice!).toBeCloseTo(88_959.28163338943, 7)
    expect(o.thresholdPrice!).toBeCloseTo(9_000_000 / 99.5, 7)
    expect(o.equityAfterUsd!).toBeCloseTo(-104_071.83666105708, 5)
    expect(o.explanation).toMatch(/impact of the close-out of 20x moved the price from 95,477.39 to 88,959.28 USD, through its liquidation price 90,452.26 USD.*below its bankruptcy price/)
    expect(r.steps[1]!.priceAfter).toBeCloseTo(87_919.11329443526, 7)
  })

  it('closes an account out at its solved crossing inside the step, not at the next path price, at any step count', () => {
    // Hand computation: Binance USDⓈ-M cross, one tier MMR 0.4 %, no maintenance amount; 30 BTC long of
    // BTCUSDT entered and marked at 100,000 with 200,000 USDT of collateral. Equity = 200,000 + 30(P − 100,000),
    // MM = 30·P·0.004, so the margin ratio reaches 100 % at P = (30 × 100,000 − 200,000) / (30 × (1 − 0.004))
    // = 2,800,000 / 29.88 = 93,708.17 USD, where equity = MM = 11,244.98 USD. The −40 % path in 20 steps
    // (geometric) has 95,020.02 at step 2 and 92,623.82 at step 3: the crossing is inside step 3, and the old
    // grid walk closed it out at 92,623.82.
    const rule = binanceRule({ kind: 'usdm', brackets: () => singleTier(0.004, 0, 'USDT') })
    const acct = account('USDT', 200_000, [futurePosition(linearFuture('BTCUSDT'), 30, P0, P0)], { name: 'hand' })
    const crossing = 2_800_000 / 29.88
    for (const n of [20, 200, 2_000]) {
      const r = simulateCascade({ path: crashPath(P0, -0.4, n), participants: accountParticipants(acct, rule, 'BTC'), impact: market.impact })
      const o = r.outcomes[0]!
      expect(o.cause).toBe('threshold')
      expect(Math.abs(o.executionPrice! / crossing - 1)).toBeLessThan(1e-12)
      expect(o.thresholdPrice).toBe(o.executionPrice)
      expect(o.equityAfterUsd!).toBeCloseTo(30 * 0.004 * crossing, 6)
      expect(o.shortfallUsd).toBe(0)
      if (n === 20) {
        expect(o.step).toBe(3)
        expect(r.steps[3]!.exogenousPrice).toBeCloseTo(92_623.81985451124, 6)
      }
    }
  })

  it('the leveraged market gives the same cascade at 20, 200 and 2,000 steps, with no shortfall at thresholds', () => {
    const runs = [20, 200, 2_000].map((n) => simulateCascade({ path: crashPath(P0, -0.4, n), participants: marketParticipants(market, P0), impact: market.impact }))
    for (const r of runs) {
      expect(Math.abs(r.extraMoveLog / runs[0]!.extraMoveLog - 1)).toBeLessThan(1e-9)
      expect(r.finalPrice).toBeCloseTo(runs[0]!.finalPrice, 6)
      for (const o of r.outcomes.filter((x) => x.cause === 'threshold')) expect(o.shortfallUsd).toBe(0)
      // Bucket by bucket, the same execution prices.
      for (const o of r.outcomes) {
        const ref = runs[0]!.outcomes.find((x) => x.id === o.id)!
        expect(o.liquidated).toBe(ref.liquidated)
        if (o.liquidated) expect(Math.abs(o.executionPrice! / ref.executionPrice! - 1)).toBeLessThan(1e-9)
      }
    }
    // The 100× longs cross first, at P0·(1 − 1/100)/(1 − 0.005) (marketParticipants' closed form).
    const first = runs[0]!.outcomes.find((o) => o.id === 'market:long:100x')!
    expect(first.executionPrice!).toBeCloseTo((P0 * 0.99) / 0.995, 6)
  })

  it('a gap through the bankruptcy price leaves a shortfall equal to the negative equity after close-out, and names the gap', () => {
    // 100× long of 1 coin at 100,000: margin 1,000 USD, MM 0.5 %. Threshold 1,000 + (P − 100,000) = 0.005·P
    // → P = 99,000 / 0.995 = 99,497.49; bankruptcy (equity 0) at 99,000. The path jumps to 90,000 in one step
    // marked as a gap: closed out at 90,000 with equity 1,000 − 10,000 = −9,000 USD.
    const p = leveraged('100x', 1, 100)
    const impact = { Y: 1, dailyVol: 0.03, dailyVolumeCoin: 1e9 }
    const r = simulateCascade({ path: [P0, 90_000], gaps: [false, true], participants: [p], impact })
    const o = r.outcomes[0]!
    expect(o.liquidated).toBe(true)
    expect(r.steps[1]!.gap).toBe(true)
    expect(o.cause).toBe('gap')
    expect(o.executionPrice).toBe(90_000)
    expect(o.equityAfterUsd).toBeCloseTo(1_000 + (o.executionPrice! - P0), 6)
    expect(o.equityAfterUsd).toBeCloseTo(-9_000, 6)
    expect(o.belowBankruptcy).toBe(true)
    expect(o.shortfallUsd).toBeCloseTo(-o.equityAfterUsd!, 9)
    expect(r.totalShortfallUsd).toBeCloseTo(o.shortfallUsd, 9)
    expect(o.thresholdPrice!).toBeCloseTo(99_000 / 0.995, 6)
    expect(o.explanation).toMatch(/gaps from 100,000.00 to 90,000.00 USD.*through its liquidation price 99,497.49 USD.*below its bankruptcy price/)
    // The same move as a continuous step: closed out at its threshold, equity there = MM = 0.005 × 99,497.49.
    const c = simulateCascade({ path: [P0, 90_000], participants: [p], impact }).outcomes[0]!
    expect(c.cause).toBe('threshold')
    expect(c.executionPrice!).toBeCloseTo(99_000 / 0.995, 6)
    expect(c.equityAfterUsd!).toBeCloseTo((0.005 * 99_000) / 0.995, 6)
    expect(c.shortfallUsd).toBe(0)
    expect(c.belowBankruptcy).toBe(false)
  })

  it('the user’s accounts take part through the account model (linear cross and inverse isolated)', () => {
    const rule = binanceRule({ kind: 'usdm', brackets: () => singleTier(0.004, 0, 'USDT') })
    const usdt = account('USDT', 200_000, [futurePosition(linearFuture('BTCUSDT'), 30, P0, P0, { leverage: 20 })], { name: 'linear' })
    const coinRule = binanceRule({ kind: 'coinm', brackets: () => singleTier(0.004, 0, 'BTC') })
    const coin = account('BTC', 0, [futurePosition(inverseFuture('BTCUSD_PERP'), 2_000_000, P0, P0, { isolatedMargin: 4, leverage: 5 })], { name: 'inverse' })
    const participants = [...accountParticipants(usdt, rule, 'BTC'), ...accountParticipants(coin, coinRule, 'BTC'), ...marketParticipants(market, P0)]
    expect(participants.filter((p) => p.kind === 'account').map((p) => p.id)).toEqual(['test:linear', 'test:inverse:BTCUSD_PERP'])
    const r = simulateCascade({ path, participants, impact: market.impact })
    const lin = r.outcomes.find((o) => o.id === 'test:linear')!
    expect(lin.liquidated).toBe(true)
    // A 30 BTC long with 200,000 USDT: its own threshold is where 200,000 + 30(P − P0) = 30·P·0.4%.
    expect(lin.triggerPrice!).toBeLessThanOrEqual((30 * P0 - 200_000) / (30 * (1 - 0.004)) + 1e-6)
    expect(lin.closedCoin).toBeCloseTo(30, 12)
    const inv = r.outcomes.find((o) => o.id === 'test:inverse:BTCUSD_PERP')!
    expect(inv.liquidated).toBe(true)
    // An inverse position of USD face Q closes Q ÷ P coin at the trigger price.
    expect(inv.closedCoin).toBeCloseTo(2_000_000 / inv.triggerPrice!, 9)
  })

  it('refuses an empty path, a non-positive price, V ≤ 0, and a gap mark on the start price', () => {
    expect(() => simulateCascade({ path: [], participants: [], impact: market.impact })).toThrow(/empty/)
    expect(() => simulateCascade({ path: [1, 2], gaps: [true], participants: [], impact: market.impact })).toThrow(/step 0/)
    expect(() => simulateCascade({ path: [1, 0], participants: [], impact: market.impact })).toThrow(/> 0/)
    expect(() => simulateCascade({ path: [1], participants: [], impact: { ...market.impact, dailyVolumeCoin: 0 } })).toThrow(/V > 0/)
  })
})
