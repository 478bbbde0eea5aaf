/**
 * One trade netted into a one-way position, as a venue nets it: quantities add; the average entry and the
 * realized P&L follow the venue's average-cost rule of the replay (positionReplay.ts: linear Σ|q|·p / Σ|q|,
 * inverse USD-face contracts harmonic; reducing keeps the average, crossing zero opens the rest at the trade's
 * price). Used to net a what-if leg into the position it trades against (margin and exports).
 */
import type { Instrument } from '../../../shared/instrument'
import { exact } from './exact'
import { applyFill, newReplayState, replayResult } from './positionReplay'

export interface NettedPosition {
  /** Signed decimal string in the instrument's quantity unit; "0" when the trade closes the position. */
  quantity: string
  /** Average entry in the instrument's price unit (12 significant digits); null when flat. */
  averageEntry: string | null
  /** Realized P&L of the trade, decimal string in `pnlCurrency`. */
  realizedPnl: string
  /** The settlement coin (inverse) or the price currency (linear). */
  pnlCurrency: string
}

/**
 * @param position and trade: signed quantity and price as decimal strings in the instrument's units
 * @throws Error for a quantity or price that is not a decimal string
 */
export function netTrade(instrument: Instrument, position: { quantity: string; price: string }, trade: { quantity: string; price: string }): NettedPosition {
  const state = newReplayState(instrument)
  for (const f of [position, trade]) applyFill(state, { ts: 0, quantity: exact(f.quantity), price: exact(f.price), kind: 'trade' })
  const r = replayResult(state)
  return { quantity: r.quantity, averageEntry: r.averageEntry, realizedPnl: r.realizedPnl, pnlCurrency: r.pnlCurrency }
}
