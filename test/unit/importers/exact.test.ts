/**
 * Exact decimals of the replay (domain/trades/exact.ts): parsing the texts exchanges write, the text form
 * (as decimal.js prints it), sums, products, half-even quotients, comparisons.
 */
import { describe, expect, it } from 'vitest'
import { D, text } from '../../../src/main/domain/trades/decimal'
import { add, compare, divide, equal, exact, ExactSum, exactText, multiply, negate, sign, toDecimal, toExact } from '../../../src/main/domain/trades/exact'

describe('exact decimals', () => {
  it('reads plain decimal text, with exponents and many digits, and prints it as decimal.js does', () => {
    const cases: Array<[string, string]> = [
      ['0', '0'], ['-0', '0'], ['0.010', '0.01'], ['-1.50', '-1.5'], ['.5', '0.5'], ['-.5', '-0.5'], ['5.', '5'], ['+2', '2'],
      ['1e-8', '0.00000001'], ['-1.5E3', '-1500'], ['123456789012345678.1234567890123', '123456789012345678.1234567890123'],
      ['9007199254740993', '9007199254740993'], ['0.000000000000000000000000000001', '0.000000000000000000000000000001'],
    ]
    for (const [input, printed] of cases) {
      expect(exactText(exact(input))).toBe(printed)
      expect(exactText(exact(input))).toBe(text(new D(input)))
    }
  })

  it('refuses text that is not a decimal number', () => {
    for (const bad of ['', '-', '.', '1,5', '1.2.3', 'abc', '--1', '0x10', '1e', ' 1']) expect(() => exact(bad)).toThrow(/not a decimal number/)
  })

  it('adds, negates and multiplies exactly across scales', () => {
    expect(exactText(add(exact('0.1'), exact('0.2')))).toBe('0.3')
    expect(exactText(add(exact('1.005'), exact('-1')))).toBe('0.005')
    expect(exactText(negate(exact('-2.5')))).toBe('2.5')
    // 0.010 BTC × 37,536.1 USDT = 375.361 USDT
    expect(exactText(multiply(exact('0.010'), exact('37536.1')))).toBe('375.361')
    expect(exactText(multiply(exact('123456789.123456789'), exact('987654321.987654321')))).toBe(
      text(new D('123456789.123456789').times('987654321.987654321')),
    )
  })

  it('divides rounding half-even at the scale asked for', () => {
    // 2000 / 60000 = 0.0333… ; 1 / 8 = 0.125 → 0.12 (half-even) at 2 decimals; 3 / 8 = 0.375 → 0.38.
    expect(exactText(divide(exact('2000'), exact('60000'), 10))).toBe('0.0333333333')
    expect(exactText(divide(exact('1'), exact('8'), 2))).toBe('0.12')
    expect(exactText(divide(exact('3'), exact('8'), 2))).toBe('0.38')
    expect(exactText(divide(exact('-3'), exact('8'), 2))).toBe('-0.38')
    expect(exactText(divide(exact('-1'), exact('8'), 2))).toBe('-0.12')
    expect(exactText(divide(exact('2'), exact('-3'), 4))).toBe('-0.6667')
    // The default 60 decimals agree with decimal.js to far beyond the 10 decimals P&L is reported with.
    const q = toDecimal(divide(exact('10000'), exact('8123.7')))
    expect(q.minus(new D('10000').div('8123.7')).abs().lt('1e-45')).toBe(true)
  })

  it('compares values written at different scales', () => {
    expect(equal(exact('1.50'), exact('1.5'))).toBe(true)
    expect(compare(exact('-0.01'), exact('0'))).toBe(-1)
    expect(compare(exact('2'), exact('1.999999999999999999999'))).toBe(1)
    expect(sign(exact('-0.000'))).toBe(0)
    expect(sign(exact('-0.001'))).toBe(-1)
  })

  it('sums any number of terms exactly, rescaling when a term has more decimals', () => {
    const s = new ExactSum()
    for (let i = 0; i < 1000; i++) s.add(exact('0.1'))
    s.add(exact('0.00000001'))
    s.add(exact('-100'))
    expect(exactText(s.value)).toBe('0.00000001')
  })

  it('converts decimal.js values, texts and numbers', () => {
    expect(exactText(toExact(new D('-12.3400')))).toBe('-12.34')
    expect(exactText(toExact('7.25'))).toBe('7.25')
    expect(exactText(toExact(0.1))).toBe('0.1')
    expect(toDecimal(exact('1e-30')).eq('1e-30')).toBe(true)
  })
})
