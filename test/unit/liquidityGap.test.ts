/**
 * Liquidity gap: the close-out cost of the square-root impact law Y·σ·√(Q/V) (research/margin-and-stress.md
 * §5.2, test case 24: σ_daily 3 %, Q/V 1 %, Y = 1 → 0.30 %; Q/V 4 % → 0.60 %) plus half-spread × widening.
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import type { LiquidityTable } from '../../src/main/domain/stress/liquidityTable'
import { linearCloseOutCost } from '../../src/main/domain/stress/liquidityTable'
import { inputs, runKernel, scenario } from '../support/kernel'

const table: LiquidityTable = {
  asOf: 'test',
  impactY: 1,
  rows: {
    BTC: { halfSpread: 0, optionHalfSpreadVolPoints: 2, futuresVolumeUsd: 1e9, optionsVolumeUsd: 2.5e7, dailyVol: 0.03 },
    '*': { halfSpread: 0, optionHalfSpreadVolPoints: 2, futuresVolumeUsd: 1e9, optionsVolumeUsd: 2.5e7, dailyVol: 0.03 },
  },
}

describe('liquidity-gap cost', () => {
  it('reproduces the square-root law: 0.30 % at Q/V = 1 %, 0.60 % at 4 % (size ×4 → impact ×2)', () => {
    const row = table.rows.BTC!
    expect(linearCloseOutCost(1e7, row, 1, 1) / 1e7).toBeCloseTo(0.003, 12)
    expect(linearCloseOutCost(4e7, row, 1, 1) / 4e7).toBeCloseTo(0.006, 12)
  })

  it('in the engine: grows with the square root of size, is zero when off, always reduces P&L', () => {
    const perp = parseDeribitInstrument('BTC_USDC-PERPETUAL')
    const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
    const sizes = [1, 4, 16, 64]
    const scenarios = [-0.3, 0, 0.2].flatMap((s) => [-20, 0, 30].map((v) => scenario({ spot: { shock: s }, vol: { size: v }, spreadWidening: 2 })))
    let previousRelative = 0
    for (const q of sizes) {
      const book = [
        { instrument: perp, quantity: q * 100, inputs: inputs(10_000, 10_000) },
        { instrument: call, quantity: -q * 50, inputs: inputs(10_000, 10_050, 0.7, 0.1) },
      ]
      const on = runKernel(book, scenarios, { liquidity: true, table })
      const off = runKernel(book, scenarios, { liquidity: false, table })
      scenarios.forEach((_, k) => {
        expect(off.out.liquidityUsd[k]).toBe(0)
        expect(on.out.liquidityUsd[k]).toBeGreaterThan(0)
        expect(on.out.pnlUsd[k]).toBeLessThan(off.out.pnlUsd[k]!)
        expect(off.out.pnlUsd[k]! - on.out.pnlUsd[k]!).toBeCloseTo(on.out.liquidityUsd[k]!, 6)
      })
      // Perpetual alone at an unchanged price: cost / notional = Y·σ·√(N/V) (no spread in this table).
      const alone = runKernel([book[0]!], [scenario({})], { liquidity: true, table })
      const notional = q * 100 * 10_000
      const relative = alone.out.liquidityUsd[0]! / notional
      expect(relative).toBeCloseTo(0.03 * Math.sqrt(notional / 1e9), 12)
      if (previousRelative > 0) expect(relative / previousRelative).toBeCloseTo(2, 12) // size ×4 → ×2
      previousRelative = relative
    }
  })
})
