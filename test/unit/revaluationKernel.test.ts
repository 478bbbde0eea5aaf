/**
 * The revaluation kernel on hand-built books: every P&L against its closed form — inverse and linear futures
 * (coin P&L = face × (1/entry − 1/exit), the Deribit/BitMEX inverse contract specification), put-call parity,
 * funding, basis — and the vol floor, time decay to expiry, the NaN guard and the Taylor explain.
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import { black76 } from '../../src/main/domain/pricing/black76'
import { inputs, runKernel, scenario } from '../support/kernel'

const perp = parseDeribitInstrument('BTC-PERPETUAL')
const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
const put = parseDeribitInstrument('BTC-26JUN20-10000-P')
const linearPerp = parseDeribitInstrument('BTC_USDC-PERPETUAL')
const spot = parseDeribitInstrument('BTC_USDC')

describe('revaluation kernel: closed forms', () => {
  it('inverse perpetual with mark ≠ index: coin P&L by the closed form, valued at the shocked index', () => {
    const shocks = [-0.5, -0.1, 0, 0.2, 1]
    const r = runKernel([{ instrument: perp, quantity: -25_000, inputs: inputs(7466.79, 7476.65) }], shocks.map((s) => scenario({ spot: { shock: s } })))
    shocks.forEach((s, k) => {
      const exit = 7476.65 * (1 + s)
      const coin = -25_000 * (1 / 7476.65 - 1 / exit)
      expect(r.coin(k, 'BTC')).toBeCloseTo(coin, 13)
      expect(r.out.pnlUsd[k]).toBeCloseTo(coin * 7466.79 * (1 + s), 8)
      // A future's Taylor estimate is exact.
      expect(r.out.taylorUsd[k]).toBeCloseTo(r.out.pnlUsd[k]!, 8)
    })
  })

  it('linear perpetual and spot: USD P&L = quantity × price change', () => {
    const r = runKernel(
      [
        { instrument: linearPerp, quantity: 2.5, inputs: inputs(30_000, 30_010) },
        { instrument: spot, quantity: -1, inputs: inputs(30_000, 30_000) },
      ],
      [scenario({ spot: { shock: -0.3 } }), scenario({ spot: { shock: 0.1 } })],
    )
    expect(r.out.pnlUsd[0]).toBeCloseTo(2.5 * 30_010 * -0.3 + -1 * 30_000 * -0.3, 9)
    expect(r.out.pnlUsd[1]).toBeCloseTo(2.5 * 30_010 * 0.1 + -1 * 30_000 * 0.1, 9)
    // In BTC: the perpetual (no P&L held yet) is worth its USD P&L at the shocked index; 1 BTC sold short is
    // −1 BTC before and after (0 BTC P&L).
    expect(r.coin(0, 'BTC')).toBeCloseTo((2.5 * 30_010 * -0.3) / (30_000 * 0.7), 12)
  })

  it('an inverse call-put pair obeys put-call parity in every scenario, with vol shocks and time passing', () => {
    const m = inputs(9350, 9360, 0.8, 0.12)
    const scenarios = [-0.5, -0.2, 0, 0.3, 0.5].flatMap((s) =>
      [-30, 0, 40].flatMap((v) => [0, 10].map((d) => scenario({ spot: { shock: s }, vol: { size: v }, timeShiftDays: d }))),
    )
    const r = runKernel(
      [
        { instrument: call, quantity: 1, inputs: m },
        { instrument: put, quantity: -1, inputs: m },
      ],
      scenarios,
    )
    // Long call + short put = a forward in coin, (F − K)/F, whatever the vol or time: P&L = K·(1/F₀ − 1/F₁) coin.
    scenarios.forEach((sc, k) => expect(r.coin(k, 'BTC')).toBeCloseTo(10_000 * (1 / 9360 - 1 / (9360 * (1 + sc.spot.shock))), 10))
  })

  it('a zero scenario gives exactly zero P&L', () => {
    const r = runKernel(
      [
        { instrument: call, quantity: 3, inputs: inputs(9350, 9360, 0.8, 0.12) },
        { instrument: perp, quantity: 1000, inputs: inputs(9350, 9355) },
      ],
      [scenario({})],
    )
    expect(r.out.pnlUsd[0]).toBe(0)
    expect(r.out.taylorUsd[0]).toBe(0)
  })

  it('charges perpetual funding over the time shift: rate × 3 per day × days × position value', () => {
    // Long 10,000 USD face, funding 0.01 % per 8 h for 2 days at an unchanged price: 6 periods → 0.06 %.
    const r = runKernel([{ instrument: perp, quantity: 10_000, inputs: inputs(50_000, 50_000) }], [scenario({ timeShiftDays: 2, fundingRate8h: 0.0001 })])
    expect(r.coin(0, 'BTC')).toBeCloseTo(-(10_000 / 50_000) * 0.0006, 15)
    const linear = runKernel([{ instrument: linearPerp, quantity: -2, inputs: inputs(50_000, 50_000) }], [scenario({ timeShiftDays: 2, fundingRate8h: 0.0001 })])
    expect(linear.out.pnlUsd[0]).toBeCloseTo(2 * 50_000 * 0.0006, 9) // a short receives
  })

  it('moves a dated future by the basis shock e^(b·T) and leaves the perpetual alone', () => {
    const future = parseDeribitInstrument('BTC_USDC-25SEP20')
    const asOf = Date.parse('2020-06-27T08:00:00Z') // 90 days before expiry
    const r = runKernel(
      [
        { instrument: future, quantity: 1, inputs: inputs(9000, 9100, null, null, asOf) },
        { instrument: linearPerp, quantity: 1, inputs: inputs(9000, 9000, null, null, asOf) },
      ],
      [scenario({ basisShock: 0.1 })],
    )
    expect(r.perPosition(0)[0]).toBeCloseTo(9100 * (Math.exp(0.1 * (90 / 365)) - 1), 8)
    expect(r.perPosition(0)[1]).toBe(0)
  })
})

describe('revaluation kernel: vols and time', () => {
  const linearCall = { ...call, settlement: 'linear' as const, priceUnit: 'usd' as const }

  it('floors the shocked vol at the scenario floor', () => {
    const r = runKernel([{ instrument: linearCall, quantity: 1, inputs: inputs(9350, 9360, 0.5, 0.25) }], [scenario({ vol: { size: -200, floor: 1 } })])
    const base = black76({ type: 'call', F: 9360, K: 10_000, T: 0.25, sigma: 0.5 }).price
    const floored = black76({ type: 'call', F: 9360, K: 10_000, T: 0.25, sigma: 0.01 }).price
    expect(r.out.pnlUsd[0]).toBeCloseTo(floored - base, 9)
  })

  it('applies relative, term-scaled shocks: size × (30/DTE)^p (Deribit PM, BTC params, 7 DTE: IV 50 % → 88.7 %)', () => {
    // research/margin-and-stress.md §1.3 table: 7 DTE, (30/7)^0.30 = 1.5474, up factor 1.7737, 50 % → 88.7 %.
    const T = 7 / 365
    const r = runKernel(
      [{ instrument: linearCall, quantity: 1, inputs: inputs(10_000, 10_000, 0.5, T) }],
      [scenario({ vol: { size: 0.5, mode: 'relative', termScaling: { refDays: 30, powerShort: 0.3, powerLong: 0.13, splitDays: 30 }, floor: 0 } })],
    )
    const shocked = 0.5 * (1 + 0.5 * (30 / 7) ** 0.3)
    expect(shocked).toBeCloseTo(0.887, 3)
    const expected = black76({ type: 'call', F: 10_000, K: 10_000, T, sigma: shocked }).price - black76({ type: 'call', F: 10_000, K: 10_000, T, sigma: 0.5 }).price
    expect(r.out.pnlUsd[0]).toBeCloseTo(expected, 9)
  })

  it('values options past their expiry at intrinsic value, and "at expiry" for every option', () => {
    const m = inputs(10_000, 10_000, 0.8, 5 / 365)
    const r = runKernel(
      [{ instrument: linearCall, quantity: 1, inputs: m }],
      [scenario({ spot: { shock: 0.1 }, timeShiftDays: 30 }), scenario({ spot: { shock: 0.1 }, atExpiry: true })],
    )
    const v0 = black76({ type: 'call', F: 10_000, K: 10_000, T: 5 / 365, sigma: 0.8 }).price
    expect(r.out.pnlUsd[0]).toBeCloseTo(1000 - v0, 9)
    expect(r.out.pnlUsd[1]).toBeCloseTo(1000 - v0, 9)
  })

  it('moves underlyings by their beta to the driver unless given explicitly, and says when it assumed 1:1', () => {
    const eth = parseDeribitInstrument('ETH_USDC-PERPETUAL')
    const sol = parseDeribitInstrument('SOL_USDC-PERPETUAL')
    const r = runKernel(
      [
        { instrument: eth, quantity: 1, inputs: inputs(2000, 2000) },
        { instrument: sol, quantity: 1, inputs: inputs(100, 100) },
      ],
      [scenario({ spot: { driver: 'BTC', shock: -0.2 } }), scenario({ spot: { driver: 'BTC', shock: -0.2, byUnderlying: { ETH: -0.3 } } })],
    )
    expect(r.perPosition(0)[0]).toBeCloseTo(2000 * -0.2 * 1.1, 9) // default beta ETH/BTC 1.10
    expect(r.perPosition(0)[1]).toBeCloseTo(100 * -0.2, 9) // SOL: no beta → 1:1
    expect(r.perPosition(1)[0]).toBeCloseTo(2000 * -0.3, 9)
  })
})

describe('revaluation kernel: robustness and explain', () => {
  it('keeps a non-finite position out of the totals and counts it', () => {
    const r = runKernel(
      [
        { instrument: perp, quantity: 1000, inputs: inputs(10_000, 10_000) },
        { instrument: perp, quantity: 1000, inputs: inputs(10_000, Number.NaN) },
      ],
      [scenario({ spot: { shock: 0.1 } })],
    )
    expect(r.out.pnlUsd[0]).toBeCloseTo(1000 * 0.1, 9)
    expect(Array.from(r.out.badScenarios)).toEqual([0, 1])
  })

  it('explains small moves with the Taylor estimate and shows its error growing with the move', () => {
    const m = inputs(10_000, 10_000, 0.8, 2 / 365)
    const moves = [0.005, 0.02, 0.1, 0.3]
    const r = runKernel([{ instrument: call, quantity: 10, inputs: m }], moves.map((s) => scenario({ spot: { shock: s } })))
    const errors = moves.map((_, k) => Math.abs(r.out.pnlUsd[k]! - r.out.taylorUsd[k]!) / Math.max(Math.abs(r.out.pnlUsd[k]!), 1))
    expect(errors[0]).toBeLessThan(0.01)
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeGreaterThan(errors[k - 1]!)
  })
})

describe('revaluation kernel: sticky-moneyness', () => {
  it('moves a strike’s vol along the smile: σ₁ = σ₀ + σ_smile(ln K/F₁) − σ_smile(ln K/F₀)', async () => {
    const { sviTotalVariance } = await import('../../src/main/domain/pricing/volSurface/svi')
    const { packBook } = await import('../../src/main/engine/packBook')
    const { DEFAULT_LIQUIDITY } = await import('../../src/main/domain/stress/liquidityTable')
    // A put-skewed slice (ρ < 0), 0.1 years.
    const svi = { a: 0.04, b: 0.15, rho: -0.5, m: 0, s: 0.2 }
    const smile = { a: svi.a, b: svi.b, rho: svi.rho, m: svi.m, sigma: svi.s, T: 0.1, kLo: -1, kHi: 1 }
    const vol = (k: number) => Math.sqrt(sviTotalVariance(svi, k) / 0.1)
    const linearPut = { ...put, settlement: 'linear' as const, priceUnit: 'usd' as const, strike: 9000 }
    const position = { instrument: linearPut, quantity: 1, inputs: inputs(10_000, 10_000, 0.7, 0.1) }
    const sc = [scenario({ spot: { shock: -0.1 }, vol: { rule: 'sticky-moneyness' } }), scenario({ spot: { shock: -0.1 } })]
    const r = runKernel([position], sc)
    // Expected with the smile evaluated by volSurface/svi.ts (not the kernel's own code).
    const k0 = Math.log(9000 / 10_000)
    const k1 = Math.log(9000 / 9000)
    const sigma1 = 0.7 + vol(k1) - vol(k0)
    const v0 = black76({ type: 'put', F: 10_000, K: 9000, T: 0.1, sigma: 0.7 }).price
    expect(sigma1).toBeLessThan(0.7) // put skew: the strike is now at the money, where vol is lower
    // runKernel packs without a smile, so both scenarios are sticky-strike there…
    expect(r.out.pnlUsd[0]).toBeCloseTo(r.out.pnlUsd[1]!, 12)
    // …and with the smile the sticky-moneyness scenario uses σ₁.
    const packed = packBook([position], { liquidity: DEFAULT_LIQUIDITY, smile: () => smile })
    const { revalueScenarios } = await import('../../src/main/domain/stress/revaluationKernel')
    const { packScenarios } = await import('../../src/main/engine/packScenarios')
    const { allocateOutput } = await import('../../src/main/engine/stressPool')
    const { DEFAULT_BETAS } = await import('../../src/main/domain/stress/betaTable')
    const scenarios = packScenarios(sc, packed.underlyings, DEFAULT_BETAS).scenarios
    const out = allocateOutput(2, 1, 1, 1)
    revalueScenarios(packed.book, scenarios, 0, 2, { liquidity: false, impactY: 1, groupId: new Float64Array(1), nGroups: 1 }, out)
    expect(out.pnlUsd[0]).toBeCloseTo(black76({ type: 'put', F: 9000, K: 9000, T: 0.1, sigma: sigma1 }).price - v0, 9)
    expect(out.pnlUsd[1]).toBeCloseTo(black76({ type: 'put', F: 9000, K: 9000, T: 0.1, sigma: 0.7 }).price - v0, 9)
  })
})
