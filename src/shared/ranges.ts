/**
 * The documented range of every kind of number Riskdesk accepts, in one place: files (importers), CLI
 * options, scenario files and API inputs all check against these, so a number is either finite and
 * meaningful for its field or refused with its range in the message (issue 12, item 3).
 *
 * Why these bounds: a float64 holds ~15–17 significant digits and overflows past 1.8e308, so a value must
 * leave room for the products the engine forms (quantity × price × shock) without reaching ±∞. Prices stay
 * below 1e12 (no crypto asset has traded within nine orders of magnitude of that in USD or coin);
 * quantities and money below 1e15 (the whole supply of SHIB, the largest-supply token held in units, is
 * ~5.9e14). Non-zero values smaller than the field's smallest meaningful amount (1e-18, an ETH wei; 1e-12
 * for prices) are refused: `1e-400` would be stored as non-zero text but price as 0.
 */
import { z } from 'zod'

/** One field kind's range: `min`…`max` in `unit`, each end open or closed, and the smallest non-zero size. */
export interface NumberRange {
  /** What the number is, for messages (`a price`, `the horizon`). */
  what: string
  unit: string
  min: number
  max: number
  /** True: `min` itself is allowed. */
  minInclusive: boolean
  maxInclusive: boolean
  /** Smallest non-zero magnitude that means something (0: no such floor). */
  smallest: number
}

const range = (what: string, unit: string, min: number, max: number, minInclusive: boolean, maxInclusive: boolean, smallest = 0): NumberRange => ({
  what,
  unit,
  min,
  max,
  minInclusive,
  maxInclusive,
  smallest,
})

/** The ranges, by field kind. Units as the field states them (a price in its instrument's price unit). */
export const RANGES = {
  /** A price, mark, index, strike or forward in its quote unit (USD, or coin for coin-quoted options). */
  price: range('a price', 'in its quote unit', 0, 1e12, false, false, 1e-12),
  /** A price that may be 0 (an entry premium, an average price of a flat position). */
  priceOrZero: range('a price', 'in its quote unit', 0, 1e12, true, false, 1e-12),
  /** A signed quantity (coin, contracts or USD face value). */
  quantity: range('a quantity', 'in its unit', -1e15, 1e15, false, false, 1e-18),
  /** Any other signed amount from a file: balances, fees, funding, P&L, margin. */
  amount: range('an amount', 'in its currency', -1e15, 1e15, false, false, 1e-18),
  /** An implied volatility, vol points (80 = 80 %). */
  ivPoints: range('an implied volatility', 'vol points', 0, 1000, false, true, 1e-6),
  /** A spot shock as entered on the CLI, percent (−50 = −50 %). */
  spotShockPercent: range('a spot shock', '%', -100, 1000, false, true),
  /** A spot shock as stored in a scenario, relative (−0.3 = −30 %). */
  spotShock: range('a spot shock', '(relative: −0.3 = −30 %)', -1, 10, false, true),
  /** An absolute vol shock, vol points. */
  volShockPoints: range('a vol shock', 'vol points', -1000, 1000, true, true),
  /** A relative vol shock (0.5 = +50 % of the current vol). */
  volShockRelative: range('a relative vol shock', '(fraction of the vol)', -1, 10, true, true),
  /** A vol floor, vol points. */
  volPoints: range('a vol', 'vol points', 0, 1000, true, true),
  /** Days that pass (a horizon, a scenario's time shift). */
  horizonDays: range('a horizon', 'days', 0, 3650, true, true),
  /** Leverage (IM = notional ÷ leverage). */
  leverage: range('leverage', '×', 0, 1000, false, true),
  /** Square-root impact coefficient Y (research note §5.2: order 1). */
  impactY: range('the impact coefficient Y', '', 0, 10, true, true),
  /** Daily volatility as a decimal (0.03 = 3 % a day). */
  dailyVol: range('a daily volatility', '(decimal: 0.03 = 3 %)', 0, 1, false, true),
  /** A beta of one underlying's move on another's (ETH on BTC: 1.1). */
  beta: range('a beta', '', -10, 10, true, true),
  /** A half bid/ask spread as a fraction of the price (0.0005 = 5 bp). */
  halfSpread: range('a half spread', '(fraction of the price)', 0, 1, true, false),
  /** Daily traded volume, USD. */
  volumeUsd: range('a daily volume', 'USD', 0, 1e15, false, false, 1e-12),
  /** Daily traded volume, coin. */
  dailyVolumeCoin: range('a daily volume', 'coin', 0, 1e15, false, false, 1e-18),
  /** How far a venue's oracle is behind the market, seconds (up to a day: beyond it the venue is halted, not lagging). */
  oracleLagSeconds: range('an oracle lag', 'seconds', 0, 86_400, true, true),
  /** How long a scenario's market move takes, seconds (the oracle-lag path: the move is linear over it). */
  moveSeconds: range('a move duration', 'seconds', 0, 86_400, false, true),
  /** A venue mark's gap to its oracle, percent (+1 = the mark 1 % above the oracle). */
  markGapPercent: range('a mark-vs-oracle gap', '%', -50, 50, true, true),
  /** The USD value of one USD stablecoin in a scenario (0.97 = a 3 % de-peg). */
  stablecoinUsd: range('a stablecoin value', 'USD per coin', 0, 2, false, true),
} satisfies Record<string, NumberRange>

