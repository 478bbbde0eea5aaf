/**
 * CSV cells (shared/csvCell.ts): plain decimals (expected strings written by hand from the float's shortest
 * form), formula-injection neutralising (OWASP "CSV Injection": = + - @ tab CR lead a formula).
 */
import { describe, expect, it } from 'vitest'
import { csvCell, neutraliseFormula, plainDecimal } from '../../../src/shared/csvCell'

describe('csv cells', () => {
  it('writes numbers without exponent, reading back the same float', () => {
    expect(plainDecimal(1.2e-7)).toBe('0.00000012')
    expect(plainDecimal(-1.5e-7)).toBe('-0.00000015')
    expect(plainDecimal(1e21)).toBe('1000000000000000000000')
    expect(plainDecimal(1.2345e22)).toBe('12345000000000000000000')
    expect(plainDecimal(-0.025258)).toBe('-0.025258')
    expect(plainDecimal(464587.25)).toBe('464587.25')
    for (const x of [3.3e-9, -7.77e-12, 6.02e23, 0.1 + 0.2]) expect(Number(plainDecimal(x))).toBe(x)
    expect(plainDecimal(NaN)).toBe('')
  })

  it('neutralises text that a spreadsheet would run, leaves numbers alone', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`)
    expect(neutraliseFormula('+1+cmd|calc')).toBe(`'+1+cmd|calc`)
    expect(neutraliseFormula('-2+3')).toBe(`'-2+3`)
    expect(neutraliseFormula('@SUM(A1)')).toBe(`'@SUM(A1)`)
    expect(neutraliseFormula('\tx')).toBe(`'\tx`)
    expect(neutraliseFormula('-12.5')).toBe('-12.5')
    expect(neutraliseFormula('+3e5')).toBe('+3e5')
    expect(neutraliseFormula('BTC-PERPETUAL')).toBe('BTC-PERPETUAL')
    expect(csvCell(null)).toBe('')
    expect(csvCell(true)).toBe('true')
    expect(csvCell('2020-05-14T05:44:06.537Z')).toBe('2020-05-14T05:44:06.537Z')
  })
})
