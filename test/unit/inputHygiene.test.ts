/**
 * The pieces the hostile-input suite relies on, one by one: the documented ranges (shared/ranges.ts), the
 * terminal escaping of CLI text (hosts/cli/terminalText.ts), and the JSON guards (depth, duplicate keys).
 *
 * Independent facts used: IEEE 754 binary64's largest finite value is (2 − 2⁻⁵²)·2¹⁰²³ ≈ 1.7977e308, so
 * `1e309` reads as Infinity; its smallest subnormal is 2⁻¹⁰⁷⁴ ≈ 4.94e-324, so `1e-400` reads as 0. ESC is
 * U+001B, BEL U+0007, CSI as one C1 character U+009B (ECMA-48 §5.3); U+202E is RIGHT-TO-LEFT OVERRIDE.
 */
import { parseTree } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { terminalSafe } from '../../src/main/hosts/cli/terminalText'
import { depthExceededAt, duplicateKeys } from '../../src/main/importers/core/jsonDocument'
import { decimalTextProblem, numberIn, parseNumberIn, rangeProblem, RANGES, shorten } from '../../src/shared/ranges'

describe('documented ranges', () => {
  it('1e309 is ±∞ and 1e-400 is 0 as float64 (IEEE 754), and both are refused as decimal text', () => {
    expect(Number('1e309')).toBe(Infinity)
    expect(Number('1e-400')).toBe(0)
    expect(decimalTextProblem('1e309', RANGES.quantity)).toMatch(/too large to compute with/)
    expect(decimalTextProblem('-1e309', RANGES.amount)).toMatch(/too large/)
    expect(decimalTextProblem('1e-400', RANGES.quantity)).toMatch(/too small to mean anything/)
    // Zero written as zero is a value, not an underflow.
    expect(decimalTextProblem('0', RANGES.quantity)).toBeNull()
    expect(decimalTextProblem('0e-400', RANGES.quantity)).toBeNull()
  })

  it('bounds are open or closed as documented', () => {
    expect(rangeProblem(1e12, RANGES.price)).not.toBeNull() // < 1e12
    expect(rangeProblem(999_999_999_999, RANGES.price)).toBeNull()
    expect(rangeProblem(0, RANGES.price)).not.toBeNull() // > 0
    expect(rangeProblem(0, RANGES.priceOrZero)).toBeNull()
    expect(rangeProblem(-1, RANGES.spotShock)).not.toBeNull() // > −100 %
    expect(rangeProblem(-0.99, RANGES.spotShock)).toBeNull()
    expect(rangeProblem(10, RANGES.spotShock)).toBeNull() // ≤ +1000 %
    expect(rangeProblem(3650, RANGES.horizonDays)).toBeNull()
    expect(rangeProblem(3650.5, RANGES.horizonDays)).toBe('expected a horizon at least 0 and at most 3650 days')
    expect(rangeProblem(1e-13, RANGES.price)).toMatch(/too small/) // below the 1e-12 floor
  })

  it('the zod schema and the CLI parser give the same message, naming the range', () => {
    const zodMessage = numberIn(RANGES.leverage).safeParse(1e308).error?.issues[0]?.message
    expect(zodMessage).toBe('expected leverage greater than 0 and at most 1000 ×')
    expect(parseNumberIn('1e308', RANGES.leverage)).toEqual({ ok: false, message: 'expected leverage greater than 0 and at most 1000 ×; got "1e308"' })
    expect(parseNumberIn('25', RANGES.leverage)).toEqual({ ok: true, value: 25 })
    expect(parseNumberIn('Infinity', RANGES.leverage).ok).toBe(false)
    expect(parseNumberIn('0x10', RANGES.leverage).ok).toBe(false)
  })

  it('values are shortened to 80 characters with an ellipsis', () => {
    expect(shorten('x'.repeat(1_000_000))).toBe(`${'x'.repeat(79)}…`)
    expect(shorten('BTC-PERPETUAL')).toBe('BTC-PERPETUAL')
  })
})

describe('terminal escaping', () => {
  it('shows ESC, BEL, CR, the one-byte CSI and bidi overrides as text; keeps newline and tab', () => {
    expect(terminalSafe('\u001b]0;pwned\u0007\u001b[31mred')).toBe('\\x1b]0;pwned\\x07\\x1b[31mred')
    expect(terminalSafe('a\rb\u009b2J')).toBe('a\\x0db\\x9b2J')
    expect(terminalSafe('abc\u202Edef')).toBe('abc\\u{202e}def')
    expect(terminalSafe('line 1\n\tline 2 — ü €')).toBe('line 1\n\tline 2 — ü €')
  })
})

describe('JSON guards', () => {
  it('finds the first bracket past depth 64, ignoring brackets inside strings and comments', () => {
    expect(depthExceededAt('['.repeat(64) + ']'.repeat(64))).toBe(-1)
    expect(depthExceededAt('['.repeat(65) + ']'.repeat(65))).toBe(64)
    expect(depthExceededAt(`{"a": "${'['.repeat(100)}" /* ${'{'.repeat(100)} */ }`)).toBe(-1)
    expect(depthExceededAt(`["\\"${'['.repeat(100)}"]`)).toBe(-1)
  })

  it('reports a key given twice in one object, at its second place, and not keys repeated across objects', () => {
    const text = '{"a": 1, "b": {"size": 1, "x": [{"size": 2}]}, "a": 3}'
    const root = parseTree(text)!
    expect(duplicateKeys(root)).toEqual([{ key: 'a', offset: text.lastIndexOf('"a"'), firstOffset: 1 }])
  })
})
