/**
 * The risk profile chart's marks (features/whatif/profileMarks.ts) on figures worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest'
import { atmVolAt, breakevens, sigmaMarks, usdToCoin } from '../../../src/renderer/src/features/whatif/profileMarks'

describe('profile marks', () => {
  it('breakevens: linear zero crossings, an exact zero once', () => {
    // Segment 100→110 goes −50 → +150: zero at 100 + 10 × 50/200 = 102.5. Segment 120→130 goes +30 → −10: zero at
    // 120 + 10 × 30/40 = 127.5. The point at 140 is exactly 0: counted once, not again from 140→150.
    expect(breakevens([100, 110, 120, 130, 140, 150], [-50, 150, 30, -10, 0, 20])).toEqual([102.5, 127.5, 140])
    expect(breakevens([1, 2, 3], [5, 6, 7])).toEqual([])
  })

  it('σ marks: S·exp(±n·σ·√(days/365))', () => {
    // σ = 80 %, 7 days: sd = 0.8 × √(7/365) = 0.110788…; 9 347.68 × e^0.110788 = 10 442.8…, × e^−0.221576 = 7 489.9…
    const m = sigmaMarks(9347.68, 0.8, 7)
    expect(m.map((x) => x.n)).toEqual([-2, -1, 1, 2])
    const sd = 0.8 * Math.sqrt(7 / 365)
    expect(sd).toBeCloseTo(0.110788, 6)
    expect(m[2]!.price).toBeCloseTo(10442.8, 0)
    expect(m[0]!.price).toBeCloseTo(7489.9, 0)
    expect(sigmaMarks(9347.68, 0.8, 0)).toEqual([])
  })

  it('ATM vol: linear in total variance between expiries, flat outside', () => {
    // 8 days at 77.5 %, 15 days at 81.3 %: w(8) = 0.775² × 8 = 4.805, w(15) = 0.813² × 15 = 9.914535; at 10 days
    // w = 4.805 + (9.914535 − 4.805) × 2/7 = 6.26487…, σ = √(6.26487/10) = 0.791509…
    const pts = [
      { expiry: '2020-05-22T08:00:00.000Z', days: 8, atmVolPoints: 77.5 },
      { expiry: '2020-05-29T08:00:00.000Z', days: 15, atmVolPoints: 81.3 },
    ]
    const v = atmVolAt(pts, 10)!
    expect(v.vol).toBeCloseTo(0.791509, 5)
    expect(v.source).toContain('2020-05-22 (77.5 %) and 2020-05-29 (81.3 %)')
    expect(atmVolAt(pts, 3)!.vol).toBe(0.775)
    expect(atmVolAt(pts, 30)!.vol).toBe(0.813)
    expect(atmVolAt([], 7)).toBeNull()
  })

  it('USD to coin at the price of the point', () => {
    // 1 000 USD at an index of 8 000 USD is 0.125 BTC.
    expect(usdToCoin(1000, 8000)).toBe(0.125)
  })
})
