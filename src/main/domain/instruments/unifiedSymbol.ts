/**
 * The canonical instrument id: the ccxt-style unified symbol `BASE/QUOTE:SETTLE[-YYMMDD[-STRIKE-C|P]]`.
 *
 * Source: ccxt Manual, "Contract naming conventions" (docs.ccxt.com, Manual → Markets → Contract naming);
 * research note exchange-formats.md § "ccxt unified Position". Examples:
 *  - `BTC/USDT`                   spot pair (no settle part);
 *  - `BTC/USDT:USDT`              linear perpetual (settled in the quote currency);
 *  - `BTC/USD:BTC`                inverse perpetual (quote ≠ settle);
 *  - `BTC/USD:BTC-200626`         inverse future expiring 2020-06-26 (UTC date of the expiry instant);
 *  - `BTC/USD:BTC-200626-9000-C`  inverse (coin-settled) call, strike 9000 in the quote currency.
 * Strikes are written as plain decimals (`0.625`, never exponent notation).
 */
import Decimal from 'decimal.js'
import type { InstrumentKind, OptionType } from '../../../shared/instrument'

export interface UnifiedSymbolParts {
  base: string
  quote: string
  /** Settlement currency; omitted for spot. */
  settle?: string
  /** Expiry instant, ms since epoch UTC (futures and options). */
  expiryMs?: number | null
  /** Strike in the quote currency (options). */
  strike?: number | string | null
  optionType?: OptionType | null
}

/** `YYMMDD` of an instant, in UTC. */
export function yymmdd(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`
}

/** Builds the unified symbol; see the module docstring for the shapes. */
export function unifiedSymbol(p: UnifiedSymbolParts): string {
  let s = `${p.base}/${p.quote}`
  if (p.settle === undefined) return s
  s += `:${p.settle}`
  if (p.expiryMs != null) s += `-${yymmdd(p.expiryMs)}`
  if (p.strike != null && p.optionType != null)
    s += `-${new Decimal(p.strike).toFixed()}-${p.optionType === 'call' ? 'C' : 'P'}`
  return s
}

export interface ParsedUnifiedSymbol {
  base: string
  quote: string
  settle: string | null
  kind: InstrumentKind
  /** `YYMMDD` as written; the venue decides the hour of the expiry. */
  expiryDate: string | null
  strike: string | null
  optionType: OptionType | null
}

const UNIFIED_RE = /^([A-Z0-9]+)\/([A-Z0-9]+)(?::([A-Z0-9]+)(?:-(\d{6})(?:-(\d+(?:\.\d+)?)-([CP]))?)?)?$/

/**
 * Parses a unified symbol. Returns null when `symbol` does not have the unified shape (the caller names the
 * file, line and expected form).
 */
export function parseUnifiedSymbol(symbol: string): ParsedUnifiedSymbol | null {
  const m = UNIFIED_RE.exec(symbol)
  if (!m) return null
  const [, base, quote, settle, date, strike, flag] = m
  const kind: InstrumentKind = settle === undefined ? 'spot' : date === undefined ? 'perpetual' : strike === undefined ? 'future' : 'option'
  return {
    base: base!,
    quote: quote!,
    settle: settle ?? null,
    kind,
    expiryDate: date ?? null,
    strike: strike ?? null,
    optionType: flag === undefined ? null : flag === 'C' ? 'call' : 'put',
  }
}

/** USD and the USD stablecoins whose prices Riskdesk labels `usd` (a stablecoin is not USD, but its unit is). */
export const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDE', 'DAI'])
