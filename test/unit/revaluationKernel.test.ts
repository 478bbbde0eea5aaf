/**
 * The revaluation kernel on hand-built books: each P&L against its closed form (inverse and linear
 * futures: Hull, "Options, Futures and Other Derivatives", futures P&L; inverse contracts: coin P&L =
 * face × (1/entry − 1/exit), BitMEX/Deribit contract specifications), and the vol floor.
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import { black76 } from '../../src/main/domain/pricing/black76'
import { revalueScenarios } from '../../src/main/domain/stress/revaluationKernel'
import { scenarioGrid } from '../../src/main/domain/stress/scenarioGrid'
import { packBook, type EnginePosition } from '../../src/main/engine/packBook'

function run(positions: EnginePosition[], spot: number[], vol: number[]) {
  const { book, underlyings } = packBook(positions)
  const n = spot.length
  const scenarios = { n, spotShock: Float64Array.from(spot), volShock: Float64Array.from(vol) }
  const usd = new Float64Array(n)
  const coin = new Float64Array(n * underlyings.length)
  revalueScenarios(book, scenarios, 0, n, 0.01, usd, coin)
  return { usd, coin, underlyings }
}

const inputs = (index: number, underlying: number, sigma: number | null = null, T: number | null = null) => ({
  index,
  underlying,
  sigma,
  T,
  mark: underlying,
  markSource: 'test',
  asOfMs: 0,
})

describe('revaluation kernel', () => {
  it('inverse perpetual with mark ≠ index: coin P&L by the closed form, valued at the shocked index', () => {
    const perp = parseDeribitInstrument('BTC-PERPETUAL')
    const shocks = [-0.5, -0.1, 0, 0.2, 1]
    const r = run([{ instrument: perp, quantity: -25_000, inputs: inputs(7466.79, 7476.65) }], shocks, shocks.map(() => 0))
    shocks.forEach((s, i) => {
      const exit = 7476.65 * (1 + s)
      const coin = -25_000 * (1 / 7476.65 - 1 / exit)
      expect(r.coin[i]).toBeCloseTo(coin, 13)
      expect(r.usd[i]).toBeCloseTo(coin * 7466.79 * (1 + s), 8)
    })
  })

  it('linear perpetual and spot: USD P&L = quantity × price change', () => {
    const linear = parseDeribitInstrument('BTC_USDC-PERPETUAL')
    const spot = parseDeribitInstrument('BTC_USDC')
    const r = run(
      [
        { instrument: linear, quantity: 2.5, inputs: inputs(30_000, 30_010) },
        { instrument: spot, quantity: -1, inputs: inputs(30_000, 30_000) },
      ],
      [-0.3, 0.1],
      [0, 0],
    )
    expect(r.usd[0]).toBeCloseTo(2.5 * 30_010 * -0.3 + -1 * 30_000 * -0.3, 9)
    expect(r.usd[1]).toBeCloseTo(2.5 * 30_010 * 0.1 + -1 * 30_000 * 0.1, 9)
    expect(r.coin[0]).toBeCloseTo(r.usd[0]! / (30_000 * 0.7), 12)
  })

  it('inverse call-put pair obeys put-call parity in every scenario: C − P = (F − K)/F in coin', () => {
    const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
    const put = parseDeribitInstrument('BTC-26JUN20-10000-P')
    const grid = scenarioGrid({ from: -50, to: 50, step: 10 }, { from: -30, to: 30, step: 15 })
    const m = inputs(9350, 9360, 0.8, 0.12)
    const r = run(
      [
        { instrument: call, quantity: 1, inputs: m },
        { instrument: put, quantity: -1, inputs: m },
      ],
      Array.from(grid.scenarios.spotShock),
      Array.from(grid.scenarios.volShock),
    )
    // Long call + short put = a forward in coin: value (F − K)/F, so its P&L is K·(1/F₀ − 1/F₁) coin.
    grid.scenarios.spotShock.forEach((s, i) => {
      expect(r.coin[i]).toBeCloseTo(10_000 * (1 / 9360 - 1 / (9360 * (1 + s))), 10)
    })
  })

  it('floors the shocked vol at 1 point', () => {
    const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
    const r = run([{ instrument: { ...call, settlement: 'linear', priceUnit: 'usd' }, quantity: 1, inputs: inputs(9350, 9360, 0.5, 0.25) }], [0], [-2])
    const base = black76({ type: 'call', F: 9360, K: 10_000, T: 0.25, sigma: 0.5 }).price
    const floored = black76({ type: 'call', F: 9360, K: 10_000, T: 0.25, sigma: 0.01 }).price
    expect(r.usd[0]).toBeCloseTo(floored - base, 9)
  })
})
