/**
 * A historical episode on a hand-built book, P&L computed by hand.
 *
 * 2024-08-05 yen-carry unwind (historicalEpisodes.ts): BTC −15.1 %, ETH −21.4 %.
 * Book (marks = index): BTC-PERPETUAL long 100,000 USD face at 60,000; ETH_USDC-PERPETUAL short 10 ETH at
 * 3,000; 2 BTC spot (BTC_USDC) at 60,000.
 *  - perpetual: coin P&L = 100,000 × (1/60,000 − 1/50,940) = −0.296427… BTC; at the shocked index 50,940
 *    that is 100,000 × (50,940/60,000 − 1) = −15,100 USD;
 *  - ETH short: −10 × 3,000 × (−0.214) = +6,420 USD;
 *  - spot: 2 × 60,000 × (−0.151) = −18,120 USD;
 *  - total −26,800 USD. Vol shocks do not touch futures or spot.
 * In BTC (each line's value measured in its own coin): the perpetual's coin P&L −0.296427… BTC; the 2 BTC
 * held stay 2 BTC (0 BTC P&L).
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import { historicalSet } from '../../src/main/domain/stress/scenarioSets'
import { inputs, runKernel } from '../support/kernel'

describe('historical episode 2024-08-05 on a hand-built book', () => {
  it('gives the P&L computed by hand', () => {
    const episode = historicalSet().scenarios.find((s) => s.name.startsWith('2024-08-05'))!
    const r = runKernel(
      [
        { instrument: parseDeribitInstrument('BTC-PERPETUAL'), quantity: 100_000, inputs: inputs(60_000, 60_000) },
        { instrument: parseDeribitInstrument('ETH_USDC-PERPETUAL'), quantity: -10, inputs: inputs(3_000, 3_000) },
        { instrument: parseDeribitInstrument('BTC_USDC'), quantity: 2, inputs: inputs(60_000, 60_000) },
      ],
      [episode],
    )
    expect(r.perPosition(0)).toEqual([expect.closeTo(-15_100, 6), expect.closeTo(6_420, 6), expect.closeTo(-18_120, 6)])
    expect(r.out.pnlUsd[0]).toBeCloseTo(-26_800, 6)
    expect(r.coin(0, 'BTC')).toBeCloseTo(100_000 * (1 / 60_000 - 1 / 50_940), 12)
  })
})
