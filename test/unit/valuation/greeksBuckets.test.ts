/**
 * Greeks buckets on a hand-made book (figures chosen by hand; every expected value below is written out, not
 * computed by the code under test). Valuation instant 2020-05-14T08:00Z.
 *
 *  line                      expiry        tenor   strike   delta   gamma    vega   theta  value
 *  call 9000 (option)        2020-05-15    1 d     9000      0.5    0.001    10     -20     100
 *  put  9000 (option)        2020-05-22    8 d     9000     -0.3    0.002    12     -15      80
 *  call 10000 (option)       2020-06-26    43 d    10000     0.2    0.0005   30      -5     300
 *  future                    2020-09-25    134 d   —         1.5    0        0        0      20
 *  perpetual                 —             —       —        -2.0    0        0        0     -10
 *  BTC balance               —             —       —         3.0    0        0        0   27000
 *  USD balance (cash)        left out: no exposure
 *  option not valued         2020-05-22    8 d     9500     null: counted in `excluded`, not summed
 */
import { describe, expect, it } from 'vitest'
import type { PositionRow } from '../../../src/shared/api'
import { greeksBuckets } from '../../../src/main/domain/valuation/greeksBuckets'

const VALUATION = Date.parse('2020-05-14T08:00:00Z')
let id = 0
function row(p: Partial<PositionRow>): PositionRow {
  return {
    id: ++id, origin: 'position', venue: 'deribit', account: 'a', instrument: `I${id}`, underlying: 'BTC', kind: 'option', settlement: 'inverse',
    optionType: 'call', strike: null, expiry: null, quantity: '1', quantityUnit: 'coin', entryPrice: null, priceUnit: 'coin', markPrice: null,
    markSource: '', markIv: null, forward: null, indexPrice: 9000, marketValueUsd: null, valueUsd: 0, unrealizedPnlUsd: null,
    delta: 0, deltaPremiumAdjusted: 0, gamma: 0, vega: 0, theta: 0, error: null, ...p,
  }
}
const ROWS: PositionRow[] = [
  row({ strike: 9000, expiry: '2020-05-15T08:00:00.000Z', delta: 0.5, gamma: 0.001, vega: 10, theta: -20, valueUsd: 100 }),
  row({ strike: 9000, optionType: 'put', expiry: '2020-05-22T08:00:00.000Z', delta: -0.3, gamma: 0.002, vega: 12, theta: -15, valueUsd: 80 }),
  row({ strike: 10000, expiry: '2020-06-26T08:00:00.000Z', delta: 0.2, gamma: 0.0005, vega: 30, theta: -5, valueUsd: 300 }),
  row({ kind: 'future', optionType: null, expiry: '2020-09-25T08:00:00.000Z', delta: 1.5, valueUsd: 20 }),
  row({ kind: 'perpetual', optionType: null, delta: -2, valueUsd: -10 }),
  row({ origin: 'balance', kind: 'spot', optionType: null, delta: 3, valueUsd: 27000 }),
  row({ origin: 'balance', kind: 'spot', optionType: null, underlying: 'USD', delta: 0, valueUsd: 5000 }),
  row({ strike: 9500, expiry: '2020-05-22T08:00:00.000Z', delta: null, gamma: null, vega: null, theta: null, valueUsd: null, error: 'no quote' }),
]

describe('greeksBuckets', () => {
  it('by tenor: <7d holds the 1-day call alone; 7–30d the 8-day put (and the unvalued line, excluded); >90d the future', () => {
    const b = greeksBuckets(ROWS, 'tenor', VALUATION)
    expect(b.map((x) => x.bucket)).toEqual(['<7d', '7–30d', '30–90d', '>90d', 'no expiry'])
    expect(b[0]).toMatchObject({ lines: 1, excluded: 0, delta: 0.5, gamma: 0.001, vegaUsd: 10, thetaUsd: -20, valueUsd: 100 })
    expect(b[1]).toMatchObject({ lines: 2, excluded: 1, delta: -0.3, vegaUsd: 12 })
    expect(b[2]).toMatchObject({ lines: 1, vegaUsd: 30 })
    expect(b[3]).toMatchObject({ lines: 1, delta: 1.5, vegaUsd: 0 })
    // perpetual −2 + balance 3 = 1 coin; the USD cash line is no exposure.
    expect(b[4]).toMatchObject({ lines: 2, delta: 1, valueUsd: 26990 })
  })

  it('by strike: 9000 = call + put (delta 0.5 − 0.3 = 0.2, vega 22); lines without strike together', () => {
    const b = greeksBuckets(ROWS, 'strike', VALUATION)
    expect(b.map((x) => x.bucket)).toEqual(['9000', '9500', '10000', 'no strike'])
    expect(b[0]!.delta).toBeCloseTo(0.2, 12)
    expect(b[0]!.vegaUsd).toBe(22)
    expect(b[0]!.gamma).toBeCloseTo(0.003, 12)
    expect(b[3]).toMatchObject({ lines: 3, delta: 2.5 }) // future 1.5 − perpetual 2 + balance 3
  })

  it('by expiry: one bucket per date, then perpetual and balances; every grouping sums to the same totals', () => {
    const e = greeksBuckets(ROWS, 'expiry', VALUATION)
    expect(e.map((x) => x.bucket)).toEqual(['2020-05-15', '2020-05-22', '2020-06-26', '2020-09-25', 'perpetual', 'balances'])
    // Totals by hand: delta 0.5 − 0.3 + 0.2 + 1.5 − 2 + 3 = 2.9; vega 52; theta −40; value 27,490.
    for (const by of ['expiry', 'tenor', 'strike'] as const) {
      const b = greeksBuckets(ROWS, by, VALUATION)
      const sum = (k: 'delta' | 'vegaUsd' | 'thetaUsd' | 'valueUsd' | 'lines' | 'excluded') => b.reduce((s, x) => s + x[k], 0)
      expect(sum('delta')).toBeCloseTo(2.9, 12)
      expect(sum('vegaUsd')).toBe(52)
      expect(sum('thetaUsd')).toBe(-40)
      expect(sum('valueUsd')).toBe(27490)
      expect(sum('lines')).toBe(7)
      expect(sum('excluded')).toBe(1)
    }
  })
})
