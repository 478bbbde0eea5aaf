/**
 * Stress scenarios as margin shocks (scenarioShock.ts) agree with the stress engine: for a random inverse
 * option book, the change of a BTC account's equity under `marketShockFromScenario` equals the revaluation
 * kernel's coin P&L (revaluationKernel.ts, itself tested against Black-76 closed forms) in scenarios with
 * absolute, relative, term-scaled (Deribit PM powers 0.30/0.13 at 30 days, research note §1.3) and
 * sticky-moneyness vol shocks, a vol floor, a time shift that expires short options, and a spot move of an
 * underlying that follows the driver by beta (ETH = 1.10 × BTC, betaTable.ts).
 */
import { describe, expect, it } from 'vitest'
import { marketShockFromScenario, revalueAccount, sviVol, type MarginAccount, type MarginRule, type ShockOption, type SviSlice } from '../../../src/main/domain/margin/index'
import { DEFAULT_BETAS } from '../../../src/main/domain/stress/betaTable'
import { DEFAULT_LIQUIDITY } from '../../../src/main/domain/stress/liquidityTable'
import { revalueScenarios } from '../../../src/main/domain/stress/revaluationKernel'
import { makeScenario } from '../../../src/main/domain/stress/scenarioSets'
import { packBook } from '../../../src/main/engine/packBook'
import { packScenarios } from '../../../src/main/engine/packScenarios'
import { sharedFloat64 } from '../../../src/main/engine/sharedArrays'
import { allocateOutput } from '../../../src/main/engine/stressPool'
import { syntheticOptionBook } from '../../../bench/syntheticBook'

/** A rule with no requirement: the test is about equity. */
const NO_MARGIN: MarginRule = { id: 'none', label: 'none', approximations: [], position: () => ({ initialMargin: 0, maintenanceMargin: 0, liquidationFee: 0 }) }

/** A smile per position: ATM total variance σ²T, skewed (ρ −0.4), flat beyond ±1.5 in log-moneyness. */
function slice(sigma: number, T: number): SviSlice {
  return { a: 0.8 * sigma * sigma * T, b: 0.15 * sigma * Math.sqrt(T), rho: -0.4, m: 0.02, sigma: 0.3, T, kLo: -1.5, kHi: 1.5 }
}

describe('marketShockFromScenario agrees with the stress kernel', () => {
  const engine = syntheticOptionBook(60, 7)
  const smiles = engine.map((e) => slice(e.inputs.sigma!, e.inputs.T!))
  const packed = packBook(engine, { liquidity: DEFAULT_LIQUIDITY, smile: (_i, inputs) => smiles[engine.findIndex((e) => e.inputs === inputs)]! })
  const account: MarginAccount = {
    venue: 'test',
    name: 'acct',
    marginCurrency: 'BTC',
    collateral: [],
    positions: engine.map((e, i) => ({
      id: `p${i}`,
      instrument: e.instrument,
      quantity: e.quantity,
      entryPrice: 0,
      market: { index: e.inputs.index, underlying: e.inputs.underlying, sigma: e.inputs.sigma, T: e.inputs.T },
    })),
  }
  const options: ShockOption[] = engine.map((e, i) => ({ underlying: 'BTC', strike: e.instrument.strike!, T: e.inputs.T!, forward: e.inputs.underlying, smile: smiles[i]! }))
  const term = { refDays: 30, powerShort: 0.3, powerLong: 0.13, splitDays: 30 }
  const scenarios = [
    makeScenario({ name: 'absolute', spot: { shock: -0.3 }, vol: { size: 25 } }),
    makeScenario({ name: 'relative', spot: { shock: 0.2 }, vol: { size: -0.25, mode: 'relative', floor: 5 } }),
    makeScenario({ name: 'term-scaled', spot: { shock: -0.16 }, vol: { size: 0.5, mode: 'relative', termScaling: term } }),
    makeScenario({ name: 'sticky-moneyness', spot: { shock: -0.4 }, vol: { size: 10, rule: 'sticky-moneyness' } }),
    makeScenario({ name: 'time', spot: { shock: 0.05 }, vol: { size: -20, termScaling: term }, timeShiftDays: 3 }),
    makeScenario({ name: 'ETH driver', spot: { driver: 'ETH', shock: -0.2 }, vol: { size: 5 } }),
  ]

  it('equity change = kernel coin P&L in every scenario (1e-9 relative)', () => {
    const { scenarios: sc } = packScenarios(scenarios, packed.underlyings, DEFAULT_BETAS)
    const out = allocateOutput(sc.n, packed.book.nUnderlyings, 1, packed.book.n)
    revalueScenarios(packed.book, sc, 0, sc.n, { liquidity: false, impactY: 1, groupId: sharedFloat64(packed.book.n), nGroups: 1 }, out)
    const e0 = revalueAccount(account, NO_MARGIN).equity
    scenarios.forEach((s, k) => {
      const r = marketShockFromScenario(s, ['BTC'], DEFAULT_BETAS, options)
      expect(r.notValued).toBeNull()
      const de = revalueAccount(account, NO_MARGIN, r.shock!).equity - e0
      const kernel = out.pnlCoin[k]!
      expect(Math.abs(de - kernel), s.name).toBeLessThan(1e-9 * Math.max(1, Math.abs(kernel)))
    })
    // The ETH-driven scenario moved BTC by beta 0.6 (betaTable.ts).
    expect(marketShockFromScenario(scenarios[5]!, ['BTC'], DEFAULT_BETAS).spot.BTC).toBeCloseTo(-0.12, 15)
  })

  it('reports what margin leaves out: basis, funding, at-expiry', () => {
    const r = marketShockFromScenario(makeScenario({ name: 'b', basisShock: 0.05, fundingRate8h: 0.001, timeShiftDays: 1 }), ['BTC'], DEFAULT_BETAS)
    expect(r.notApplied).toEqual(['basis shock 0.05 (dated futures move with spot in margin)', 'funding 0.001 per 8 h over 1 days'])
    const e = marketShockFromScenario(makeScenario({ name: 'e', atExpiry: true }), ['BTC'], DEFAULT_BETAS)
    expect(e.shock).toBeNull()
    expect(e.notValued).toMatch(/own expiry/)
  })

  it('sviVol is the smile the kernel reads: flat beyond the wings', () => {
    const s = slice(0.6, 0.25)
    expect(sviVol(s, 3)).toBe(sviVol(s, 1.5))
    expect(sviVol(s, 0)).toBeCloseTo(Math.sqrt((s.a + s.b * (s.rho * -0.02 + Math.sqrt(0.02 ** 2 + 0.09))) / 0.25), 14)
  })
})
