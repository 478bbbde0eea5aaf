/**
 * The stress kernel (revaluationKernel.ts) is the fast SoA twin of the one scalar pricer
 * (valuation/revaluePosition.ts): on seeded random books of every instrument kind — inverse and linear options,
 * inverse and linear dated futures and perpetuals, spot and balances, with and without entry prices — and
 * random scenarios (spot moves by underlying and beta, absolute / relative / term-scaled vol shocks,
 * sticky-moneyness smiles, time passing through expiries, options at expiry, basis shocks, funding), every
 * position's kernel P&L equals the scalar pricer's change of USD value, value(shocked) − value(now).
 *
 * The two compute the same formulas in different arrangements (the kernel hoists ln(F/K) and √T, the scalar
 * pricer takes logarithms afresh), so they agree to rounding: the bound is 1e-9 of the position's notional
 * plus 1e-9 USD, and the largest difference seen is printed.
 */
import { describe, expect, it } from 'vitest'
import type { Instrument } from '../../src/shared/instrument'
import { parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import { black76PriceUnchecked } from '../../src/main/domain/pricing/black76'
import { DEFAULT_BETAS } from '../../src/main/domain/stress/betaTable'
import { DEFAULT_LIQUIDITY } from '../../src/main/domain/stress/liquidityTable'
import { revalueScenarios } from '../../src/main/domain/stress/revaluationKernel'
import { makeScenario } from '../../src/main/domain/stress/scenarioSets'
import { smileVol, type SmileSlice } from '../../src/main/domain/stress/smileSlice'
import { shockVol } from '../../src/main/domain/stress/volShock'
import { DAYS_PER_YEAR, yearFraction } from '../../src/main/domain/time'
import { revaluePosition } from '../../src/main/domain/valuation/revaluePosition'
import { packBook, type EnginePosition } from '../../src/main/engine/packBook'
import { packScenarios } from '../../src/main/engine/packScenarios'
import { allocateOutput } from '../../src/main/engine/stressPool'
import { seededRandom } from '../../bench/syntheticBook'

const AS_OF = Date.UTC(2020, 4, 14, 6)
const templates = {
  inverseOption: parseDeribitInstrument('BTC-26JUN20-10000-C'),
  linearOption: parseDeribitInstrument('BTC_USDC-26JUN20-10000-C'),
  inverseFuture: parseDeribitInstrument('BTC-26JUN20'),
  inversePerpetual: parseDeribitInstrument('BTC-PERPETUAL'),
  linearPerpetual: parseDeribitInstrument('BTC_USDC-PERPETUAL'),
  spot: parseDeribitInstrument('BTC_USDC'),
}
const SPOT = { BTC: 9350, ETH: 205 }

function randomBook(n: number, seed: number): { book: EnginePosition[]; smiles: Array<SmileSlice | null> } {
  const rand = seededRandom(seed)
  const book: EnginePosition[] = []
  const smiles: Array<SmileSlice | null> = []
  for (let i = 0; i < n; i++) {
    const underlying = rand() < 0.7 ? 'BTC' : 'ETH'
    const S = SPOT[underlying]
    const kind = Math.floor(rand() * 7)
    const expiryMs = AS_OF + Math.floor((1 / 24 + rand() * 400) * 86_400_000)
    const T = yearFraction(AS_OF, expiryMs)
    const withEntry = rand() < 0.8
    let instrument: Instrument
    let inputs: EnginePosition['inputs']
    let quantity: number
    let entryPrice: number | null = null
    let smile: SmileSlice | null = null
    if (kind <= 1) {
      const inverse = kind === 0
      const isCall = rand() < 0.5
      const F = S * (1 + (rand() - 0.3) * 0.05)
      const K = Math.round(F * 0.4 * 5 ** rand())
      const sigma = 0.25 + 1.5 * rand()
      const base = inverse ? templates.inverseOption : templates.linearOption
      instrument = { ...base, underlying, strike: K, optionType: isCall ? 'call' : 'put', expiryMs }
      const v = black76PriceUnchecked(isCall, F, K, T, sigma)
      // The venue's mark: the model value, off by up to ±2 % (a venue's own surface), in the price unit.
      const mark = (inverse ? v / F : v) * (1 + (rand() - 0.5) * 0.04)
      inputs = { index: S, underlying: F, sigma, T, mark, markSource: 'random', asOfMs: AS_OF }
      quantity = Math.round((rand() - 0.5) * 400) / 10 || 1
      if (withEntry) entryPrice = mark * (0.5 + rand())
      if (rand() < 0.6) smile = { a: 0.7 * sigma * sigma * T, b: 0.2 * sigma * Math.sqrt(T), rho: -0.5 + rand(), m: 0.05 * (rand() - 0.5), sigma: 0.1 + 0.4 * rand(), T, kLo: -1.2, kHi: 1.2 }
    } else if (kind <= 4) {
      const inverse = kind !== 4
      const dated = kind === 2
      const base = dated ? templates.inverseFuture : inverse ? templates.inversePerpetual : templates.linearPerpetual
      instrument = { ...base, underlying, expiryMs: dated ? expiryMs : null }
      const M = S * (1 + (rand() - 0.5) * 0.02)
      inputs = { index: S, underlying: M, sigma: null, T: dated ? T : null, mark: M, markSource: 'random', asOfMs: AS_OF }
      quantity = inverse ? Math.round((rand() - 0.5) * 2e5) || 10 : Math.round((rand() - 0.5) * 400) / 10 || 1
      if (withEntry) entryPrice = M * (0.7 + 0.6 * rand())
    } else {
      instrument = { ...templates.spot, underlying }
      inputs = { index: S, underlying: S, sigma: null, T: null, mark: S, markSource: 'random', asOfMs: AS_OF }
      quantity = Math.round((rand() - 0.3) * 1000) / 10 || 1
      if (withEntry && kind === 5) entryPrice = S * (0.5 + rand())
    }
    book.push({ instrument, quantity, inputs, entryPrice, isBalance: kind === 6 })
    smiles.push(smile)
  }
  return { book, smiles }
}

const term = { refDays: 30, powerShort: 0.3, powerLong: 0.13, splitDays: 30 }
const scenarios = [
  makeScenario({ name: 'zero' }),
  makeScenario({ name: 'crash', spot: { shock: -0.45 }, vol: { size: 35 } }),
  makeScenario({ name: 'rally relative', spot: { shock: 0.6 }, vol: { size: -0.3, mode: 'relative', floor: 5 } }),
  makeScenario({ name: 'term-scaled', spot: { shock: -0.12 }, vol: { size: 0.4, mode: 'relative', termScaling: term } }),
  makeScenario({ name: 'sticky-moneyness', spot: { shock: -0.3 }, vol: { size: 12, rule: 'sticky-moneyness' } }),
  makeScenario({ name: 'ETH driver', spot: { driver: 'ETH', shock: -0.25 }, vol: { size: 5, byUnderlying: { ETH: 20 } } }),
  makeScenario({ name: 'a month passes', spot: { shock: 0.08 }, timeShiftDays: 30, fundingRate8h: 0.0003 }),
  makeScenario({ name: 'beyond many expiries', spot: { shock: -0.2 }, vol: { size: -10 }, timeShiftDays: 200, fundingRate8h: -0.0002 }),
  makeScenario({ name: 'at expiry', spot: { shock: 0.15 }, atExpiry: true }),
  makeScenario({ name: 'basis', spot: { shock: -0.05 }, basisShock: 0.2, vol: { size: 3, rule: 'sticky-moneyness' } }),
  makeScenario({ name: 'explicit moves', spot: { driver: 'BTC', shock: 0.3, byUnderlying: { ETH: -0.1 } }, vol: { size: -20, termScaling: term } }),
]

describe('scalar pricer ≡ SoA stress kernel', () => {
  it('agree on 10,000 random positions of every kind in every scenario', () => {
    const { book, smiles } = randomBook(10_000, 20260101)
    const packed = packBook(book, { liquidity: DEFAULT_LIQUIDITY, smile: (_i, inputs) => smiles[book.findIndex((e) => e.inputs === inputs)] ?? null })
    const sc = packScenarios(scenarios, packed.underlyings, DEFAULT_BETAS).scenarios
    const nu = packed.underlyings.length
    let worst = 0
    scenarios.forEach((s, k) => {
      const out = allocateOutput(sc.n, nu, 1, book.length)
      out.detail = { pnlUsd: new Float64Array(book.length), taylorUsd: new Float64Array(book.length), liquidityUsd: new Float64Array(book.length) }
      revalueScenarios(packed.book, sc, k, k + 1, { liquidity: false, impactY: 1, groupId: new Float64Array(book.length), nGroups: 1 }, out)
      const dt = s.timeShiftDays / DAYS_PER_YEAR
      book.forEach((p, i) => {
        const u = packed.underlyings.indexOf(p.instrument.underlying)
        const spot = sc.spotShock[k * nu + u]!
        const m = p.inputs
        let sigma: number | undefined
        if (p.instrument.kind === 'option') {
          // The scenario's vol for this option, from the same rules the kernel applies (volShock.ts, smileSlice.ts).
          const t0 = m.T!
          const x0 = Math.log(m.underlying / p.instrument.strike!)
          const x1 = x0 + Math.log1p(spot) + s.basisShock * t0
          const slice = smiles[i]
          const base = m.sigma! + (s.vol.rule === 'sticky-moneyness' && slice ? smileVol(slice, -x1) - smileVol(slice, -x0) : 0)
          const ts = s.vol.termScaling
          const size = s.vol.byUnderlying[p.instrument.underlying] ?? s.vol.size
          sigma = shockVol(base, t0 * DAYS_PER_YEAR, size, s.vol.mode === 'relative', ts?.refDays ?? 0, ts?.powerShort ?? 0, ts?.powerLong ?? 0, ts?.splitDays ?? 0, s.vol.floor / 100)
        }
        const shock = { spot, sigma, dtYears: dt, atExpiry: s.atExpiry, basis: s.basisShock, funding: (s.fundingRate8h ?? 0) * 3 * s.timeShiftDays }
        const scalar = revaluePosition(p.instrument, p.quantity, p.entryPrice ?? null, m, shock).valueUsd - revaluePosition(p.instrument, p.quantity, p.entryPrice ?? null, m).valueUsd
        const kernel = out.detail!.pnlUsd[i]!
        const notional = Math.abs(p.quantity) * (p.instrument.quantityUnit === 'usd' ? 1 : m.index)
        const diff = Math.abs(scalar - kernel)
        worst = Math.max(worst, diff / notional)
        if (!(diff <= 1e-9 * notional + 1e-9)) expect.fail(`${s.name}, position ${i} (${p.instrument.kind} ${p.instrument.settlement}): scalar ${scalar}, kernel ${kernel}`)
      })
    })
    console.log(`scalar pricer vs kernel: largest difference ${worst.toExponential(2)} × notional over ${scenarios.length} scenarios × 10,000 positions`)
    expect(worst).toBeLessThan(1e-9)
  })
})
