import { describe, expect, it } from 'vitest'
import { rangePoints, scenarioGrid } from '../../src/main/domain/stress/scenarioGrid'

describe('scenario grid', () => {
  it('builds the default grid: 21 spot shocks × 9 vol shocks, exact decimal points', () => {
    const g = scenarioGrid({ from: -50, to: 50, step: 5 }, { from: -30, to: 50, step: 10 })
    expect(g.spotShocks).toHaveLength(21)
    expect(g.spotShocks[0]).toBe(-0.5)
    expect(g.spotShocks[10]).toBe(0)
    expect(g.spotShocks[13]).toBe(0.15)
    expect(g.volShocks).toEqual([-30, -20, -10, 0, 10, 20, 30, 40, 50])
    expect(g.scenarios.n).toBe(189)
    // row-major: scenario 2·9 + 3 is spot −40 %, vol 0 points (as a decimal)
    expect(g.scenarios.spotShock[21]).toBe(-0.4)
    expect(g.scenarios.volShock[21]).toBe(0)
    expect(g.scenarios.volShock[8]).toBe(0.5)
  })

  it('includes the end point only when the step lands on it', () => {
    expect(rangePoints({ from: 0, to: 1, step: 0.1 })).toHaveLength(11)
    expect(rangePoints({ from: 0, to: 1, step: 0.3 })).toEqual([0, 0.3, 0.6, 0.9])
    expect(() => rangePoints({ from: 1, to: 0, step: 1 })).toThrow(RangeError)
  })
})
