/**
 * Oracle lag and stablecoin de-peg, the pure parts: the scenario fields and their ranges, the path rule, the price
 * each venue margins on, the stablecoin resolver, the built-in sets, and an account margined in a de-pegged
 * stablecoin. Expected values are hand computations written beside each assertion.
 */
import { describe, expect, it } from 'vitest'
import { revalueAccount, usdPriceResolver } from '../../../src/main/domain/margin/account'
import { hyperliquidRule, hyperliquidTiers } from '../../../src/main/domain/margin/hyperliquid'
import { marketShockFromScenario } from '../../../src/main/domain/margin/scenarioShock'
import { oracleMoveFraction, oracleVenueOf, venuePriceMoves } from '../../../src/main/domain/margin/oracleVenues'
import { DEFAULT_BETAS, resolveScenarioShock } from '../../../src/main/domain/stress/betaTable'
import { makeScenario, oracleLagSet, stablecoinDepegSet } from '../../../src/main/domain/stress/scenarioSets'
import { scenarioSchema } from '../../../src/shared/scenario'
import { account, futurePosition, inverseFuture, linearFuture } from './helpers'

const issues = (json: unknown) => {
  const r = scenarioSchema.safeParse(json)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('the scenario fields', () => {
  it('a scenario saved before them still parses, with no oracle lag and every stablecoin at par', () => {
    const s = scenarioSchema.parse({ name: 'old', spot: { driver: 'BTC', shock: -0.2 } })
    expect(s.oracle).toBeNull()
    expect(s.stablecoins).toEqual({})
  })

  it('fills the oracle block’s defaults and refuses out-of-range numbers with the range in the message', () => {
    expect(scenarioSchema.parse({ name: 'x', oracle: { lagSeconds: 30 } }).oracle).toEqual({ lagSeconds: 30, moveSeconds: 60, markGapPercent: 0, venues: null })
    expect(issues({ name: 'x', oracle: { lagSeconds: -1 } })).toEqual(['oracle.lagSeconds: expected an oracle lag at least 0 and at most 86400 seconds'])
    expect(issues({ name: 'x', oracle: { lagSeconds: 3, moveSeconds: 0 } })).toEqual(['oracle.moveSeconds: expected a move duration greater than 0 and at most 86400 seconds'])
    expect(issues({ name: 'x', oracle: { lagSeconds: 3, markGapPercent: 60 } })).toEqual(['oracle.markGapPercent: expected a mark-vs-oracle gap at least -50 and at most 50 %'])
  })

  it('stablecoins: USD per coin of a USD stablecoin only, in (0, 2], and not moved twice', () => {
    expect(scenarioSchema.parse({ name: 'x', stablecoins: { USDC: 0.97 } }).stablecoins).toEqual({ USDC: 0.97 })
    expect(issues({ name: 'x', stablecoins: { USD: 0.9 } })[0]).toMatch(/^stablecoins\.USD: expected a USD stablecoin/)
    expect(issues({ name: 'x', stablecoins: { BTC: 0.9 } })[0]).toMatch(/^stablecoins\.BTC: expected a USD stablecoin/)
    expect(issues({ name: 'x', stablecoins: { USDT: 0 } })).toEqual(['stablecoins.USDT: expected a stablecoin value greater than 0 and at most 2 USD per coin'])
    expect(issues({ name: 'x', spot: { byUnderlying: { USDC: -0.03 } }, stablecoins: { USDC: 0.97 } })).toEqual([
      'stablecoins.USDC: USDC is moved twice: by spot.byUnderlying and by stablecoins; give its value once (stablecoins: USD per coin)',
    ])
  })

  it('resolves a stablecoin value as its move from par, and leaves the rest to the beta rule', () => {
    const s = makeScenario({ name: 'x', spot: { driver: 'BTC', shock: -0.1 }, stablecoins: { USDC: 0.9 } })
    expect(resolveScenarioShock(s, 'USDC', DEFAULT_BETAS).shock).toBeCloseTo(-0.1, 15)
    expect(resolveScenarioShock(s, 'USDT', DEFAULT_BETAS).shock).toBe(0) // a stablecoin never follows BTC
    expect(resolveScenarioShock(s, 'ETH', DEFAULT_BETAS).shock).toBeCloseTo(-0.11, 15) // beta 1.1
  })
})

describe('the oracle path rule and the price each venue margins on', () => {
  it('the oracle has made max(0, 1 − lag ÷ duration) of a linear move', () => {
    expect([0, 3, 30, 60, 300].map((lag) => oracleMoveFraction(lag, 60))).toEqual([1, 0.95, 0.5, 0, 0])
    expect(() => oracleMoveFraction(-1, 60)).toThrow(RangeError)
    expect(() => oracleMoveFraction(3, 0)).toThrow(RangeError)
  })

  it('Hyperliquid takes the oracle’s share of the move and the mark gap; Deribit takes the market; stablecoins move everywhere', () => {
    const market = { BTC: -0.1, USDC: -0.03 }
    const oracle = { lagSeconds: 30, moveSeconds: 60, markGapPercent: 1, venues: null }
    const hl = venuePriceMoves(market, oracle, 'hyperliquid')
    // (1 + 0.5 × −0.1) × 1.01 − 1 = 0.95 × 1.01 − 1 = −0.0405
    expect(hl.basis).toBe('oracle')
    expect(hl.moves.BTC).toBeCloseTo(-0.0405, 15)
    expect(hl.moves.USDC).toBe(-0.03)
    expect(hl.note).toBe('hyperliquid margins on its oracle, 30 s behind a move over 60 s: the oracle has made 50 % of the move; mark = oracle +1 %')
    expect(venuePriceMoves(market, oracle, 'deribit')).toEqual({ basis: 'market', moves: market, oracleFraction: 1, note: null })
    // A scenario naming its venues: only those.
    expect(venuePriceMoves(market, { ...oracle, venues: ['dydx'] }, 'hyperliquid').basis).toBe('market')
    expect(venuePriceMoves(market, null, 'hyperliquid').basis).toBe('market')
    expect(oracleVenueOf('Hyperliquid')?.fundingOn).toBe('oracle')
    expect(oracleVenueOf('deribit')).toBeNull()
  })

  it('a margin shock keeps the market move beside the venue’s', () => {
    const sc = makeScenario({ name: 'x', spot: { driver: 'BTC', shock: -0.1 }, oracle: { lagSeconds: 3 } })
    const r = marketShockFromScenario(sc, ['BTC', 'USDC'], DEFAULT_BETAS, [], 'hyperliquid')
    // 3 s of a 60 s move: 95 % of −10 %.
    expect(r.basis).toBe('oracle')
    expect(r.shock!.spot!.BTC).toBeCloseTo(-0.095, 15)
    expect(r.marketSpot).toEqual({ BTC: -0.1, USDC: 0 })
    expect(marketShockFromScenario(sc, ['BTC'], DEFAULT_BETAS, [], 'deribit').shock!.spot).toEqual({ BTC: -0.1 })
  })
})

describe('the built-in sets', () => {
  it('oracle lag: ±10 % within 60 s, the oracle in step, 3 s, 30 s and 5 min behind; every scenario valid as stored', () => {
    const set = oracleLagSet()
    expect(set.scenarios.map((s) => [s.spot.shock, s.oracle!.lagSeconds, s.oracle!.moveSeconds])).toEqual([
      [-0.1, 0, 60], [-0.1, 3, 60], [-0.1, 30, 60], [-0.1, 300, 60], [0.1, 0, 60], [0.1, 3, 60], [0.1, 30, 60], [0.1, 300, 60],
    ])
    for (const s of set.scenarios) expect(scenarioSchema.parse(s)).toEqual(s)
    expect(set.scenarios[2]!.description).toContain('it has made 50 % of the move')
  })

  it('de-peg: USDC and USDT at 0.97 and 0.90, no price move', () => {
    const set = stablecoinDepegSet()
    expect(set.scenarios.map((s) => [s.name, s.stablecoins, s.spot.shock])).toEqual([
      ['USDC at 0.97 USD', { USDC: 0.97 }, 0], ['USDC at 0.90 USD', { USDC: 0.9 }, 0], ['USDT at 0.97 USD', { USDT: 0.97 }, 0], ['USDT at 0.90 USD', { USDT: 0.9 }, 0],
    ])
    for (const s of set.scenarios) expect(scenarioSchema.parse(s)).toEqual(s)
  })
})

describe('an account margined in a stablecoin under a de-peg', () => {
  // USDC account: 1,000 USDC, long 0.1 BTC perp entered at 50,000, mark 50,000 (uPnL 0), one tier at 40×:
  // MM = 5,000 × 1/80 = 62.5 USD. USDC at 0.97: equity USD = 970; MM in USDC = 62.5 / 0.97; ratio = 62.5 / 970 =
  // 0.0644329897 (was 62.5 / 1000 = 0.0625).
  const rule = hyperliquidRule({ tiers: () => hyperliquidTiers({ tiers: [{ lowerBound: '0', maxLeverage: 40 }] }) })
  const usdc = account('USDC', 1000, [futurePosition(linearFuture('BTC'), 0.1, 50_000, 50_000, { leverage: 10 })])

  it('values the stablecoin at its shocked price: equity USD falls by 0.03 × the balance, the ratio rises', () => {
    const now = revalueAccount(usdc, rule)
    const depeg = revalueAccount(usdc, rule, { spot: { USDC: -0.03 } })
    expect(now.equityUsd).toBe(1000)
    expect(depeg.marginCurrencyUsd).toBeCloseTo(0.97, 15)
    expect(depeg.equityUsd).toBeCloseTo(970, 9)
    expect(now.marginRatio).toBeCloseTo(0.0625, 15)
    expect(depeg.marginRatio).toBeCloseTo(62.5 / 970, 12)
    // With the price moving too: BTC +2 % gives +100 USD of P&L, worth 100 USD whatever USDC does: 970 + 100.
    expect(revalueAccount(usdc, rule, { spot: { USDC: -0.03, BTC: 0.02 } }).equityUsd).toBeCloseTo(1070, 9)
  })

  it('USD itself never moves; a BTC-margined account does not see a USDC de-peg', () => {
    expect(usdPriceResolver(usdc, { spot: { USD: -0.5 } })('USD')).toBe(1)
    const btc = account('BTC', 1, [futurePosition(inverseFuture('BTC-PERPETUAL'), 10_000, 50_000, 50_000)])
    const flat = { initialMargin: 0, maintenanceMargin: 0, liquidationFee: 0 }
    const coinRule = { id: 'flat', label: 'flat', approximations: [], position: () => flat }
    expect(revalueAccount(btc, coinRule, { spot: { USDC: -0.1 } })).toEqual(revalueAccount(btc, coinRule))
  })
})
