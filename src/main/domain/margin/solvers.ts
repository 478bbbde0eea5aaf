/**
 * Generic numeric tools for liquidation: a bracketed root finder (Brent's method), an outward scan that
 * finds the first sign change of a function of price on either side of the current price, and distance to
 * liquidation in percent and in daily-σ units.
 *
 * Brent's method: R. P. Brent, "Algorithms for Minimization without Derivatives" (1973), ch. 4 (zero
 * finding by bisection, secant and inverse quadratic interpolation, keeping a sign-changing bracket); the
 * implementation below is written from that description.
 *
 * Tolerance (documented contract): `brentRoot` stops when the sign-changing bracket [b, c] satisfies
 * |c − b| ≤ 4·ε·|b| + xtol with ε = 2⁻⁵² (a few ulp of the root when xtol = 0), or when f(b) = 0. For
 * liquidation prices the default xtol is 0, so the returned price is within a few ulp of a sign change of
 * (equity − maintenance); its margin ratio then differs from 100% by about |d ratio/d price| × ulp(price),
 * below 1e-12 relative for any leverage under 1,000× — the 1e-9 round-trip tests check this.
 */

/** Thrown when a root is not bracketed or the function is not finite. */
export class SolverError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SolverError'
  }
}

const EPS = 2 ** -52

export interface BrentOptions {
  /** Absolute tolerance on x, added to 4·ε·|x|; default 0 (converge to a few ulp). */
  xtol?: number
  /** Iteration cap; default 200 (Brent needs at most ~(log₂ of the range in ulp)² steps, far below this). */
  maxIter?: number
}

/**
 * A root of f in [a, b] where f(a) and f(b) have opposite signs (or one is 0).
 * @returns x with f changing sign within the documented tolerance of x
 * @throws SolverError if f(a)·f(b) > 0, f returns a non-finite value, or maxIter is reached.
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, options: BrentOptions = {}): number {
  const xtol = options.xtol ?? 0
  const maxIter = options.maxIter ?? 200
  let fa = f(a)
  let fb = f(b)
  if (!Number.isFinite(fa) || !Number.isFinite(fb)) throw new SolverError(`f not finite at the bracket [${a}, ${b}]`)
  if (fa === 0) return a
  if (fb === 0) return b
  if ((fa > 0) === (fb > 0)) throw new SolverError(`root not bracketed: f(${a}) = ${fa}, f(${b}) = ${fb}`)
  // Keep b the best estimate, c the other end of the sign-changing bracket.
  let c = a
  let fc = fa
  let d = b - a
  let e = d
  for (let iter = 0; iter < maxIter; iter++) {
    if ((fb > 0) === (fc > 0)) {
      c = a
      fc = fa
      d = b - a
      e = d
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b
      b = c
      c = a
      fa = fb
      fb = fc
      fc = fa
    }
    const tol = 2 * EPS * Math.abs(b) + 0.5 * xtol
    const m = 0.5 * (c - b)
    if (Math.abs(m) <= tol || fb === 0) return b
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Interpolation: secant when only two distinct points, inverse quadratic otherwise.
      const s = fb / fa
      let p: number
      let q: number
      if (a === c) {
        p = 2 * m * s
        q = 1 - s
      } else {
        const qa = fa / fc
        const r = fb / fc
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
        q = (qa - 1) * (r - 1) * (s - 1)
      }
      if (p > 0) q = -q
      else p = -p
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d
        d = p / q
      } else {
        d = m
        e = m
      }
    } else {
      d = m
      e = m
    }
    a = b
    fa = fb
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol
    fb = f(b)
    if (!Number.isFinite(fb)) throw new SolverError(`f not finite at ${b}`)
  }
  throw new SolverError(`no convergence in ${maxIter} iterations`)
}

export interface ScanOptions {
  /**
   * Smallest step of the outward scan in log price; default 0.0025 (0.25%). The step used at log distance d
   * from the current price is max(logStep, growth × d): fine near the current price, coarser far away. A
   * band where the sign flips twice within one step is not seen: liquidation bands narrower than the local
   * step are missed (a short strangle's two prices are found; a band of 0.1% at −40% is not).
   */
  logStep?: number
  /** Relative growth of the step with distance; default 0.05 (≈ 140 evaluations down to a factor 1e-6). */
  growth?: number
  /** Smallest price factor scanned downwards; default 1e-6 (a 99.9999% fall). */
  minFactor?: number
  /** Largest price factor scanned upwards; default 1e3 (a 100,000% rise). */
  maxFactor?: number
}

