/**
 * Replays fills in time order into a net position, an average entry price and realized P&L, by the venue
 * convention of the instrument. Pure and incremental (one small state per instrument), so a log of any
 * length replays in bounded memory.
 *
 * Conventions (research note exchange-formats.md; DESIGN.md §3):
 *  - quantities are signed (buy > 0, sell < 0) in the instrument's quantity unit: coin for linear contracts,
 *    spot and options, USD face for inverse futures and perpetuals;
 *  - average cost: opening fills average in; reducing keeps the average; a fill larger than the position
 *    closes it and opens the rest at its price; back at zero the average is forgotten; `openedAt` is the
 *    time of the fill that opened the current position;
 *  - linear (quantity in coin): average = Σ|q|·p / Σ|q| of the open position, in the price currency (USDT for
 *    BTCUSDT, BTC for a Deribit option quoted in BTC); closing c at p realizes c × (p − avg) × side;
 *  - inverse (quantity in USD face): the average is harmonic, avg = Σ|q| / Σ(|q|/p) (the venues average in
 *    1/price: BitMEX Inverse Perpetuals Guide, Deribit, Binance COIN-M); closing c at p realizes
 *    c × (1/avg − 1/p) × side, in the settlement coin;
 *  - delivery rows are fills at the delivery price; daily settlement (Deribit mark-to-market) is cash kept
 *    apart (accountTotals.ts), it moves neither the position nor this P&L.
 *
 * Arithmetic: the position and the cash flow of the fills are exact decimals (decimal.js): flow = Σ −q·p
 * (linear) or Σ q/p (inverse, a division at 50 significant digits). Realized P&L follows from the
 * average-cost identity — realized = flow + Q·avg (linear) or flow − Q/avg (inverse), with Q the final
 * position — so it needs the average only of the position still open. That average is path-dependent (each
 * partial close rescales the basis) and is carried in float64: relative error below 1e-12 even after a
 * million fills; it is reported to 12 significant digits and realized P&L to 10 decimals. This keeps a
 * million-fill replay to a few decimal operations per fill (DESIGN.md §4: no decimal.js in a hot loop
 * beyond what exactness needs).
 * When the venue gives its own running position (Deribit `Position`, Bybit `Position`), every fill is
 * checked against it exactly and a difference is reported (a lost row, a wrong unit or a wrong order).
 */
import type { Instrument } from '../../../shared/instrument'
import { D, text, ZERO } from './decimal'

export interface ReplayFill {
  /** ms since epoch UTC. */
  ts: number
  /** Signed, instrument quantity unit. */
  quantity: D
  /** Instrument price unit (`priceCurrency`); > 0. */
  price: D
  /** The same quantity and price as float64 (Number of the decimal text), for the average's basis; derived
   * from `quantity` and `price` when omitted. */
  quantityNumber?: number
  priceNumber?: number
  kind: 'trade' | 'delivery' | 'liquidation'
  /** The venue's position after this fill, when the file gives it. */
  positionAfter?: D | null
  /** True when the venue's running position is unsigned (a size): compared in absolute value. */
  positionAfterUnsigned?: boolean
}

export interface ReplayState {
  instrument: Instrument
  inverse: boolean
  /** Signed, instrument quantity unit, exact. */
  quantity: D
  /** Exact cash flow of the fills: Σ −q·p (linear, price currency) or Σ q/p (inverse, coin). */
  flow: D
  /** Float64 basis of the open position: Σ|q|·p (linear) or Σ|q|/p (inverse). */
  basis: number
  /** Float64 shadow of `quantity`, for the basis's rescaling ratios only. */
  quantityNumber: number
  fills: number
  openedAt: number | null
  firstTs: number | null
  lastTs: number | null
}

export interface ReplayResult {
  instrument: Instrument
  /** Net position, signed decimal string in the instrument's quantity unit ("0" when flat). */
  quantity: string
  /** Average entry price in the instrument's price unit, 12 significant digits; null when flat. */
  averageEntry: string | null
  /** Realized P&L in `pnlCurrency`, 10 decimals. */
  realizedPnl: string
  /** Linear: the price currency; inverse: the settlement coin. */
  pnlCurrency: string
  fills: number
  openedAt: number | null
  firstTs: number | null
  lastTs: number | null
}

