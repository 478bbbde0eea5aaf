/**
 * Evenly spaced shock ranges (the axes of grids and curves).
 */
import type { Range } from '../../../shared/stressApi'

/**
 * The points of an inclusive range, from + i·step for i = 0 … ⌊(to − from)/step⌋, each rounded to 12
 * decimals so that −50 + 10·5 is 0 and not 7e-15. Unit: the range's own (percent or vol points).
 * @throws RangeError for a non-positive step or to < from.
 */
export function rangePoints(r: Range): number[] {
  if (!(r.step > 0)) throw new RangeError(`range step ${r.step}: expected > 0`)
  if (r.to < r.from) throw new RangeError(`range ${r.from}:${r.to}: expected from ≤ to`)
  const count = Math.floor((r.to - r.from) / r.step + 1e-9) + 1
  return Array.from({ length: count }, (_, i) => Math.round((r.from + i * r.step) * 1e12) / 1e12)
}
