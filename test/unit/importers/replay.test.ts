/**
 * The fill replay (domain/trades/positionReplay.ts), against positions, average entries and realized P&L
 * computed by hand in the comments. Conventions: average cost; linear P&L = size × (exit − avg);
 * inverse (USD face) P&L in coin = size × (1/avg − 1/exit), harmonic average entry.
 */
import { describe, expect, it } from 'vitest'
import { parseVenueInstrument } from '../../../src/main/domain/instruments/venueInstrument'
import { D } from '../../../src/main/domain/trades/decimal'
import { applyFill, newReplayState, replayResult } from '../../../src/main/domain/trades/positionReplay'

function replay(venue: string, name: string, fills: Array<[number, number | string, number | string]>, after?: Array<string | null>) {
  const s = newReplayState(parseVenueInstrument(venue, name))
  const problems = fills.map(([ts, q, p], i) =>
    applyFill(s, { ts, quantity: new D(q), price: new D(p), kind: 'trade', positionAfter: after?.[i] == null ? null : new D(after[i]!) }),
  )
  return { r: replayResult(s), problems }
}

describe('linear (BTCUSDT, quantity in coin, P&L in USDT)', () => {
  it('averages opening fills and realizes closes at the average', () => {
    // buy 0.010 @ 60000 and 0.030 @ 64000: avg = (600 + 1920) / 0.04 = 63000.
    // sell 0.020 @ 65000: realized = 0.02 × (65000 − 63000) = 40 USDT; 0.020 left at 63000.
    const { r } = replay('binance', 'BTCUSDT', [[1, '0.010', 60000], [2, '0.030', 64000], [3, '-0.020', 65000]])
    expect(r).toMatchObject({ quantity: '0.02', averageEntry: '63000', realizedPnl: '40', pnlCurrency: 'USDT', openedAt: 1 })
  })

  it('flips through zero: closes the position and opens the rest at the fill price', () => {
    // long 1 @ 100; sell 3 @ 110: closes 1 (realized +10), opens short 2 @ 110; buy 1 @ 90: realized += 1 × (110 − 90) = 20.
    const { r } = replay('binance', 'ETHUSDT', [[1, 1, 100], [2, -3, 110], [3, 1, 90]])
    expect(r).toMatchObject({ quantity: '-1', averageEntry: '110', realizedPnl: '30', openedAt: 2 })
  })

  it('forgets the average when flat and opens afresh', () => {
    const { r } = replay('binance', 'ETHUSDT', [[1, 2, 100], [2, -2, 120], [3, 1, 200]])
    // realized 2 × 20 = 40; new long 1 @ 200 opened at ts 3.
    expect(r).toMatchObject({ quantity: '1', averageEntry: '200', realizedPnl: '40', openedAt: 3 })
  })

  it('prices coin-quoted options in coin (Deribit BTC option: P&L in BTC)', () => {
    // buy 1 @ 0.1 BTC, sell 0.5 @ 0.15 BTC: realized 0.5 × 0.05 = 0.025 BTC.
    const { r } = replay('deribit', 'BTC-26JUN20-9000-C', [[1, 1, '0.1'], [2, '-0.5', '0.15']])
    expect(r).toMatchObject({ quantity: '0.5', averageEntry: '0.1', realizedPnl: '0.025', pnlCurrency: 'BTC' })
  })
})

describe('inverse (USD face, P&L in coin)', () => {
  it('averages in 1/price and realizes size × (1/avg − 1/exit)', () => {
    // buy 10,000 USD @ 8000 and 10,000 @ 12000: avg = 20,000 / (10,000/8000 + 10,000/12000) = 20,000 / (1.25 + 0.8333…) = 9600.
    // sell 4,800 @ 16000: realized = 4800 × (1/9600 − 1/16000) = 4800 × 1/24000 = 0.2 BTC; 15,200 USD left at 9600.
    const { r } = replay('deribit', 'BTC-PERPETUAL', [[1, 10000, 8000], [2, 10000, 12000], [3, -4800, 16000]])
    expect(r).toMatchObject({ quantity: '15200', averageEntry: '9600', realizedPnl: '0.2', pnlCurrency: 'BTC' })
  })

  it('realizes a short the other way round (COIN-M contracts × 100 USD)', () => {
    // sell 200 USD @ 40000 and 200 @ 60000: avg = 400 / (0.005 + 0.003333…) = 48000.
    // buy 300 @ 32000: realized = 300 × (1/32000 − 1/48000) = 300 / 96000 = 0.003125 BTC; −100 USD left at 48000.
    const { r } = replay('binance', 'BTCUSD_PERP', [[1, -200, 40000], [2, -200, 60000], [3, 300, 32000]])
    expect(r).toMatchObject({ quantity: '-100', averageEntry: '48000', realizedPnl: '0.003125', pnlCurrency: 'BTC' })
  })
})

describe('the venue’s own running position', () => {
  it('is checked exactly on every fill and a difference is reported', () => {
    const { problems } = replay('deribit', 'BTC-PERPETUAL', [[1, 10000, 8000], [2, 10000, 12000]], ['10000', '15000'])
    expect(problems[0]).toBeNull()
    expect(problems[1]).toMatch(/position after this row is 15000, the replay of the rows before it gives 20000/)
  })
})
