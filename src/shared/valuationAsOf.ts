/**
 * The valuation as-of a user may ask for (`--as-of` in the CLI, the valuation-time picker in the app): which
 * stored market data a book is valued against.
 *
 *  - omitted: the book's own time — the market as it was when the book was last imported (its positions,
 *    logs or balances): the latest snapshot at or before that instant;
 *  - `latest`: every stored snapshot up to now;
 *  - `YYYY-MM-DD`: data known by the end of that UTC day (snapshots up to 23:59:59.999 UTC); margin tables
 *    in force that day;
 *  - an ISO-8601 instant with a zone (`2020-05-14T06:00:00Z`, `…+02:00`): data up to that instant.
 * A time in the future is refused (nothing can be known of it); so is an impossible date (30 February).
 */
import { z } from 'zod'

export type AsOfSpec =
  | { kind: 'latest' }
  | { kind: 'date'; date: string; cutoffMs: number }
  | { kind: 'instant'; cutoffMs: number }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/

const realDate = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/** Reads an as-of text; null when it is none of the accepted forms (module comment). */
export function parseAsOf(text: string): AsOfSpec | null {
  const t = text.trim()
  if (t.toLowerCase() === 'latest') return { kind: 'latest' }
  const d = DATE.exec(t)
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])]
    if (!realDate(y, m, day)) return null
    return { kind: 'date', date: t, cutoffMs: Date.UTC(y, m - 1, day + 1) - 1 }
  }
  const i = INSTANT.exec(t)
  if (i) {
    const [y, m, day, hh, mm, ss] = [1, 2, 3, 4, 5, 6].map((k) => Number(i[k] ?? 0)) as [number, number, number, number, number, number]
    if (!realDate(y, m, day) || hh > 23 || mm > 59 || ss > 59) return null
    const ms = Date.parse(t)
    return Number.isFinite(ms) ? { kind: 'instant', cutoffMs: ms } : null
  }
  return null
}

export const AS_OF_EXPECTED = 'latest, a calendar date YYYY-MM-DD or an instant with a zone such as 2020-05-14T06:00:00Z'

/** The as-of field of API requests: validated here, resolved against the clock by the valuation service. */
export const valuationAsOf = z
  .string()
  .max(64)
  .refine((s) => parseAsOf(s) !== null, { error: (iss) => `as-of "${String(iss.input)}": expected ${AS_OF_EXPECTED}` })
