/**
 * zod schemas for single CSV/JSON fields, each with an error message that says what form was expected.
 * Amounts stay decimal strings (decimal.js-normalised), never JS numbers (DESIGN.md §4).
 */
import Decimal from 'decimal.js'
import { z } from 'zod'

// Plain decimal notation, optional exponent; no hex, no Infinity/NaN, no thousands separators.
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** A decimal number written as text, returned normalised (`"+1.50"` → `"1.5"`). */
export const decimalText = z
  .string()
  .regex(DECIMAL_RE, { message: 'expected a decimal number such as -1.5 or 0.0425' })
  .transform((s) => new Decimal(s).toString())

/** A decimal number > 0. */
export const positiveDecimalText = decimalText.refine((s) => new Decimal(s).gt(0), {
  message: 'expected a number greater than 0',
})

const THOUSANDS_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/

/**
 * A decimal as spreadsheets and exchanges write it: plain, or with thousands separators in groups of
 * three (`"-20,000"`, `"9,455.5"`; a decimal comma such as `1,5` is refused, never guessed). Normalised.
 */
export const amountText = z
  .string()
  .refine((s) => DECIMAL_RE.test(s) || THOUSANDS_RE.test(s), { message: 'expected a decimal number such as -1.5, 0.0425 or 28,931.88' })
  .transform((s) => new Decimal(s.replaceAll(',', '')).toString())

/** A decimal number ≥ 0. */
export const nonNegativeDecimalText = decimalText.refine((s) => new Decimal(s).gte(0), {
  message: 'expected a number of 0 or more',
})

const ISO_WITH_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * An instant as ms since epoch (13 digits) or ISO-8601 with a time zone (`2020-05-14T05:41:00Z`);
 * returns ms since epoch UTC. A time without zone is refused: it would be a guess.
 */
export const instantText = z
  .string()
  .refine((s) => /^\d{13}$/.test(s) || (ISO_WITH_ZONE_RE.test(s) && !Number.isNaN(Date.parse(s))), {
    message: 'expected ISO-8601 with a time zone (2020-05-14T05:41:00Z) or ms since epoch',
  })
  .transform((s) => (/^\d{13}$/.test(s) ? Number(s) : Date.parse(s)))

/** A finite JSON number. */
export const finiteNumber = z.number({ message: 'expected a JSON number' }).refine(Number.isFinite, { message: 'expected a finite number' })