/** The first sign change found scanning from factor 1 in one direction. */
export interface ThresholdCrossing {
  /** Price factor (shocked price ÷ current price) of the crossing. */
  factor: number
  /** h at the factor (≈ 0). */
  value: number
}

/**
 * Scans h(factor) from factor = 1 outwards (direction −1: down to `minFactor`, +1: up to `maxFactor`) in
 * log steps, and refines the first sign change from positive (safe) to ≤ 0 with `brentRoot`.
 * @param h e.g. equity − maintenance margin as a function of the price factor; must be finite for factors in
 *   the scanned range
 * @returns the crossing, or null when h stays positive over the whole range (no liquidation price on that
 *   side), or { factor: 1 } when h(1) ≤ 0 already
 * @throws SolverError when h is not finite somewhere in the scan.
 */
export function firstCrossing(h: (factor: number) => number, direction: 1 | -1, options: ScanOptions = {}): ThresholdCrossing | null {
  const step = options.logStep ?? 0.0025
  const growth = options.growth ?? 0.05
  const minF = options.minFactor ?? 1e-6
  const maxF = options.maxFactor ?? 1e3
  if (!(step > 0) || !(growth >= 0) || !(minF > 0 && minF < 1) || !(maxF > 1)) throw new SolverError('scan options out of range')
  const h1 = h(1)
  if (!Number.isFinite(h1)) throw new SolverError('h not finite at the current price')
  if (h1 <= 0) return { factor: 1, value: h1 }
  const limit = Math.abs(direction < 0 ? Math.log(minF) : Math.log(maxF))
  let dist = 0
  let prevF = 1
  while (dist < limit) {
    dist = Math.min(dist + Math.max(step, growth * dist), limit)
    const f = Math.exp(direction * dist)
    const v = h(f)
    if (!Number.isFinite(v)) throw new SolverError(`h not finite at factor ${f}`)
    if (v <= 0) {
      const root = v === 0 ? f : brentRoot(h, prevF, f)
      return { factor: root, value: h(root) }
    }
    prevF = f
  }
  return null
}

/** Distance from the current price to a liquidation price. */
export interface LiquidationDistance {
  /** (liquidation − current) ÷ current; negative below. */
  relative: number
  /** The same in percent. */
  percent: number
  /** ln(liquidation ÷ current). */
  logDistance: number
  /** |ln(liquidation ÷ current)| ÷ daily σ: how many daily standard deviations of log price away. */
  dailySigmas: number
  /** The daily σ used (decimal). */
  dailyVol: number
}

/**
 * Daily volatility from an annualised one, σ_daily = σ_annual / √(daysPerYear); crypto trades every day,
 * so the default is 365 (the same ACT/365 convention as pricing, DESIGN.md §4).
 * @throws RangeError for a negative or non-finite volatility or non-positive days.
 */
export function dailyVolFromAnnual(annualVol: number, daysPerYear = 365): number {
  if (!(annualVol >= 0) || !Number.isFinite(annualVol)) throw new RangeError(`annual vol ${annualVol}: expected ≥ 0`)
  if (!(daysPerYear > 0)) throw new RangeError(`days per year ${daysPerYear}: expected > 0`)
  return annualVol / Math.sqrt(daysPerYear)
}

/**
 * Distance to liquidation in % and in daily-σ units (log-price convention: a move of n daily σ is
 * price × e^(±n·σ_daily)).
 * @param price current price (USD, > 0); liquidationPrice (USD, > 0); dailyVol decimal (> 0)
 * @throws RangeError for non-positive prices or vol.
 */
export function distanceToLiquidation(price: number, liquidationPrice: number, dailyVol: number): LiquidationDistance {
  if (!(price > 0)) throw new RangeError(`price ${price}: expected > 0`)
  if (!(liquidationPrice > 0)) throw new RangeError(`liquidation price ${liquidationPrice}: expected > 0`)
  if (!(dailyVol > 0)) throw new RangeError(`daily vol ${dailyVol}: expected > 0`)
  const relative = liquidationPrice / price - 1
  const logDistance = Math.log(liquidationPrice / price)
  return { relative, percent: relative * 100, logDistance, dailySigmas: Math.abs(logDistance) / dailyVol, dailyVol }
}
