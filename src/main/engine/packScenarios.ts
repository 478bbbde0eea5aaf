/**
 * Packs a scenario set into the structure-of-arrays layout of revaluationKernel.ts over shared memory,
 * resolving each scenario's spot and vol shock per underlying of the book (betas for underlyings that follow
 * the driver).
 */
import type { Scenario } from '../../shared/scenario'
import { resolveScenarioShock, type BetaTable } from '../domain/stress/betaTable'
import type { PackedScenarios } from '../domain/stress/revaluationKernel'
import { daysToYears } from '../domain/time'
import { sharedFloat64 } from './sharedArrays'

export interface PackedScenariosWithNotes {
  scenarios: PackedScenarios
  /** Assumptions made while resolving moves (e.g. an underlying without a beta moved 1:1), one sentence each. */
  assumptions: string[]
}

/**
 * @param underlyings the book's underlyings in its packing order
 * @throws RangeError when a resolved spot move is ≤ −100 %
 */
export function packScenarios(scenarios: readonly Scenario[], underlyings: readonly string[], betas: BetaTable): PackedScenariosWithNotes {
  const n = scenarios.length
  const nu = Math.max(underlyings.length, 1)
  const p = allocateScenarios(n, underlyings.length)
  const assumptions = new Set<string>()
  scenarios.forEach((sc, k) => {
    underlyings.forEach((u, j) => {
      const resolved = resolveScenarioShock(sc, u, betas)
      if (!(resolved.shock > -1)) throw new RangeError(`scenario "${sc.name}": ${u} would move ${resolved.shock * 100}%, expected more than −100%`)
      if (resolved.assumption) assumptions.add(resolved.assumption)
      p.spotShock[k * nu + j] = resolved.shock
      p.volSize[k * nu + j] = sc.vol.byUnderlying[u] ?? sc.vol.size
    })
    p.volRelative[k] = sc.vol.mode === 'relative' ? 1 : 0
    const ts = sc.vol.termScaling
    p.termRefDays[k] = ts?.refDays ?? 0
    p.termPowerShort[k] = ts?.powerShort ?? 0
    p.termPowerLong[k] = ts?.powerLong ?? 0
    p.termSplitDays[k] = ts?.splitDays ?? 0
    p.volFloor[k] = sc.vol.floor / 100
    p.stickyMoneyness[k] = sc.vol.rule === 'sticky-moneyness' ? 1 : 0
    p.dtYears[k] = daysToYears(sc.timeShiftDays)
    p.atExpiry[k] = sc.atExpiry ? 1 : 0
    p.basisShock[k] = sc.basisShock
    p.funding8h[k] = sc.fundingRate8h ?? 0
    p.spreadWidening[k] = sc.spreadWidening
  })
  return { scenarios: p, assumptions: [...assumptions] }
}

/** `n` neutral scenarios (every shock 0) for `underlyings` underlyings over shared memory, to be filled in. */
export function allocateScenarios(n: number, underlyings: number): PackedScenarios {
  const nu = Math.max(underlyings, 1)
  return {
    n,
    nUnderlyings: underlyings,
    spotShock: sharedFloat64(n * nu),
    volSize: sharedFloat64(n * nu),
    volRelative: sharedFloat64(n),
    termRefDays: sharedFloat64(n),
    termPowerShort: sharedFloat64(n),
    termPowerLong: sharedFloat64(n),
    termSplitDays: sharedFloat64(n),
    volFloor: sharedFloat64(n),
    stickyMoneyness: sharedFloat64(n),
    dtYears: sharedFloat64(n),
    atExpiry: sharedFloat64(n),
    basisShock: sharedFloat64(n),
    funding8h: sharedFloat64(n),
    spreadWidening: sharedFloat64(n),
  }
}
