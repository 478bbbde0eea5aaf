/**
 * Exact decimals for the replay's per-fill arithmetic: a value is an integer count (BigInt) of 10^-scale,
 * so sums, differences and products of the decimal texts exchanges write are exact whatever their number of
 * digits, at a small fraction of decimal.js's cost (a million fills: ~0.15 s instead of ~2.5 s). Quotients
 * (inverse contracts' cash flow q/p) are rounded half-even to a fixed number of decimals (QUOTIENT_SCALE),
 * finer than the 50 significant digits decimal.js carried for them. decimal.js (decimal.ts) stays for
 * everything else; `toDecimal` converts without loss.
 */
import { D } from './decimal'

/** units × 10^-scale, scale ≥ 0. Not normalised: 1.50 may be {150n, 2}; compare with `compare`/`equal`. */
export interface Exact {
  readonly units: bigint
  readonly scale: number
}

/** Decimals kept by `divide` in the replay (inverse cash flows): 60, so every quotient is within 5e-61. */
export const QUOTIENT_SCALE = 60

export const EXACT_ZERO: Exact = { units: 0n, scale: 0 }

const POW10: bigint[] = [1n]
/** 10^n as a BigInt (cached). */
export function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n)
  return POW10[n]!
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/**
 * Reads plain decimal text (`-1.5`, `0.010`, `.5`, `1e-8`, `+2`).
 * @throws Error for text that is not a decimal number (callers pass validated text).
 */
export function exact(text: string): Exact {
  // Fast path: `[-]digits[.digits]` with at most 15 digits, read into a Number (exact below 2^53).
  const n = text.length
  let i = text.charCodeAt(0) === 45 ? 1 : 0
  let m = 0
  let digits = 0
  let scale = -1
  for (; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 && scale < 0) scale = 0
    else if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48)
      digits++
      if (scale >= 0) scale++
    } else break
  }
  if (i === n && digits > 0 && digits <= 15) return { units: BigInt(text.charCodeAt(0) === 45 ? -m : m), scale: scale < 0 ? 0 : scale }
  return exactSlow(text)
}

function exactSlow(text: string): Exact {
  const m = DECIMAL_RE.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal number: ${JSON.stringify(text)}`)
  const fraction = m[3] ?? ''
  let units = BigInt(`${m[1] === '-' ? '-' : ''}${m[2] || '0'}${fraction}`)
  let scale = fraction.length - Number(m[4] ?? 0)
  if (scale < 0) {
    units *= pow10(-scale)
    scale = 0
  }
  return { units, scale }
}

/** A decimal.js value, a decimal text or a finite number (its shortest text) as Exact. */
export function toExact(x: Exact | InstanceType<typeof D> | string | number): Exact {
  if (typeof x === 'string') return exact(x)
  if (typeof x === 'number') return exact(String(x))
  if (typeof (x as Exact).units === 'bigint') return x as Exact
  return exact((x as InstanceType<typeof D>).toFixed())
}

/** The value as decimal.js (exact: decimal.js keeps every digit it is given). */
export function toDecimal(x: Exact): InstanceType<typeof D> {
  return new D(exactText(x))
}

/** Plain decimal text, trailing zeros removed, `0` for zero (as decimal.ts `text`). */
export function exactText(x: Exact): string {
  if (x.units === 0n) return '0'
  const negative = x.units < 0n
  let digits = (negative ? -x.units : x.units).toString()
  let scale = x.scale
  let end = digits.length
  while (scale > 0 && digits.charCodeAt(end - 1) === 48) {
    end--
    scale--
  }
  digits = digits.slice(0, end)
  if (scale > 0) {
    if (digits.length <= scale) digits = `0.${'0'.repeat(scale - digits.length)}${digits}`
    else digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  }
  return negative ? `-${digits}` : digits
}

/** `units` of x at a scale ≥ x.scale. */
function unitsAt(x: Exact, scale: number): bigint {
  return scale === x.scale ? x.units : x.units * pow10(scale - x.scale)
}

export function add(a: Exact, b: Exact): Exact {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale }
  const scale = Math.max(a.scale, b.scale)
  return { units: unitsAt(a, scale) + unitsAt(b, scale), scale }
}

export function negate(a: Exact): Exact {
  return { units: -a.units, scale: a.scale }
}

export function multiply(a: Exact, b: Exact): Exact {
  return { units: a.units * b.units, scale: a.scale + b.scale }
}

/** a / b rounded half-even to `scale` decimals. @throws RangeError when b is zero */
export function divide(a: Exact, b: Exact, scale = QUOTIENT_SCALE): Exact {
  // a/b × 10^scale = a.units × 10^(scale + b.scale − a.scale) / b.units
  const k = scale + b.scale - a.scale
  let num = k >= 0 ? a.units * pow10(k) : a.units
  let den = k >= 0 ? b.units : b.units * pow10(-k)
  if (den < 0n) {
    num = -num
    den = -den
  }
  let q = num / den
  const twice = 2n * (num - q * den)
  const away = twice < 0n ? -twice : twice
  if (away > den || (away === den && q % 2n !== 0n)) q += num < 0n ? -1n : 1n
  return { units: q, scale }
}

export function sign(a: Exact): -1 | 0 | 1 {
  return a.units === 0n ? 0 : a.units < 0n ? -1 : 1
}

export function abs(a: Exact): Exact {
  return a.units < 0n ? { units: -a.units, scale: a.scale } : a
}

export function compare(a: Exact, b: Exact): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale)
  const x = unitsAt(a, scale)
  const y = unitsAt(b, scale)
  return x === y ? 0 : x < y ? -1 : 1
}

export function equal(a: Exact, b: Exact): boolean {
  return compare(a, b) === 0
}

/** A running exact sum (one BigInt, rescaled when a term has more decimals). */
export class ExactSum {
  private units = 0n
  private scale = 0

  add(x: Exact): void {
    if (x.scale > this.scale) {
      this.units *= pow10(x.scale - this.scale)
      this.scale = x.scale
    }
    this.units += unitsAt(x, this.scale)
  }

  get value(): Exact {
    return { units: this.units, scale: this.scale }
  }
}
