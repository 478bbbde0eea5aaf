/**
 * How one cell is written to a CSV export, the same in the CLI (csv-stringify) and the app (ag-grid's own CSV
 * export): numbers as plain decimals (never exponent notation, so 1.2e-7 is written 0.00000012; the digits are
 * JavaScript's shortest round-trip form, so the number read back is the same float64), text that a spreadsheet
 * would run as a formula neutralised, empty for null. Times are already ISO-8601 UTC strings in the API.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is prefixed with a single quote, unless the whole cell is a number (`-12.5` stays a number).
 */

/** `x` written without exponent: 1e21 → "1000000000000000000000", -1.5e-7 → "-0.00000015". Non-finite → "". */
export function plainDecimal(x: number): string {
  if (!Number.isFinite(x)) return ''
  const s = String(x)
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)
  if (!m) return s
  const [, sign, lead, frac = '', expText] = m
  const digits = lead! + frac
  const exp = Number(expText)
  // The decimal point sits after `1 + exp` digits of `digits`.
  const point = 1 + exp
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const FORMULA_START = /^[=+\-@\t\r]/

/** Text made safe for a spreadsheet: a leading formula character gets a `'` unless the text is a number. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !NUMBER_TEXT.test(text.trim()) ? `'${text}` : text
}

/** One cell's CSV text: numbers plain, booleans true/false, null/undefined empty, text neutralised. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return plainDecimal(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return neutraliseFormula(String(value))
}

/** Header of the stress grid's first CSV column (rows: relative spot shocks), in the CLI and the app. */
export const STRESS_GRID_SPOT_HEADER = 'spot shock (relative)'
/** Header of a stress grid's CSV column for a vol shock in vol points: `P&L USD at vol +10 pts`. */
export const stressGridVolHeader = (volShock: number): string => `P&L USD at vol ${volShock > 0 ? '+' : ''}${plainDecimal(volShock)} pts`
