/**
 * The spot-shock × vol-shock grid: every spot shock combined with every vol shock.
 */
import type { Range } from '../../../shared/api'
import type { PackedScenarios } from './revaluationKernel'

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

export interface ScenarioGrid {
  /** Relative spot shocks as fractions (−0.5 = −50%), the grid's rows. */
  spotShocks: number[]
  /** Vol shocks in vol points, the grid's columns. */
  volShocks: number[]
  /** Row-major: scenario index = row × volShocks.length + column. */
  scenarios: PackedScenarios
}

/**
 * Builds the grid from a spot range in percent and a vol range in vol points.
 * @throws RangeError for an empty or invalid range.
 */
export function scenarioGrid(spotPercent: Range, volPoints: Range): ScenarioGrid {
  const spotShocks = rangePoints(spotPercent).map((p) => Math.round(p * 1e10) / 1e12)
  const volShocks = rangePoints(volPoints)
  const n = spotShocks.length * volShocks.length
  const spotShock = new Float64Array(n)
  const volShock = new Float64Array(n)
  spotShocks.forEach((s, i) =>
    volShocks.forEach((v, j) => {
      spotShock[i * volShocks.length + j] = s
      volShock[i * volShocks.length + j] = v / 100
    }),
  )
  return { spotShocks, volShocks, scenarios: { n, spotShock, volShock } }
}
