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
 * Arithmetic: the position and the cash flow of the fills are exact (exact.ts: BigInt-scaled decimals):
 * flow = Σ −q·p (linear) or Σ q/p (inverse, each quotient rounded to 60 decimals). Realized P&L follows from
 * the average-cost identity — realized = flow + Q·avg (linear) or flow − Q/avg (inverse), with Q the final
 * position — so it needs the average only of the position still open. That average is path-dependent (each
 * partial close rescales the basis) and is carried in float64: relative error below 1e-12 even after a
 * million fills; it is reported to 12 significant digits and realized P&L to 10 decimals. The flow does not
 * depend on the order of the fills (addCashFlow), the position and its basis do (movePosition): a caller
 * that reads fills in file order can sum the flow as they come and move the position later in time order.
 * applyFill does both.
 * When the venue gives its own running position (Deribit `Position`, Bybit `Position`), every fill is
 * checked against it exactly and a difference is reported (a lost row, a wrong unit or a wrong order).
 */
import type { Instrument } from '../../../shared/instrument'
import { D, text } from './decimal'
import { abs, add, divide, EXACT_ZERO, ExactSum, equal, exactText, multiply, negate, sign, toDecimal, toExact, type Exact } from './exact'

/** A decimal as the replay accepts it: exact (exact.ts) or decimal.js. */
export type ReplayDecimal = Exact | D

export interface ReplayFill {
  /** ms since epoch UTC. */
  ts: number
  /** Signed, instrument quantity unit. */
  quantity: ReplayDecimal
  /** Instrument price unit (`priceCurrency`); > 0. */
  price: ReplayDecimal
  /** The same quantity and price as float64 (Number of the decimal text), for the average's basis; derived
   * from `quantity` and `price` when omitted. */
  quantityNumber?: number
  priceNumber?: number
  kind: 'trade' | 'delivery' | 'liquidation'
  /** The venue's position after this fill, when the file gives it. */
  positionAfter?: ReplayDecimal | null
  /** True when the venue's running position is unsigned (a size): compared in absolute value. */
  positionAfterUnsigned?: boolean
}

/** What moves the position (movePosition): a fill without its price, exact quantity and float64 shadows. */
export interface PositionMove {
  ts: number
  quantity: Exact
  quantityNumber: number
  priceNumber: number
  positionAfter: Exact | null
  positionAfterUnsigned: boolean
}

export interface ReplayState {
  instrument: Instrument
  inverse: boolean
  /** Signed, instrument quantity unit, exact. */
  quantity: Exact
  /** Exact cash flow of the fills: Σ −q·p (linear, price currency) or Σ q/p (inverse, coin). */
  flow: ExactSum
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
  return {
    instrument, inverse: isInverseMath(instrument), quantity: EXACT_ZERO, flow: new ExactSum(), basis: 0, quantityNumber: 0, fills: 0, openedAt: null,
    firstTs: null, lastTs: null,
  }
}

/**
 * Applies one fill (its cash flow and its move of the position). Returns null, or a message when the
 * venue's own position after the fill disagrees with the replay (the caller reports it with the fill's line).
 */
export function applyFill(s: ReplayState, f: ReplayFill): string | null {
  const quantity = toExact(f.quantity)
  const price = toExact(f.price)
  addCashFlow(s, quantity, price)
  return movePosition(s, {
    ts: f.ts,
    quantity,
    quantityNumber: f.quantityNumber ?? Number(exactText(quantity)),
    priceNumber: f.priceNumber ?? Number(exactText(price)),
    positionAfter: f.positionAfter == null ? null : toExact(f.positionAfter),
    positionAfterUnsigned: f.positionAfterUnsigned ?? false,
  })
}

/** Adds a fill's cash flow (−q·p linear, q/p inverse) to the state; independent of the order of fills. */
export function addCashFlow(s: ReplayState, quantity: Exact, price: Exact): void {
  if (quantity.units === 0n) return
  s.flow.add(s.inverse ? divide(quantity, price) : negate(multiply(quantity, price)))
}

/**
 * Adds the cash flow of an inverse fill whose coin value the venue settled itself (BitMEX rounds each lot's
 * value to a whole satoshi): `value` replaces q/p, signed like the quantity.
 * @throws Error for a linear instrument (its flow is −q·p, never rounded by a venue Riskdesk reads).
 */
export function addSettledFlow(s: ReplayState, value: Exact): void {
  if (!s.inverse) throw new Error(`a settled value is for inverse contracts; ${s.instrument.name} is linear`)
  if (value.units !== 0n) s.flow.add(value)
}

/**
 * Moves the position by one fill, in time order: the exact quantity, the float64 basis of the average and
 * when the position was opened. Returns null, or a message when the venue's own position after the fill
 * disagrees.
 */
export function movePosition(s: ReplayState, f: PositionMove): string | null {
  s.fills++
  s.firstTs ??= f.ts
  s.lastTs = f.ts
  const q = f.quantity
  if (q.units !== 0n) {
    const before = s.quantity
    const after = add(before, q)
    const p = f.priceNumber
    const qn = f.quantityNumber
    const beforeN = s.quantityNumber
    const afterSign = sign(after)
    const afterN = afterSign === 0 ? 0 : beforeN + qn
    const beforeSign = sign(before)
    if (beforeSign === 0 || beforeSign === sign(q)) {
      if (beforeSign === 0) s.openedAt = f.ts
      s.basis += s.inverse ? Math.abs(qn) / p : Math.abs(qn) * p
    } else if (afterSign === 0) {
      s.basis = 0
      s.openedAt = null
    } else if (afterSign === beforeSign) {
      s.basis *= Math.abs(afterN) / Math.abs(beforeN)
    } else {
      s.basis = s.inverse ? Math.abs(afterN) / p : Math.abs(afterN) * p
      s.openedAt = f.ts
    }
    s.quantity = after
    s.quantityNumber = afterN
  }
  if (f.positionAfter !== null) {
    const ours = f.positionAfterUnsigned ? abs(s.quantity) : s.quantity
    if (!equal(ours, f.positionAfter))
      return (
        `the file says the ${s.instrument.name} position after this row is ${exactText(f.positionAfter)}, the replay of the ` +
        `rows before it gives ${exactText(ours)} (a row missing, rows out of order, or the log does not start flat)`
      )
  }
  return null
}

/** Average entry of the open position as float64 (full precision), or null when flat. */
export function averageEntry(s: ReplayState): number | null {
  if (s.quantity.units === 0n || s.basis === 0) return null
  const size = Math.abs(Number(exactText(s.quantity)))
  return s.inverse ? size / s.basis : s.basis / size
}

/** The state as decimal strings. */
export function replayResult(s: ReplayState): ReplayResult {
  const avg = averageEntry(s)
  let realized = toDecimal(s.flow.value)
  if (avg !== null) {
    const a = new D(avg.toPrecision(17))
    const quantity = toDecimal(s.quantity)
    realized = s.inverse ? realized.minus(quantity.div(a)) : realized.plus(quantity.times(a))
  }
  return {
    instrument: s.instrument,
    quantity: exactText(s.quantity),
    averageEntry: avg === null ? null : text(new D(avg.toPrecision(12))),
    realizedPnl: text(realized.toDecimalPlaces(10)),
    pnlCurrency: pnlCurrencyOf(s.instrument),
    fills: s.fills,
    openedAt: s.openedAt,
    firstTs: s.firstTs,
    lastTs: s.lastTs,
  }
}
