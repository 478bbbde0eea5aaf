/**
 * shared/format.ts, the one formatter of every host. Expected strings are written out by hand from the
 * en-US convention (comma thousands separator, point decimal) and the rules in the module comment.
 */
import { describe, expect, it } from 'vitest'
import { decimalsFor, fmt, fmtDecimal, parseDays, parseRange, pct, plural, volPts } from '../../src/shared/format'

describe('fmt', () => {
  it('never writes "-0", whatever rounds to zero', () => {
    expect(fmt(-0)).toBe('0')
    expect(fmt(-0.4)).toBe('0')
    expect(fmt(-0.004, 2)).toBe('0.00')
    // Still signed once it reads as a non-zero figure.
    expect(fmt(-0.6)).toBe('-1')
    expect(fmt(-0.005001, 2)).toBe('-0.01')
  })
  it('groups thousands and rounds half away from zero at the edge', () => {
    expect(fmt(-2188556.4)).toBe('-2,188,556')
    expect(fmt(9347.675, 2)).toBe('9,347.68')
    expect(fmt(Number.NaN)).toBe('—')
    expect(fmt(null)).toBe('—')
  })
})

describe('pct and volPts', () => {
  it('sign a move and drop the sign of what reads as zero', () => {
    expect(pct(0.05)).toBe('+5%')
    expect(pct(-0.3)).toBe('-30%')
    expect(pct(-0.000001)).toBe('0%')
    expect(pct(0.000001)).toBe('0%')
    expect(volPts(10)).toBe('+10 pts')
    expect(volPts(-0.2)).toBe('0 pts')
  })
  it('keep the decimals a label needs (a 0.5 % step)', () => {
    // −49.5 % is not −50 %: one decimal, as decimalsFor chooses for the series −50, −49.5, −49.
    const shocks = [-50, -49.5, -49]
    const d = decimalsFor(shocks)
    expect(d).toBe(1)
    expect(shocks.map((s) => pct(s / 100, d))).toEqual(['-50.0%', '-49.5%', '-49.0%'])
    expect(decimalsFor([-50, -45, 0, 5])).toBe(0)
    // 0.1 + 0.2 is 0.30000000000000004 in float64, yet reads 0.3 at one decimal; 0.25 needs two.
    expect(decimalsFor([0.1 + 0.2, 0.25])).toBe(2)
  })
})

describe('plural', () => {
  it('puts the noun in the right number, with separators', () => {
    expect(plural(1, 'position')).toBe('1 position')
    expect(plural(0, 'position')).toBe('0 positions')
    expect(plural(2170, 'position')).toBe('2,170 positions')
    expect(plural(2, 'balance')).toBe('2 balances')
    expect(plural(1, 'scenario')).toBe('1 scenario')
  })
})

describe('fmtDecimal', () => {
  it('groups a decimal string without going through a float', () => {
    expect(fmtDecimal('1000000')).toBe('1,000,000')
    expect(fmtDecimal('-1234567.125')).toBe('-1,234,567.125')
    // 17 significant digits: a float would round the last ones.
    expect(fmtDecimal('12345678901234567.89')).toBe('12,345,678,901,234,567.89')
    expect(fmtDecimal('0.05')).toBe('0.05')
    expect(fmtDecimal('999')).toBe('999')
  })
  it('drops the sign of a zero and leaves other text alone', () => {
    expect(fmtDecimal('-0')).toBe('0')
    expect(fmtDecimal('-0.000')).toBe('0.000')
    expect(fmtDecimal('1e-8')).toBe('1e-8')
    expect(fmtDecimal('')).toBe('—')
  })
})

describe('parseRange and parseDays (the CLI and the Stress view read input with these)', () => {
  it('refuses a descending or unreadable range with a reason', () => {
    expect(parseRange('50:-50:5')).toEqual({ ok: false, message: 'TO must be at least FROM (FROM 50, TO -50)' })
    expect(parseRange('abc')).toMatchObject({ ok: false, message: expect.stringMatching(/expected FROM:TO:STEP/) })
    expect(parseRange('-50:50:0')).toEqual({ ok: false, message: 'STEP must be greater than 0' })
    expect(parseRange('-50:50:0.5')).toEqual({ ok: true, range: { from: -50, to: 50, step: 0.5 } })
  })
  it('reads days 0…3,650', () => {
    expect(parseDays('7')).toEqual({ ok: true, days: 7 })
    expect(parseDays('-1')).toEqual({ ok: false, message: 'days must be 0…3,650, got -1' })
    expect(parseDays('x')).toMatchObject({ ok: false })
    expect(parseDays('')).toMatchObject({ ok: false })
  })
})
