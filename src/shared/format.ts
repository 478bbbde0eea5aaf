/**
 * Number formatting and range parsing shared by the CLI and the renderer, so a figure reads the same in a
 * terminal, a grid and a report: numbers rounded at the edge with thousands separators (en-US), relative
 * shocks as signed percent, vol shocks as signed vol points, ranges written `FROM:TO:STEP`.
 */
import { rangeProblem, type NumberRange } from './ranges'
import type { Range } from './stressApi'

const formats = new Map<number, Intl.NumberFormat>()

/** `x` with `digits` decimals and thousands separators; `—` for null, undefined or a non-finite number. */
export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  let f = formats.get(digits)
  if (!f) formats.set(digits, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })))
  return f.format(x)
}

/** A relative move as signed percent: 0.05 → `+5%`, −0.3 → `-30%`. */
export const pct = (x: number): string => `${x > 0 ? '+' : ''}${fmt(x * 100)}%`

/** A vol shock in vol points, signed: 10 → `+10 pts`. */
export const volPts = (x: number): string => `${x > 0 ? '+' : ''}${fmt(x)} pts`

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
