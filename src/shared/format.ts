/**
 * Number formatting and range parsing shared by the CLI and the renderer, so a figure reads the same in a
 * terminal, a grid and a report: numbers rounded at the edge with thousands separators (en-US), relative
 * shocks as signed percent, vol shocks as signed vol points, ranges written `FROM:TO:STEP`.
 *
 * A figure that rounds to zero never reads "-0" (Intl's `signDisplay: 'negative'`), and a count carries its
 * noun in the right number (`plural`).
 */
import { RANGES, rangeProblem, type NumberRange } from './ranges'
import type { Range } from './stressApi'

const formats = new Map<number, Intl.NumberFormat>()

/** `x` with `digits` decimals and thousands separators; `—` for null, undefined or a non-finite number; never "-0". */
export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  let f = formats.get(digits)
  if (!f)
    formats.set(
      digits,
      (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'negative' })),
    )
  return f.format(x)
}

/** `+` before a figure that reads above zero once rounded to `digits` (so nothing reads "+0"). */
const plusIf = (x: number, digits: number) => (Number(x.toFixed(digits)) > 0 ? '+' : '')

/** A relative move as signed percent with `digits` decimals: 0.05 → `+5%`, −0.3 → `-30%`, (−0.495, 1) → `-49.5%`. */
export const pct = (x: number, digits = 0): string => `${plusIf(x * 100, digits)}${fmt(x * 100, digits)}%`

/** A vol shock in vol points, signed, with `digits` decimals: 10 → `+10 pts`. */
export const volPts = (x: number, digits = 0): string => `${plusIf(x, digits)}${fmt(x, digits)} pts`

/**
 * The fewest decimals (0…`max`) that write every value of a series exactly once rounded, so labels of a fine
 * grid stay distinct: [−50, −49.5, −49] → 1 ("-49.5%" instead of a second "-50%"). Values are in the unit
 * the label shows (percent for a spot shock in %).
 */
export function decimalsFor(values: readonly number[], max = 4): number {
  for (let d = 0; d < max; d++) {
    const scale = 10 ** d
    if (values.every((v) => Math.abs(Math.round(v * scale) - v * scale) < 1e-6)) return d
  }
  return max
}

/** `n` and its noun in the right number: (1, 'position') → `1 position`, (2,170, 'position') → `2,170 positions`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${fmt(n)} ${Math.abs(n) === 1 ? singular : pluralForm}`
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/

/**
 * A decimal string (a quantity or a price as the API carries it, exact) with thousands separators and its
 * decimals kept as written: "-1234567.125" → `-1,234,567.125`; "-0" and "-0.00" lose the sign. Text that is
 * not a plain decimal (an exponent, say) is returned unchanged, never rounded through a float.
 */
export function fmtDecimal(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—'
  const m = DECIMAL.exec(text.trim())
  if (!m) return text
  const [, sign, int, frac] = m
  const grouped = int!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const zero = /^0*$/.test(int!) && /^0*$/.test(frac ?? '')
  return `${sign === '-' && !zero ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`
}

/** The most steps a range may hold (stressApi.ts `range` says the same). */
export const MAX_RANGE_STEPS = 10_000

/**
 * Reads `FROM:TO:STEP` (three finite numbers, STEP > 0, TO ≥ FROM, at most 10,000 steps; FROM and TO inside
 * `bounds` when given, e.g. RANGES.spotShockPercent).
 * @returns the range, or the reason it is not one (a sentence a user can act on)
 */
export function parseRange(text: string, bounds?: NumberRange): { ok: true; range: Range } | { ok: false; message: string } {
  const parts = text.trim().split(':')
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)))
  if (parts.length !== 3 || nums.some((x) => !Number.isFinite(x))) return { ok: false, message: `expected FROM:TO:STEP such as -50:50:5, got "${text.slice(0, 40)}"` }
  const [from, to, step] = nums as [number, number, number]
  if (!(step > 0)) return { ok: false, message: 'STEP must be greater than 0' }
  if (bounds) {
    const end = [from, to].map((x) => rangeProblem(x, bounds)).find((p) => p !== null)
    if (end) return { ok: false, message: `${end} (FROM ${from}, TO ${to})` }
  }
  if (to < from) return { ok: false, message: `TO must be at least FROM (FROM ${from}, TO ${to})` }
  if ((to - from) / step > MAX_RANGE_STEPS) return { ok: false, message: `more than ${MAX_RANGE_STEPS.toLocaleString('en-US')} steps: use a coarser STEP` }
  return { ok: true, range: { from, to, step } }
}

/**
 * Reads a number of days (`0`…`max`, decimals allowed), as the stress request's `horizonDays` takes it.
 * @returns the days, or the reason the text is not a number of days
 */
export function parseDays(text: string, max = RANGES.horizonDays.max): { ok: true; days: number } | { ok: false; message: string } {
  const t = text.trim()
  const n = t === '' ? NaN : Number(t)
  if (!Number.isFinite(n)) return { ok: false, message: `expected a number of days such as 7, got "${text.slice(0, 40)}"` }
  if (n < 0 || n > max) return { ok: false, message: `days must be 0…${fmt(max)}, got ${t}` }
  return { ok: true, days: n }
}
