/**
 * Foundation must-show: the Greeks Riskdesk computes for every option of the real Deribit chain of
 * 2020-05-14 (shared/data/real/market/deribit_btc_option_chain_2020-05-14_schepal.csv) match the Greeks
 * Deribit itself reported in the same file. Independent source: Deribit's `greeks` column.
 * Tolerances (issue "Foundation"): delta 5e-4, gamma 1e-5 per USD, vega 0.005 USD per vol point.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { resolveInputs, type MarketQuote } from '../../src/main/domain/valuation/marketInputs'
import { positionGreeks } from '../../src/main/domain/valuation/positionGreeks'
import { readDeribitOptionChain } from '../../src/main/importers/venues/deribit/deribitOptionChain'
import { CHAIN_2020_05_14 } from '../support/paths'

describe('Greeks of the real 2020-05-14 Deribit chain', () => {
  const imported = readDeribitOptionChain('chain.csv', readFileSync(CHAIN_2020_05_14, 'utf8'))
  const market = imported.market!
  const quotes = new Map<string, MarketQuote>(
    market.quotes.map((q) => [
      q.instrument.name,
      {
        instrument: q.instrument.name,
        ts: q.ts,
        markPrice: Number(q.markPrice),
        markIv: q.markIv === null ? null : Number(q.markIv),
        underlyingPrice: Number(q.underlyingPrice),
        indexPrice: Number(q.indexPrice),
        source: q.source,
      },
    ]),
  )
  const view = { quotes, indices: new Map(market.indices.map((i) => [i.underlying, { price: Number(i.price), ts: i.ts }])) }
  const options = market.quotes.filter((q) => q.instrument.kind === 'option')

  it('covers all 310 options of the file', () => expect(options).toHaveLength(310))

  it('matches Deribit’s delta within 5e-4, gamma within 1e-5 and vega within 0.005 USD for every option', () => {
    const worst = { delta: 0, gamma: 0, vega: 0 }
    for (const q of options) {
      const inputs = resolveInputs(q.instrument, view)
      if (!inputs.ok) throw new Error(`${q.instrument.name}: ${inputs.reason}`)
      // One option (quantity 1 BTC): position Greeks are the per-unit Black-76 Greeks.
      const g = positionGreeks(q.instrument, 1, 0, inputs.inputs)
      const venue = q.venueGreeks!
      worst.delta = Math.max(worst.delta, Math.abs(g.delta - venue.delta!))
      worst.gamma = Math.max(worst.gamma, Math.abs(g.gamma - venue.gamma!))
      worst.vega = Math.max(worst.vega, Math.abs(g.vega - venue.vega!))
    }
    expect(worst.delta).toBeLessThan(5e-4)
    expect(worst.gamma).toBeLessThan(1e-5)
    expect(worst.vega).toBeLessThan(0.005)
  })
})
