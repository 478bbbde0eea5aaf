/**
 * Scenario sets against their definitions: the spot × vol grid, CME's 16 SPAN scenarios (CME "Components of
 * SPAN"; research/margin-and-stress.md §4.1), the Deribit-PM-style matrix (Deribit private/simulate example,
 * 2024-06; extended weights 0.16/|m| as Paradex publishes), historical episodes with sources, horizons.
 */
import { describe, expect, it } from 'vitest'
import { scenarioSchema } from '../../src/shared/scenario'
import { rangePoints } from '../../src/main/domain/stress/scenarioGrid'
import { gridSet, historicalSet, horizonsSet, pmSet, span16Set } from '../../src/main/domain/stress/scenarioSets'
import { deribitPmBtcParams } from '../../src/main/domain/margin/params/deribit'

describe('scenario sets', () => {
  it('grid: 21 spot × 9 vol shocks by default, row-major, exact decimal points', () => {
    const g = gridSet({ from: -50, to: 50, step: 5 }, { from: -30, to: 50, step: 10 })
    expect(g.grid!.spotShocks).toHaveLength(21)
    expect(g.grid!.spotShocks[13]).toBe(0.15)
    expect(g.grid!.volShocks).toEqual([-30, -20, -10, 0, 10, 20, 30, 40, 50])
    expect(g.scenarios).toHaveLength(189)
    expect(g.scenarios[2 * 9 + 3]).toMatchObject({ spot: { shock: -0.4 }, vol: { size: 0, mode: 'absolute' } })
    for (const s of g.scenarios.slice(0, 5)) expect(scenarioSchema.parse(s)).toEqual(s) // complete and valid
  })

  it('ranges include the end point only when the step lands on it', () => {
    expect(rangePoints({ from: 0, to: 1, step: 0.1 })).toHaveLength(11)
    expect(rangePoints({ from: 0, to: 1, step: 0.3 })).toEqual([0, 0.3, 0.6, 0.9])
    expect(() => rangePoints({ from: 1, to: 0, step: 1 })).toThrow(RangeError)
  })

  it('span16: 14 paired scenarios at 0, ±1/3, ±2/3, ±1 of the scan range with vol up/down, 2 extremes at 35 %', () => {
    const s = span16Set({ priceScanRange: 0.3, volScanRange: 25, extremeMultiple: 2, extremeWeight: 0.35 })
    expect(s.scenarios).toHaveLength(16)
    const moves = s.scenarios.map((x) => Math.round(x.spot.shock * 1e9) / 1e9)
    expect(moves).toEqual([0, 0, 0.1, 0.1, -0.1, -0.1, 0.2, 0.2, -0.2, -0.2, 0.3, 0.3, -0.3, -0.3, 0.6, -0.6])
    expect(s.scenarios.map((x) => x.vol.size)).toEqual([25, -25, 25, -25, 25, -25, 25, -25, 25, -25, 25, -25, 25, -25, 0, 0])
    expect(s.scenarios.map((x) => x.weight)).toEqual([...Array(14).fill(1), 0.35, 0.35])
  })

  it('pm: 9 price points × vol up/flat/down plus 8 extended moves weighted 0.16/|m|', () => {
    const s = pmSet(deribitPmBtcParams())
    expect(s.scenarios).toHaveLength(27 + 8)
    expect(s.scenarios.slice(0, 27).map((x) => Math.round(x.spot.shock * 1e6) / 1e6).filter((_, i) => i % 3 === 0)).toEqual([
      -0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16,
    ])
    const up = s.scenarios[0]!.vol
    expect(up).toMatchObject({ size: 0.5, mode: 'relative', floor: 50, termScaling: { refDays: 30, powerShort: 0.3, powerLong: 0.13 } })
    expect(s.scenarios[2]!.vol).toMatchObject({ size: -0.25, floor: 0 })
    // Paradex's published weights for a 16 % range: 24 %, 48 %, 32 %, 16 %, 8 %, 5.33 %, 4 %, 3.2 %.
    expect(s.scenarios.slice(27).map((x) => Math.round(x.weight * 10_000) / 10_000)).toEqual([0.2424, 0.4848, 0.32, 0.16, 0.08, 0.0533, 0.04, 0.032])
  })

  it('historical: five named episodes, each with BTC and ETH moves, an IV move and its source', () => {
    const h = historicalSet()
    expect(h.scenarios.map((s) => s.name.slice(0, 7))).toEqual(['2020-03', '2021-05', '2022-05', '2022-11', '2024-08'])
    for (const s of h.scenarios) {
      expect(s.spot.driver).toBe('BTC')
      expect(s.spot.shock).toBeLessThan(0)
      expect(s.spot.byUnderlying.ETH).toBeLessThan(0)
      expect(s.vol.size).toBeGreaterThan(0)
      expect(s.source.length).toBeGreaterThan(40)
      expect(scenarioSchema.parse(s)).toEqual(s)
    }
  })

  it('horizons: today, +1 day, +7 days and at expiry for every spot shock', () => {
    const h = horizonsSet({ from: -10, to: 10, step: 10 })
    expect(h.curves).toEqual({ spotShocks: [-0.1, 0, 0.1], horizons: [0, 1, 7, null] })
    expect(h.scenarios.map((s) => [s.timeShiftDays, s.atExpiry])).toEqual([
      [0, false], [0, false], [0, false], [1, false], [1, false], [1, false], [7, false], [7, false], [7, false], [0, true], [0, true], [0, true],
    ])
  })
})
