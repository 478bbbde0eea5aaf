/**
 * SPAN 16-scenario scan risk against McMillan's worked example (S&P 500 futures and options), "Options as
 * a Strategic Investment", ch. 34, pp. 669–670, as reproduced in the research note §4.4 [S]: risk arrays are
 * profit-positive there; the extreme scenarios 15/16 are already weighted at 35%.
 *  - long 1 Dec 410 call: +460, −610, +2,640, +1,730, −1,270, −2,340, +5,210, +4,540, −2,540, −3,430,
 *    +8,060, +7,640, −3,380, −3,990, +3,130, −1,500 → requirement 3,990 (scenario 14);
 *  - long 1 future, scan range 10,000: 0, 0, ±3,330 … ±10,000, extremes ±7,000 (= 35% × 2 × 10,000);
 *  - covered write (long future + short call): −460, 610, 690, 1,600, −2,060, −990, 1,460, 2,130, −4,130,
 *    −3,240, 1,940, 2,360, −6,620, −6,010, 3,870, −5,500 → scanning risk 6,620 (scenario 13).
 * Scenario layout: CME SPAN risk-array scenarios (params `span.scenarios`).
 */
import { describe, expect, it } from 'vitest'
import { SPAN_STANDARD_SCENARIOS, selectAsOf } from '../../../src/main/domain/margin/params/index'
import { spanBlack76Revaluation, spanRequirement, spanScanRisk, type SpanMove } from '../../../src/main/domain/margin/span'

const scenarios = selectAsOf(SPAN_STANDARD_SCENARIOS, '2024-01-01').values.scenarios
const CALL = [460, -610, 2640, 1730, -1270, -2340, 5210, 4540, -2540, -3430, 8060, 7640, -3380, -3990, 3130, -1500]
const COVERED_WRITE = [-460, 610, 690, 1600, -2060, -990, 1460, 2130, -4130, -3240, 1940, 2360, -6620, -6010, 3870, -5500]

// McMillan's S&P future: 500 USD per index point, so a scan range of 10,000 USD is 20 points.
const MULTIPLIER = 500
const SCAN_POINTS = 20
const future = spanBlack76Revaluation(410, [{ kind: 'future', quantity: MULTIPLIER }])
/** The published call array as a revaluation: unweighted (the book's 15/16 entries are already × 35%). */
const call = (m: SpanMove) => CALL[m.scenario.number - 1]! / m.scenario.weight

describe('SPAN scan risk (McMillan)', () => {
  it('catalogue #20: long call alone → 3,990 (scenario 14: price down 3/3, vol down)', () => {
    const r = spanScanRisk({ priceScanRange: SCAN_POINTS, volScanRange: 0.05, revalue: call, scenarios })
    expect(r.scanRisk).toBeCloseTo(3_990, 9)
    expect(r.worstScenario).toBe(14)
    r.riskArray.forEach((loss, i) => expect(loss).toBeCloseTo(-CALL[i]!, 9))
  })

  it('long future alone: 0 at no move, ±3,330 (McMillan rounds to tens) per third, extremes weighted to ±7,000', () => {
    const r = spanScanRisk({ priceScanRange: SCAN_POINTS, volScanRange: 0.05, revalue: future, scenarios })
    expect(r.weightedPnl[0]).toBe(0)
    expect(r.weightedPnl[1]).toBe(0)
    expect(Math.abs(r.weightedPnl[2]! - 3_330)).toBeLessThanOrEqual(5)
    expect(Math.abs(r.weightedPnl[6]! - 6_670)).toBeLessThanOrEqual(5)
    expect(r.weightedPnl[10]).toBe(10_000)
    expect(r.weightedPnl[14]).toBeCloseTo(7_000, 9)
    expect(r.weightedPnl[15]).toBeCloseTo(-7_000, 9)
    expect(r.scanRisk).toBe(10_000)
    expect(r.worstScenario).toBe(13)
  })

  it('catalogue #19: covered write (future − call) → scanning risk 6,620 (scenario 13: down 3/3, vol up)', () => {
    const r = spanScanRisk({ priceScanRange: SCAN_POINTS, volScanRange: 0.05, revalue: (m) => future(m) - call(m), scenarios })
    expect(r.scanRisk).toBe(6_620)
    expect(r.worstScenario).toBe(13)
    // Every scenario within McMillan's rounding of the future's thirds to tens.
    r.weightedPnl.forEach((x, i) => expect(Math.abs(x - COVERED_WRITE[i]!)).toBeLessThanOrEqual(5))
  })

  it('scenario layout: 14 paired scenarios at 100%, two extremes of ±2 scan ranges at 35%', () => {
    expect(scenarios).toHaveLength(16)
    expect(scenarios.filter((s) => s.weight === 1)).toHaveLength(14)
    expect(scenarios[14]).toMatchObject({ number: 15, priceMove: 2, volMove: 0, weight: 0.35 })
    expect(scenarios[15]).toMatchObject({ number: 16, priceMove: -2, volMove: 0, weight: 0.35 })
  })

  it('Black-76 revaluation: a synthetic forward (long call − long put − future, same strike) has zero P&L in every scenario', () => {
    const opt = { strike: 400, sigma: 0.2, T: 0.25 }
    const rev = spanBlack76Revaluation(410, [
      { kind: 'option', quantity: MULTIPLIER, option: { type: 'call', ...opt } },
      { kind: 'option', quantity: -MULTIPLIER, option: { type: 'put', ...opt } },
      { kind: 'future', quantity: -MULTIPLIER },
    ], 1 / 365)
    const r = spanScanRisk({ priceScanRange: SCAN_POINTS, volScanRange: 0.05, revalue: rev, scenarios })
    r.weightedPnl.forEach((x) => expect(Math.abs(x)).toBeLessThan(1e-6))
    expect(r.scanRisk).toBeLessThan(1e-6)
  })

  it('combined requirement = max(scan + spread − credit, short option minimum) − net option value', () => {
    expect(spanRequirement({ scanRisk: 6_620, intraCommoditySpreadCharge: 100, interCommodityCredit: 200, shortOptionMinimum: 1_000 }).risk).toBe(6_520)
    expect(spanRequirement({ scanRisk: 500, shortOptionMinimum: 1_000, netOptionValue: 300 })).toEqual({ risk: 1_000, requirement: 700 })
  })
})
