/**
 * zod schemas for single CSV/JSON fields, each with an error message that says what form was expected.
 * Amounts stay decimal strings (decimal.js-normalised), never JS numbers (DESIGN.md §4).
 */
import Decimal from 'decimal.js'
import { parseISO } from 'date-fns/parseISO'
import { z } from 'zod'
import { decimalTextProblem, numberIn, RANGES, type NumberRange } from '../../../shared/ranges'

// Plain decimal notation, optional exponent; no hex, no Infinity/NaN, no thousands separators.
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** The field's range check (shared/ranges.ts) as a zod refinement on decimal text. */
function inRange(r: NumberRange) {
  return (s: string, ctx: z.RefinementCtx) => {
    const problem = decimalTextProblem(s, r)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  }
}

/** A decimal number written as text, in `r` (default: any amount, |x| < 1e15), returned normalised (`"+1.50"` → `"1.5"`). */
export function decimalTextIn(r: NumberRange) {
  return z
    .string()
    .regex(DECIMAL_RE, { message: 'expected a decimal number such as -1.5 or 0.0425' })
    .superRefine(inRange(r))
    .transform((s) => new Decimal(s).toString())
}

export const decimalText = decimalTextIn(RANGES.amount)

/** A price: > 0 and < 1e12 in its quote unit. */
export const priceText = decimalTextIn(RANGES.price)
/** A price that may be 0 (a mark of a worthless option). */
export const priceOrZeroText = decimalTextIn(RANGES.priceOrZero)
/** An implied volatility in vol points, > 0 and ≤ 1000. */
export const ivPointsText = decimalTextIn(RANGES.ivPoints)

/** A decimal number > 0. */
export const positiveDecimalText = decimalText.refine((s) => new Decimal(s).gt(0), {
  message: 'expected a number greater than 0',
})

const THOUSANDS_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/

/**
 * A decimal as spreadsheets and exchanges write it: plain, or with thousands separators in groups of
 * three (`"-20,000"`, `"9,455.5"`; a decimal comma such as `1,5` is refused, never guessed). Normalised.
 */
export function amountTextIn(r: NumberRange) {
  return z
    .string()
    .refine((s) => DECIMAL_RE.test(s) || THOUSANDS_RE.test(s), { message: 'expected a decimal number such as -1.5, 0.0425 or 28,931.88' })
    .transform((s) => s.replaceAll(',', ''))
    .superRefine(inRange(r))
    .transform((s) => new Decimal(s).toString())
}
export const amountText = amountTextIn(RANGES.amount)

/** A decimal number ≥ 0. */
export const nonNegativeDecimalText = decimalText.refine((s) => new Decimal(s).gte(0), {
  message: 'expected a number of 0 or more',
})

const ISO_WITH_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

/** What an instant field expects, in every message. */
export const INSTANT_EXPECTED = 'expected ISO-8601 with a time zone (2024-01-05T08:00:00Z or 2024-01-05T09:00:00+01:00) or ms since epoch'

/** ms since epoch of an ISO text with zone that is a real calendar date and time (date-fns parseISO refuses 2020-02-30), else null. */
function isoInstant(s: string): number | null {
  if (!ISO_WITH_ZONE_RE.test(s)) return null
  const ms = parseISO(s).getTime()
  return Number.isNaN(ms) ? null : ms
}

/** Why an instant text is refused: a time without zone, an impossible date, or another form. */
function instantProblem(s: string): string {
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s)) return `a time without a time zone would be a guess; ${INSTANT_EXPECTED}`
  if (ISO_WITH_ZONE_RE.test(s)) return `not a real date or time (e.g. 30 February); ${INSTANT_EXPECTED}`
  return INSTANT_EXPECTED
}

/**
 * An instant as ms since epoch (13 digits) or ISO-8601 with a time zone (`2020-05-14T05:41:00Z`);
 * returns ms since epoch UTC. A time without zone is refused: it would be a guess. So is a date that does
 * not exist (`2020-02-30`, which Date.parse would roll over to 1 March).
 */
export const instantText = z.string().transform((s, ctx) => {
  const ms = /^\d{13}$/.test(s) ? Number(s) : isoInstant(s)
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: instantProblem(s) })
    return z.NEVER
  }
  return ms
})

/** An optional instant: an empty field is null (one schema, so a bad value gets instantText's message, not a union's "Invalid input"). */
export const optionalInstantText = z.string().transform((s, ctx) => {
  if (s === '') return null
  const ms = /^\d{13}$/.test(s) ? Number(s) : isoInstant(s)
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: instantProblem(s) })
    return z.NEVER
  }
  return ms
})

/** A finite JSON number inside `r` (default: any amount, |x| < 1e15). */
export function jsonNumberIn(r: NumberRange = RANGES.amount) {
  return z.number({ message: 'expected a JSON number' }).pipe(numberIn(r))
}
export const finiteNumber = jsonNumberIn()