/** Cells a spot × vol grid may hold (a scenario set's limit, scenario.ts). */
export const MAX_GRID_CELLS = 20_000

/** `1e12` style text of a bound: plain up to 1e6, exponent beyond. */
function bound(x: number): string {
  if (x === 0) return '0'
  const a = Math.abs(x)
  if (a >= 1e6 || a < 1e-4) return x.toExponential().replace('e+', 'e')
  return String(x)
}

/** The range in words: `greater than 0 and below 1e12 (in its quote unit)`. */
export function rangeText(r: NumberRange): string {
  const lo = `${r.minInclusive ? 'at least' : 'greater than'} ${bound(r.min)}`
  const hi = `${r.maxInclusive ? 'at most' : 'below'} ${bound(r.max)}`
  const unit = r.unit === '' ? '' : ` ${r.unit}`
  const small = r.smallest > 0 ? ` (non-zero values from ${bound(r.smallest)})` : ''
  return `${lo} and ${hi}${unit}${small}`
}

/**
 * Why `x` is outside `r`, as a sentence naming the range, or null when it is inside.
 * @param nonZeroWritten the text had a non-zero digit before its exponent (so a 0 here is an underflow)
 */
export function rangeProblem(x: number, r: NumberRange, nonZeroWritten = x !== 0): string | null {
  const expected = `expected ${r.what} ${rangeText(r)}`
  if (Number.isNaN(x)) return `${expected}: found no number`
  if (!Number.isFinite(x)) return `${expected}: the value is too large to compute with`
  if (nonZeroWritten && x === 0) return `${expected}: the value is too small to mean anything (it would be stored as non-zero but compute as 0)`
  if (nonZeroWritten && Math.abs(x) < r.smallest) return `${expected}: the value is too small to mean anything (below ${bound(r.smallest)})`
  const belowMin = r.minInclusive ? x < r.min : x <= r.min
  const aboveMax = r.maxInclusive ? x > r.max : x >= r.max
  return belowMin || aboveMax ? expected : null
}

/**
 * The range check for a decimal text (`1e309`, `-0.5`, `1e-400`): its float64 value must be inside `r`, and a
 * text with a non-zero digit must not round to 0 or below `r.smallest`.
 */
export function decimalTextProblem(text: string, r: NumberRange): string | null {
  const x = Number(text)
  let nonZero = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 101 || c === 69) break
    if (c >= 49 && c <= 57) {
      nonZero = true
      break
    }
  }
  return rangeProblem(x, r, nonZero)
}

/** A zod number inside `r`, refused with the range in the message. */
export function numberIn(r: NumberRange) {
  return z.number({ message: `expected ${r.what}: a number` }).superRefine((x, ctx) => {
    const problem = rangeProblem(x, r)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })
}

/**
 * Reads a number typed by a user (CLI option) and checks it against `r`.
 * @returns the number, or the reason it is refused (naming the range)
 */
export function parseNumberIn(text: string, r: NumberRange): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim()
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return { ok: false, message: `expected ${r.what} ${rangeText(r)}; got "${shorten(text, 40)}"` }
  const problem = decimalTextProblem(t, r)
  return problem === null ? { ok: true, value: Number(t) } : { ok: false, message: `${problem}; got "${shorten(text, 40)}"` }
}

/** Text cut to `max` characters with "…" (values echoed in messages; a 1 MB field is not printed whole). */
export function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
