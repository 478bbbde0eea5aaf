/**
 * Field readers for exchange exports, fast enough for a million rows (plain regular expressions, no
 * schema library in the hot path). Each returns the value or records an issue naming file, line, column,
 * the value found and the expected form. Amounts stay decimal strings (DESIGN.md §4).
 *
 * What they accept (research note exchange-formats.md, "pitfalls"):
 *  - plain decimals `-1.5`, `0.0425`, `1e-8`;
 *  - quoted thousands separators `"28,931.88"` (groups of exactly three digits; `1,5` is refused, since a
 *    decimal comma would be a guess);
 *  - a unit suffix where the column allows one: `0.29528919 USDC`, `0.01612653BNB`, `-104.97 USDT`;
 *  - `--` (Bybit) and an empty field for "no value" where the column allows it.
 */
import { decimalTextProblem, RANGES, type NumberRange } from '../../../shared/ranges'
import type { ImportIssue } from './importIssue'

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const THOUSANDS_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/
const SUFFIX_RE = /^([+-]?[\d.,]+(?:[eE][+-]?\d+)?)\s*([A-Za-z][A-Za-z0-9]*)$/

export const EMPTY_MARKERS = new Set(['', '--'])

/** True for plain decimal text (what DESIGN.md calls a decimal string). */
export function isDecimalText(s: string): boolean {
  return DECIMAL_RE.test(s)
}

/** Where a field came from, for messages. */
export interface FieldAt {
  file: string
  line: number
  /** Column label, e.g. `Price (5)`. */
  column: string
}

export type IssueSink = (i: ImportIssue) => void

/** The number part of an amount, without unit, or null when it is no number (thousands allowed). */
function numberPart(raw: string): string | null {
  if (DECIMAL_RE.test(raw)) return raw
  if (THOUSANDS_RE.test(raw)) return raw.replaceAll(',', '')
  return null
}

export interface AmountOptions {
  /** Accept and return a unit suffix (`0.29 USDC`). */
  unit?: boolean
  /** Accept `--` / empty as null. */
  optional?: boolean
  /** Refuse negative values (prices, sizes). */
  nonNegative?: boolean
  /** Refuse zero and negative values. */
  positive?: boolean
  /** The field's documented range (shared/ranges.ts); default RANGES.amount (|x| < 1e15, non-zero ≥ 1e-18). */
  range?: NumberRange
}

/**
 * Reads an amount. Returns `{value, unit}` (value as written, thousands separators removed; unit null when
 * none), null for an allowed empty field, or undefined after reporting an issue.
 */
export function readAmount(raw: string, at: FieldAt, issue: IssueSink, o: AmountOptions = {}): { value: string; unit: string | null } | null | undefined {
  if (DECIMAL_RE.test(raw)) return checkSign(raw, null, raw, at, issue, o)
  if (EMPTY_MARKERS.has(raw)) {
    if (o.optional) return null
    issue({ ...at, value: raw, message: 'expected a number, found an empty field' })
    return undefined
  }
  let value = numberPart(raw)
  let unit: string | null = null
  if (value === null && o.unit) {
    const m = SUFFIX_RE.exec(raw)
    if (m) {
      value = numberPart(m[1]!)
      unit = m[2]!.toUpperCase()
    }
  }
  if (value === null) {
    issue({
      ...at,
      value: raw,
      message: `expected a decimal number such as -1.5 or 28,931.88${o.unit ? ' (optionally with a unit: 0.29 USDC)' : ''}`,
    })
    return undefined
  }
  return checkSign(value, unit, raw, at, issue, o)
}

function checkSign(value: string, unit: string | null, raw: string, at: FieldAt, issue: IssueSink, o: AmountOptions) {
  // A digit 1–9 anywhere (negative: `-` and not all zeros) and before any exponent (zero: none there).
  let nonZeroDigit = false
  let nonZeroMantissa = false
  let inExponent = false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 101 || c === 69) inExponent = true
    else if (c >= 49 && c <= 57) {
      nonZeroDigit = true
      if (!inExponent) nonZeroMantissa = true
    }
  }
  const negative = value.charCodeAt(0) === 45 && nonZeroDigit
  const zero = !nonZeroMantissa
  if (o.positive && (negative || zero)) {
    issue({ ...at, value: raw, message: 'expected a number greater than 0' })
    return undefined
  }
  if (o.nonNegative && negative) {
    issue({ ...at, value: raw, message: 'expected a number of 0 or more' })
    return undefined
  }
  // Finite and meaningful: 1e309 would be ±∞ and 1e-400 a non-zero text that computes as 0.
  const problem = decimalTextProblem(value, o.range ?? RANGES.amount)
  if (problem !== null) {
    issue({ ...at, value: raw, message: problem })
    return undefined
  }
  return { value, unit }
}

/** Reads a required decimal with no unit. Returns the text or undefined after reporting. */
export function readDecimal(raw: string, at: FieldAt, issue: IssueSink, o: Omit<AmountOptions, 'unit' | 'optional'> = {}): string | undefined {
  const r = readAmount(raw, at, issue, o)
  return r === null ? undefined : r?.value
}

/** Reads one of the allowed values (case-sensitive as the venue writes them), else reports them. */
export function readChoice<T extends string>(raw: string, allowed: readonly T[], at: FieldAt, issue: IssueSink): T | undefined {
  if ((allowed as readonly string[]).includes(raw)) return raw as T
  issue({ ...at, value: raw, message: `expected one of ${allowed.map((a) => (a === '' ? '(empty)' : a)).join(', ')}` })
  return undefined
}

/** Reads an integer of 10–19 digits, e.g. ms or µs since epoch or a venue sequence number. */
export function readInteger(raw: string, at: FieldAt, issue: IssueSink): number | undefined {
  if (/^\d{1,16}$/.test(raw)) return Number(raw)
  issue({ ...at, value: raw, message: 'expected a whole number' })
  return undefined
}

/** The negation of a plain decimal text (`0.5` → `-0.5`, `-2` → `2`; zero stays as written). */
export function negate(text: string): string {
  if (text.startsWith('-')) return text.slice(1)
  if (!/[1-9]/.test(text)) return text
  return text.startsWith('+') ? `-${text.slice(1)}` : `-${text}`
}
