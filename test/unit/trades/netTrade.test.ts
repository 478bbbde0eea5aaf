/**
 * netTrade: a trade netted into a one-way position by the venue's average-cost rule. Expected figures are
 * hand computations (written in each case), the instruments Deribit's own (parseDeribitInstrument).
 */
import { describe, expect, it } from 'vitest'
import { parseDeribitInstrument } from '../../../src/main/domain/instruments/deribitInstrument'
import { netTrade } from '../../../src/main/domain/trades/netTrade'

const perp = parseDeribitInstrument('BTC-PERPETUAL')
const call = parseDeribitInstrument('BTC-26JUN20-9000-C')

describe('netTrade', () => {
  it('averages inverse USD-face contracts harmonically: 30000 / (20000/9455.5 + 10000/9400)', () => {
    const n = netTrade(perp, { quantity: '20000', price: '9455.5' }, { quantity: '10000', price: '9400' })
    expect(n.quantity).toBe('30000')
    expect(Number(n.averageEntry)).toBeCloseTo(30000 / (20000 / 9455.5 + 10000 / 9400), 7)
    expect(n.realizedPnl).toBe('0')
  })

  it('closes an inverse position realizing q·(1/E − 1/P) in BTC: 20000 × (1/9000 − 1/10000) = 0.2222222222', () => {
    const n = netTrade(perp, { quantity: '20000', price: '9000' }, { quantity: '-20000', price: '10000' })
    expect(n).toMatchObject({ quantity: '0', averageEntry: null, pnlCurrency: 'BTC' })
    expect(Number(n.realizedPnl)).toBeCloseTo(0.2222222222, 10)
  })

  it('reduces a coin option position at its average and realizes in the price currency: 4 × (0.15 − 0.10) = 0.2 BTC', () => {
    const n = netTrade(call, { quantity: '10', price: '0.1' }, { quantity: '-4', price: '0.15' })
    expect(n).toMatchObject({ quantity: '6', pnlCurrency: 'BTC' })
    expect(Number(n.averageEntry)).toBe(0.1)
    expect(Number(n.realizedPnl)).toBeCloseTo(0.2, 12)
  })

  it('crossing zero opens the rest at the trade price: 10 @ 0.10 then −15 @ 0.12 → −5 @ 0.12, realized 10 × 0.02 = 0.2', () => {
    const n = netTrade(call, { quantity: '10', price: '0.1' }, { quantity: '-15', price: '0.12' })
    expect(n.quantity).toBe('-5')
    expect(Number(n.averageEntry)).toBe(0.12)
    expect(Number(n.realizedPnl)).toBeCloseTo(0.2, 12)
  })
})
