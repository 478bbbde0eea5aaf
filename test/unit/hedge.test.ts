/**
 * The hedge's pure parts worked by hand: the CLI's target syntax, rounding to lots, and the reasons an LP has
 * no solution, in words. Every expected figure is computed in the comments.
 */
import { describe, expect, it } from 'vitest'
import { parseHedgeTargets } from '../../src/main/hosts/cli/commands/hedgeCommands'
import { unmovableTarget, unreachableTarget, type TargetWords } from '../../src/main/domain/hedge/hedgeExplain'
import { buildHedgeProgramme, referenceUnits, type HedgeCandidateColumns, type HedgeSide } from '../../src/main/domain/hedge/hedgeProblem'
import { lotChoices, roundHedge } from '../../src/main/domain/hedge/hedgeRounding'

const side = (greeks: number[], cost = 1, cap = Infinity): HedgeSide => ({ greeks, halfSpreadUsd: cost, feeUsd: 0, impactUsd: 0, cap, marginUsd: null })
const candidate = (label: string, buy: number[], cap = Infinity): HedgeCandidateColumns => ({
  label,
  account: 'deribit/main',
  buy: side(buy, 1, cap),
  sell: side(buy.map((g) => -g), 1, cap),
})
const target = (label: string, greekLabel: string, before: number, lower: number, upper: number): TargetWords => ({ label, greekLabel, underlying: 'BTC', before, lower, upper, digits: 0 })

describe('riskdesk hedge --target', () => {
  it('reads greeks, tenor buckets, underlyings, ± or +- and exact targets', () => {
    expect(parseHedgeTargets('delta=0±0.5,vega:7-30d=0+-500, BTC:deltaUsd=100,eth:gamma=-0.01±0.002,vega:>90d=0')).toEqual([
      { greek: 'delta', target: 0, band: 0.5 },
      { greek: 'vega', tenor: '7–30d', target: 0, band: 500 },
      { underlying: 'BTC', greek: 'deltaUsd', target: 100, band: 0 },
      { underlying: 'ETH', greek: 'gamma', target: -0.01, band: 0.002 },
      { greek: 'vega', tenor: '>90d', target: 0, band: 0 },
    ])
  })

  it('names the item and what was expected', () => {
    expect(() => parseHedgeTargets('theta=0±1')).toThrow(/"theta=0±1": unknown greek "theta"/)
    expect(() => parseHedgeTargets('delta:7-30d=0')).toThrow(/only vega targets take a tenor bucket/)
    expect(() => parseHedgeTargets('vega:1-2w=0')).toThrow(/unknown tenor "1-2w"/)
    expect(() => parseHedgeTargets('delta=0±-1')).toThrow(/the band must be ≥ 0/)
    expect(() => parseHedgeTargets('delta')).toThrow(/no "="/)
    expect(() => parseHedgeTargets('delta=x')).toThrow(/target "x" is not a number/)
  })
})

describe('rounding to lots', () => {
  it('lots below and above, signed; a whole lot stays', () => {
    // −93,471.8 USD of face in 10 USD contracts: 9,347 or 9,348 contracts.
    expect(lotChoices(-93_471.8, '10')).toEqual(['-93470', '-93480'])
    expect(lotChoices(59.396, '1')).toEqual(['59', '60'])
    expect(lotChoices(0.3, '1')).toEqual(['0', '1'])
    expect(lotChoices(120, '10')).toEqual(['120'])
    expect(lotChoices(0.123456789, null)).toEqual(['0.12345679'])
  })

  it('keeps the cheapest combination that meets every band', () => {
    // One option, vega 7 USD per coin, LP 2.5 coins from vega −20 into [−5, 5]: 2 coins → −6 (outside),
    // 3 coins → +1 (inside): 3, at 3 × 4 USD = 12 USD.
    const r = roundHedge([{ lpQuantity: 2.5, lot: '1', buy: { greeks: [7], costUsd: 4 }, sell: { greeks: [-7], costUsd: 4 } }], [{ before: -20, lower: -5, upper: 5 }])
    expect(r).toEqual({ quantities: ['3'], after: [1], met: [true], costUsd: 12 })
  })

  it('says which band rounding broke when no combination meets it', () => {
    // vega 7 per coin, LP 2.5 from −17.5 to exactly 0 with band 0: 2 → −3.5, 3 → +3.5, both outside by 3.5;
    // equal miss, so the cheaper (2 coins, 8 USD) wins.
    const r = roundHedge([{ lpQuantity: 2.5, lot: '1', buy: { greeks: [7], costUsd: 4 }, sell: { greeks: [-7], costUsd: 4 } }], [{ before: -17.5, lower: 0, upper: 0 }])
    expect(r.quantities).toEqual(['2'])
    expect(r.met).toEqual([false])
    expect(r.after[0]).toBeCloseTo(-3.5, 12)
  })
})

describe('the programme and its reasons', () => {
  it('builds buy and sell columns with their greeks, and the band rows relative to the book', () => {
    // Delta 3 into [−0.5, 0.5]: row bounds −3.5 … −2.5; a perpetual of delta 0.0001 per USD bought, −0.0001 sold.
    const p = buildHedgeProgramme([target('BTC delta', 'delta', 3, -0.5, 0.5)], [candidate('deribit BTC-PERPETUAL', [0.0001])], { maxCostUsd: 50 })
    expect(p.numCols).toBe(2)
    expect(p.numRows).toBe(2)
    expect([...p.rowLower]).toEqual([-3.5, -Infinity])
    expect([...p.rowUpper]).toEqual([-2.5, 50])
    expect([...p.starts]).toEqual([0, 2, 4])
    expect([...p.indices]).toEqual([0, 1, 0, 1])
    expect([...p.values]).toEqual([0.0001, 1, -0.0001, 1])
  })

  it('reference size for impact: the size that alone closes the widest gap it moves toward, capped', () => {
    // Gap of delta 3 → −0.5 … 0.5 is −2.5; a sell of −0.0001 per unit closes it with 25,000 units.
    expect(referenceUnits([-0.0001], [{ before: 3, lower: -0.5, upper: 0.5 }], Infinity)).toBeCloseTo(25_000, 6)
    expect(referenceUnits([-0.0001], [{ before: 3, lower: -0.5, upper: 0.5 }], 10_000)).toBe(10_000)
    expect(referenceUnits([0.0001], [{ before: 3, lower: -0.5, upper: 0.5 }], Infinity)).toBe(0)
  })

  it('a target no candidate moves, and a band out of reach within the caps', () => {
    const vega = target('BTC vega', 'vega', -147, -100, 100)
    expect(unmovableTarget([vega], [candidate('deribit BTC-PERPETUAL', [0])], 'perpetual')).toBe(
      'BTC vega cannot move with the allowed candidates (perpetual): none has vega; it is -147, the band is -100…100',
    )
    // Needs +47 of vega; one option of 7 per coin capped at 5 coins reaches 35.
    const capped = unreachableTarget([vega], [candidate('deribit BTC-29MAY20-9500-C', [7], 5)])
    expect(capped).toBe('BTC vega band -100…100 cannot be reached within the size caps: it is -147, and the candidates together can move it by at most 35 (47 needed)')
    expect(unreachableTarget([vega], [candidate('deribit BTC-29MAY20-9500-C', [7], 7)])).toBeNull()
  })
})