/** True when the instrument averages and realizes in 1/price (USD-face inverse contracts). */
export function isInverseMath(instrument: Instrument): boolean {
  return instrument.quantityUnit === 'usd'
}

/** Currency of realized P&L: the settlement coin for inverse contracts, else the price currency (USDT, or BTC for a BTC-quoted option). */
export function pnlCurrencyOf(instrument: Instrument): string {
  return isInverseMath(instrument) ? instrument.settlementCurrency : instrument.priceCurrency
}

/** A flat position in `instrument`, ready for applyFill. */
export function newReplayState(instrument: Instrument): ReplayState {
  return { instrument, inverse: isInverseMath(instrument), quantity: ZERO, flow: ZERO, basis: 0, quantityNumber: 0, fills: 0, openedAt: null, firstTs: null, lastTs: null }
}

/**
 * Applies one fill. Returns null, or a message when the venue's own position after the fill disagrees
 * with the replay (the caller reports it with the fill's line).
 */
export function applyFill(s: ReplayState, f: ReplayFill): string | null {
  s.fills++
  s.firstTs ??= f.ts
  s.lastTs = f.ts
  const q = f.quantity
  if (!q.isZero()) {
    s.flow = s.inverse ? s.flow.plus(q.div(f.price)) : s.flow.minus(q.times(f.price))
    const before = s.quantity
    const after = before.plus(q)
    const p = f.priceNumber ?? f.price.toNumber()
    const qn = f.quantityNumber ?? q.toNumber()
    const beforeN = s.quantityNumber
    const afterN = after.isZero() ? 0 : beforeN + qn
    const valueOf = (size: number) => (s.inverse ? size / p : size * p)
    if (before.isZero() || before.isNegative() === q.isNegative()) {
      if (before.isZero()) s.openedAt = f.ts
      s.basis += valueOf(Math.abs(qn))
    } else if (after.isZero()) {
      s.basis = 0
      s.openedAt = null
    } else if (after.isNegative() === before.isNegative()) {
      s.basis *= Math.abs(afterN) / Math.abs(beforeN)
    } else {
      s.basis = valueOf(Math.abs(afterN))
      s.openedAt = f.ts
    }
    s.quantity = after
    s.quantityNumber = afterN
  }
  if (f.positionAfter != null) {
    const ours = f.positionAfterUnsigned ? s.quantity.abs() : s.quantity
    if (!ours.eq(f.positionAfter))
      return (
        `the file says the ${s.instrument.name} position after this row is ${text(f.positionAfter)}, the replay of the ` +
        `rows before it gives ${text(ours)} (a row missing, rows out of order, or the log does not start flat)`
      )
  }
  return null
}

/** Average entry of the open position as float64 (full precision), or null when flat. */
export function averageEntry(s: ReplayState): number | null {
  if (s.quantity.isZero() || s.basis === 0) return null
  const size = Math.abs(s.quantity.toNumber())
  return s.inverse ? size / s.basis : s.basis / size
}

/** The state as decimal strings. */
export function replayResult(s: ReplayState): ReplayResult {
  const avg = averageEntry(s)
  let realized = s.flow
  if (avg !== null) {
    const a = new D(avg.toPrecision(17))
    realized = s.inverse ? realized.minus(s.quantity.div(a)) : realized.plus(s.quantity.times(a))
  }
  return {
    instrument: s.instrument,
    quantity: text(s.quantity),
    averageEntry: avg === null ? null : text(new D(avg.toPrecision(12))),
    realizedPnl: text(realized.toDecimalPlaces(10)),
    pnlCurrency: pnlCurrencyOf(s.instrument),
    fills: s.fills,
    openedAt: s.openedAt,
    firstTs: s.firstTs,
    lastTs: s.lastTs,
  }
}
