/**
 * The startPosition chain replay on hand-built fills (Hyperliquid conventions: docs "Entry price and PnL":
 * closedPnl of a long's close = size × (px − entry)). Every expected figure is worked in the comments.
 */
import { describe, expect, it } from 'vitest'
import { D } from '../../../src/main/domain/trades/decimal'
import { replayStartPositionChain, type ChainFill } from '../../../src/main/domain/trades/startPositionReplay'

const fill = (line: number, side: 1 | -1, size: string, price: string, start: string, closedPnl = '0', tx = `t${line}`): ChainFill => ({
  ts: line * 1000, side, size: new D(size), price: new D(price), startPosition: new D(start), closedPnl: new D(closedPnl), fee: new D('0.1'), tx, line,
})

describe('replayStartPositionChain', () => {
  it('a long opened before the window: entry unknown, then implied by the first close', () => {
    // Start long 2 (entry not in the window). Add 1 @ 110: still unknown (2 × ? + 110). Close 1 @ 120 with closedPnl 15:
    // entry = 120 − 15 / 1 = 105 (the venue's average of the 3). Position 2 left at 105.
    const r = replayStartPositionChain([fill(1, 1, '1', '110', '2'), fill(2, -1, '1', '120', '3', '15')])
    expect(r).toMatchObject({ startPosition: '2', position: '2', entryPrice: '105', entrySource: 'implied', realizedPnl: '15', fees: '0.2', breaks: [] })
  })

  it('nothing reduces it: the entry stays unknown', () => {
    const r = replayStartPositionChain([fill(1, -1, '1', '50', '-3')])
    expect(r).toMatchObject({ position: '-4', entryPrice: null, entrySource: 'unknown' })
  })

  it('through zero the rest opens at the fill price; a self-trade pair nets to nothing; a gap is a break', () => {
    // Short 1 (unknown entry) → buy 3 @ 100: closes the 1 and opens long 2 at 100. Self-trade legs (same tx, size, price,
    // both stating start 2): no change. Add 2 @ 120 → 4 at (2×100 + 2×120)/4 = 110. Next fill states start 5: break (4 expected).
    const r = replayStartPositionChain([
      fill(1, 1, '3', '100', '-1', '-2'),
      fill(2, 1, '0.5', '101', '2', '0', 'self'),
      fill(3, -1, '0.5', '101', '2', '0', 'self'),
      fill(4, 1, '2', '120', '2'),
      fill(5, -1, '1', '130', '5', '20'),
    ])
    expect(r.selfTrades).toBe(1)
    expect(r.breaks).toEqual([{ index: 4, line: 5, expected: '4', stated: '5' }])
    // After the break the entry is unknown again; the close of 1 @ 130 with closedPnl 20 implies 130 − 20 = 110.
    expect(r).toMatchObject({ position: '4', entryPrice: '110', entrySource: 'implied', realizedPnl: '18' })
  })
})
