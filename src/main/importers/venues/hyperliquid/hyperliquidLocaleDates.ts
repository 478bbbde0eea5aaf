/**
 * The dates of Hyperliquid's UI CSV exports follow the browser's locale: `06/01/2025 - 17:38:42`,
 * `9/18/2025 - 14:59:56`, `25/09/2025 13:33:06` (research note defi-hedging-var-reports.md §1c). The order of
 * day and month is read from the file when one of its dates proves it (a first number above 12 is a day, a
 * second above 12 is a day), else it must be stated (`--date-order`); a file that proves both orders, or one
 * that contradicts the order stated, is refused. Times carry no zone: the UTC offset must be stated.
 */
import type { DateOrder } from '../../core/formatTypes'

const DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+-\s+|\s+)(\d{1,2}):(\d{2}):(\d{2})$/

export interface LocaleDate {
  a: number
  b: number
  year: number
  hour: number
  minute: number
  second: number
}

/** The parts of `06/01/2025 - 17:38:42`, or null when the text is not of that shape. */
export function splitLocaleDate(text: string): LocaleDate | null {
  const m = DATE_RE.exec(text.trim())
  if (!m) return null
  const [a, b, year, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  return { a, b, year, hour, minute, second }
}

/** What the dates prove: day-first, month-first, both (contradictory), or nothing (every number ≤ 12). */
export function provenOrder(dates: readonly LocaleDate[]): DateOrder | 'both' | null {
  const dayFirst = dates.some((d) => d.a > 12)
  const monthFirst = dates.some((d) => d.b > 12)
  return dayFirst && monthFirst ? 'both' : dayFirst ? 'day-first' : monthFirst ? 'month-first' : null
}

/** ms UTC of a locale date read in `order` at a UTC offset in minutes; null for an impossible date (31/02). */
export function localeDateMs(d: LocaleDate, order: DateOrder, offsetMinutes: number): number | null {
  const [day, month] = order === 'day-first' ? [d.a, d.b] : [d.b, d.a]
  if (month < 1 || month > 12 || day < 1 || d.hour > 23 || d.minute > 59 || d.second > 59) return null
  const ms = Date.UTC(d.year, month - 1, day, d.hour, d.minute, d.second)
  if (new Date(ms).getUTCDate() !== day) return null
  return ms - offsetMinutes * 60_000
}
