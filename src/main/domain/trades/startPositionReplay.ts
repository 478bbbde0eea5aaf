/**
 * Replays the fills of one coin whose venue states each fill's position before it (Hyperliquid `userFills`:
 * `startPosition`), for a window of fills that need not start flat. Pure, exact (decimal.js).
 *
 * Conventions (Hyperliquid docs, "Trading → Entry price and PnL"; research note defi-hedging-var-reports.md §1):
 *  - sizes in the coin, signed (buy > 0); `startPosition` signed; `closedPnl` the venue's realized P&L of the
 *    fill in USDC, before fees (the fee is its own field);
 *  - the entry price is the average of the opening fills; a reduction keeps it; a fill through zero opens the
 *    rest at its price; flat forgets it;
 *  - chain: each fill's `startPosition` must equal the previous fill's start + its signed size. A self-trade
 *    (the account on both sides of one transaction: two fills with the same hash, size and price, opposite
 *    sides) is written with the same `startPosition` on both legs and nets to zero: it is taken as one step.
 *    Any other difference is a break: reported, and the replay continues from the stated start.
 *  - a window that starts with a position open (startPosition ≠ 0) has no known entry for it. The entry is then
 *    implied by the first reducing fill's closedPnl (entry = px − closedPnl ÷ closed size, for a long; + for a
 *    short) — `entrySource: 'implied'`; until then, and if nothing reduces it, it is unknown (`'unknown'`).
 *  - realized P&L of the window = Σ closedPnl (the venue's own: the opening price of a position opened before
 *    the window is not in the file, so Riskdesk cannot recompute it); fees = Σ fee.
 */
import { D } from './decimal'

export interface ChainFill {
  ts: number
  /** +1 buy, −1 sell. */
  side: 1 | -1
  /** > 0, coin. */
  size: D
  /** > 0, USD. */
  price: D
  /** Signed, coin: the position before this fill as the venue states it; null when the file does not say (UI CSV). */
  startPosition: D | null
  /** USDC, the venue's realized P&L of this fill. */
  closedPnl: D
  /** USDC paid (> 0). */
  fee: D
  /** Transaction id (hash) — identifies self-trade legs; '' when unknown. */
  tx: string
  line: number
}

export interface ChainBreak {
  /** Index of the fill in the list given. */
  index: number
  line: number
  /** What the fills before it give. */
  expected: string
  /** What the fill states. */
  stated: string
}

export interface ChainReplay {
  /** Signed position before the first fill ('0' when the window starts flat); null when unknown (no startPosition). */
  startPosition: string | null
  /** Signed position after the last fill; null when the start is unknown and the window does not start flat by its `dir`. */
  position: string | null
  /** Average entry of the open position, USD; null when flat or unknown. */
  entryPrice: string | null
  /** How the entry is known: from fills in the window, implied by closedPnl, or unknown (opened before the window). */
  entrySource: 'window' | 'implied' | 'unknown' | null
  /** ms UTC of the fill that opened the current position, when in the window. */
  openedAt: number | null
  realizedPnl: string
  fees: string
  fills: number
  selfTrades: number
  breaks: ChainBreak[]
}

/**
 * @param fills one coin's fills in time order (equal times in execution order)
 * @param startIfUnknown the start to assume when fills carry no startPosition: '0' when the caller knows the
 *   window starts flat, null to leave the position unknown
 */
export function replayStartPositionChain(fills: readonly ChainFill[], startIfUnknown: D | null = null): ChainReplay {
  const first = fills[0]
  const start = first?.startPosition ?? startIfUnknown
  let pos: D | null = start
  let entry: D | null = null
  let entrySource: ChainReplay['entrySource'] = start !== null && !start.isZero() ? 'unknown' : null
  let openedAt: number | null = null
  let realized = new D(0)
  let fees = new D(0)
  let selfTrades = 0
  const breaks: ChainBreak[] = []
  for (let i = 0; i < fills.length; i++) {
    const f = fills[i]!
    realized = realized.plus(f.closedPnl)
    fees = fees.plus(f.fee)
    if (f.startPosition !== null) {
      if (pos !== null && !pos.eq(f.startPosition)) {
        breaks.push({ index: i, line: f.line, expected: pos.toFixed(), stated: f.startPosition.toFixed() })
        // Fills are missing between: what happened to the entry is not known either.
        entry = null
        entrySource = f.startPosition.isZero() ? null : 'unknown'
        openedAt = null
      }
      pos = f.startPosition
    }
    const g = fills[i + 1]
    if (
      g && f.tx !== '' && g.tx === f.tx && g.side === -f.side && g.size.eq(f.size) && g.price.eq(f.price) &&
      f.startPosition !== null && g.startPosition !== null && g.startPosition.eq(f.startPosition)
    ) {
      realized = realized.plus(g.closedPnl)
      fees = fees.plus(g.fee)
      selfTrades++
      i++
      continue
    }
    if (pos === null) continue
    const q = f.size.times(f.side)
    const after = pos.plus(q)
    if (pos.isZero() || pos.isNegative() === q.isNegative()) {
      // Opening or adding: average in when the entry is known.
      if (pos.isZero()) {
        entry = f.price
        entrySource = 'window'
        openedAt = f.ts
      } else if (entry !== null) entry = entry.times(pos.abs()).plus(f.price.times(f.size)).div(after.abs())
    } else if (after.isZero() || after.isNegative() === pos.isNegative()) {
      // Reducing: the entry stays; an unknown one is implied by the venue's realized P&L of this close.
      if (entry === null && entrySource === 'unknown') {
        entry = f.price.minus(f.closedPnl.div(f.size).times(pos.isNegative() ? -1 : 1))
        entrySource = 'implied'
      }
      if (after.isZero()) {
        entry = null
        entrySource = null
        openedAt = null
      }
    } else {
      // Through zero: the rest opens at this price.
      entry = f.price
      entrySource = 'window'
      openedAt = f.ts
    }
    pos = after
  }
  return {
    startPosition: start === null ? null : start.toFixed(),
    position: pos === null ? null : pos.toFixed(),
    entryPrice: entry === null ? null : entry.toSignificantDigits(12).toFixed(),
    entrySource: pos === null || pos.isZero() ? null : entrySource,
    openedAt: pos === null || pos.isZero() ? null : openedAt,
    realizedPnl: realized.toFixed(),
    fees: fees.toFixed(),
    fills: fills.length,
    selfTrades,
    breaks,
  }
}
