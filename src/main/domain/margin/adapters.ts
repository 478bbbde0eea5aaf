/**
 * Boundary helpers: from Riskdesk's stored positions and balances (decimal strings, DESIGN.md §4) to the
 * margin models' float64 inputs, and from results back to decimal strings rounded to a venue's precision.
 *
 * Decimal arithmetic (decimal.js) is used where the figures are exact money: balances of one currency are
 * summed exactly before the single conversion to float64, and results are rounded half-up at the edge
 * (`toMoneyString`). The models themselves run in float64 (account.ts explains why).
 */
import Decimal from 'decimal.js'
import type { Position } from '../../../shared/position'
import type { MarketInputs } from '../valuation/marketInputs'
import type { CollateralBalance, MarginPosition, PositionMarket } from './account'
import { MarginInputError } from './account'

/** A balance as importers deliver it. */
export interface BalanceRecord {
  currency: string
  /** Decimal string in the currency. */
  amount: string
  /** Optional haircut as a decimal string ("0.05"). */
  haircut?: string
}

/**
 * Parses a decimal string to a finite number.
 * @throws MarginInputError naming `what` for anything but a finite decimal.
 */
export function parseDecimal(value: string, what: string): number {
  let d: Decimal
  try {
    d = new Decimal(value)
  } catch {
    throw new MarginInputError(`${what} "${value}": expected a decimal number`)
  }
  if (!d.isFinite()) throw new MarginInputError(`${what} "${value}": expected a finite number`)
  return d.toNumber()
}

/**
 * Collateral from balances: amounts of the same currency summed exactly (decimal.js), then converted once.
 * @throws MarginInputError for a malformed amount or haircut, or two haircuts for one currency.
 */
export function collateralFromBalances(balances: readonly BalanceRecord[]): CollateralBalance[] {
  const sums = new Map<string, { amount: Decimal; haircut?: string }>()
  for (const b of balances) {
    const cur = b.currency.toUpperCase()
    let amt: Decimal
    try {
      amt = new Decimal(b.amount)
    } catch {
      throw new MarginInputError(`balance of ${b.currency} "${b.amount}": expected a decimal number`)
    }
    const prev = sums.get(cur)
    if (prev && b.haircut !== undefined && prev.haircut !== undefined && prev.haircut !== b.haircut)
      throw new MarginInputError(`two haircuts for ${cur}`)
    const entry: { amount: Decimal; haircut?: string } = { amount: prev ? prev.amount.plus(amt) : amt }
    const haircut = b.haircut ?? prev?.haircut
    if (haircut !== undefined) entry.haircut = haircut
    sums.set(cur, entry)
  }
  return [...sums.entries()].map(([currency, v]) => {
    const c: CollateralBalance = { currency, amount: v.amount.toNumber() }
    if (v.haircut !== undefined) c.haircut = parseDecimal(v.haircut, `haircut of ${currency}`)
    return c
  })
}

/** What the valuation layer resolves per position (valuation/marketInputs.ts). */
export type PositionInputs = Pick<MarketInputs, 'index' | 'underlying' | 'sigma' | 'T' | 'mark'>

/**
 * A stored position with its resolved market inputs as a margin position.
 * @param options.id default: the instrument name; options.leverage and options.isolatedMargin (decimal
 *   string, margin currency) as the venue reports them
 * @throws MarginInputError for malformed decimals.
 */
export function marginPositionFromPosition(
  position: Position,
  inputs: PositionInputs,
  options: { id?: string; leverage?: number; isolatedMargin?: string } = {},
): MarginPosition {
  const market: PositionMarket = {
    index: inputs.index,
    underlying: inputs.underlying,
    sigma: inputs.sigma,
    T: inputs.T,
  }
  if (position.instrument.kind === 'option') market.optionMark = inputs.mark
  const out: MarginPosition = {
    id: options.id ?? position.instrument.name,
    instrument: position.instrument,
    quantity: parseDecimal(position.quantity, `quantity of ${position.instrument.name}`),
    entryPrice: parseDecimal(position.entryPrice, `entry price of ${position.instrument.name}`),
    market,
  }
  if (options.leverage !== undefined) out.leverage = options.leverage
  if (options.isolatedMargin !== undefined) out.isolatedMargin = parseDecimal(options.isolatedMargin, `isolated margin of ${out.id}`)
  return out
}

/**
 * A float64 figure as a decimal string rounded half-up to `decimals` places (the venue's precision: 8 for
 * BTC, 2 for USDT prices, …). Non-finite values become `null` (e.g. a margin ratio with no equity).
 */
export function toMoneyString(x: number, decimals: number): string | null {
  if (!Number.isFinite(x)) return null
  return new Decimal(x).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals)
}
