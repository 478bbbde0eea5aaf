/** Number formatting for display: rounded at the edge, units shown by the caller. */
const cache = new Map<number, Intl.NumberFormat>()

export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  let f = cache.get(digits)
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    cache.set(digits, f)
  }
  return f.format(x)
}

export const pct = (x: number): string => `${x > 0 ? '+' : ''}${fmt(x * 100)}%`
export const volPts = (x: number): string => `${x > 0 ? '+' : ''}${fmt(x)} pts`
