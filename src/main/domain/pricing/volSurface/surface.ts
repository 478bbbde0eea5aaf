/**
 * Implied-volatility surface from a market snapshot's mark IVs: one raw-SVI smile per expiry in
 * log-moneyness k = ln(K/F(T)) (svi.ts), total variance w = σ²T interpolated linearly in T at fixed k
 * between expiries (J. Gatheral, "The Volatility Surface", Wiley 2006, ch. 3; linear interpolation of total
 * variance preserves the absence of calendar arbitrage between slices that have none), and
 *  - flat beyond the wings: outside a slice's quoted log-moneyness range the slice's vol is held at its value
 *    at the nearest quoted end (the usual desk convention; it keeps prices continuous but puts a kink in w
 *    at the last quote, so the butterfly check covers the quoted range, where the SVI fit is used);
 *  - before the first expiry, constant vol at fixed k: w(k, T) = w₁(k)·T/T₁; after the last, likewise
 *    w(k, T) = w_N(k)·T/T_N;
 *  - the forward of an arbitrary expiry: ln F linear in T between the snapshot's expiries (from the index
 *    at T = 0 when given), and after the last expiry extrapolated at the last segment's carry rate.
 *
 * Quotes used: per expiry and strike, the out-of-the-money option's mark IV (the call for K ≥ F, the put
 * for K < F; the other side when only one is quoted) — in-the-money marks carry the same information
 * through put-call parity, and Deribit's in-the-money mark IVs sit up to 5 vol points off the
 * out-of-the-money ones at short expiries (BTC-14MAY20-8750: call 112.4, put 116.5) — and of those only
 * quotes whose vega is at least 1% of the expiry's largest: below that a vol point moves the price by
 * less than 1% of what it moves an at-the-money option's, so the mark IV is a convention, not
 * information (Deribit caps deep out-of-the-money marks). The quotes not used are listed with the
 * reason. The fit minimises the plain sum of squared implied-vol errors over the quotes used; the report
 * gives that RMSE and the vega-weighted one.
 *
 * Spot moves (for scenarios): the forward of every expiry moves by the same factor (1 + shock), and
 *  - sticky strike: the vol of a fixed strike is unchanged, σ'(K, T) = σ(ln(K/F), T);
 *  - sticky moneyness: the smile moves with the forward, σ'(K, T) = σ(ln(K/F'), T). At fixed T and r = 0
 *    the Black-76 delta depends on K only through (ln(K/F), σ), so this is also sticky delta.
 *
 * Arbitrage report (Gatheral & Jacquier 2014): butterfly — the density function g(k) of each SVI slice is
 * checked on a 401-point grid over the quoted range; calendar — w(k, T_{i+1}) ≥ w(k, T_i) is checked for
 * consecutive expiries on a 401-point grid over the union of both quoted ranges (flat wings included, since
 * that is the surface users get).
 */
import { black76, PricingInputError, type OptionType } from '../black76'
import { MS_PER_YEAR } from '../../time'
import { butterflyDensity, fitSvi, sviDerivatives, sviTotalVariance, type SviParams } from './svi'

/** One option quote of a snapshot. */
export interface SurfaceQuote {
  /** Instrument name, for the report. */
  instrument: string
  type: OptionType
  /** Expiry instant, ms since epoch UTC. */
  expiryMs: number
  /** Strike, USD. */
  strike: number
  /** Forward (Deribit `underlying_price`) at the quote time, USD. */
  forward: number
  /** Mark implied vol, decimal (Deribit `mark_iv` ÷ 100). */
  iv: number
}

export interface SurfaceBuildOptions {
  /** Valuation instant, ms since epoch UTC; T = (expiry − valuation)/ACT365. */
  valuationMs: number
  /** Index (spot) price, USD, anchoring the forward curve at T = 0; default: flat before the first expiry. */
  index?: number
  /** Fewest usable quotes to fit an expiry (default 5); expiries with fewer are listed as not fitted. */
  minQuotesPerExpiry?: number
}

export type SpotMoveRule = 'sticky-strike' | 'sticky-moneyness'

export interface SurfaceSlice {
  expiryMs: number
  /** Years to expiry at the valuation instant. */
  T: number
  /** Forward of the expiry: median of its quotes' forwards, USD. */
  forward: number
  params: SviParams
  /** Quoted log-moneyness range; flat vol beyond it. */
  kMin: number
  kMax: number
  /** Root-mean-square implied-vol error over the fitted quotes, vol points (each quote counts once). */
  rmseVolPoints: number
  /** The same weighted by each quote's vega: the error that matters for prices. */
  vegaWeightedRmseVolPoints: number
  maxAbsErrorVolPoints: number
  /** Quotes fitted. */
  quotes: number
}

export interface ExcludedQuote {
  instrument: string
  reason: string
}

export interface ButterflyFlag {
  expiryMs: number
  /** Log-moneyness of the most negative g(k). */
  k: number
  /** Most negative Gatheral–Jacquier g(k) (< 0 is arbitrage). */
  g: number
}

export interface CalendarFlag {
  expiryMs: number
  nextExpiryMs: number
  /** Log-moneyness of the largest violation. */
  k: number
  /** w(k, T_i) − w(k, T_{i+1}) > 0 at k (total variance, dimensionless). */
  excessTotalVariance: number
}

export interface SurfaceReport {
  slices: Array<Pick<SurfaceSlice, 'expiryMs' | 'T' | 'forward' | 'params' | 'kMin' | 'kMax' | 'rmseVolPoints' | 'vegaWeightedRmseVolPoints' | 'maxAbsErrorVolPoints' | 'quotes'>>
  excluded: ExcludedQuote[]
  /** Expiries with too few usable quotes to fit. */
  unfitted: Array<{ expiryMs: number; quotes: number }>
  butterfly: ButterflyFlag[]
  calendar: CalendarFlag[]
}

export interface SurfacePrice {
  /** Black-76 USD price per unit of underlying. */
  price: number
  /** Inverse (coin) premium: price ÷ F. */
  priceCoin: number
  /** Vol used, decimal. */
  sigma: number
  /** Forward used, USD. */
  forward: number
  /** Years to expiry. */
  T: number
}

/** Quotes with vega below this fraction of their expiry's largest are not fitted. */
export const VEGA_FLOOR = 0.01

function vegaWeightedRmse(p: SviParams, k: number[], iv: number[], vega: number[], T: number): number {
  let num = 0
  let den = 0
  for (let i = 0; i < k.length; i++) {
    const e = (Math.sqrt(Math.max(sviTotalVariance(p, k[i]!), 0) / T) - iv[i]!) * 100
    num += vega[i]! * e * e
    den += vega[i]!
  }
  return Math.sqrt(num / den)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 === 1 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!)
}

/** A fitted volatility surface; immutable. Build with `buildVolSurface`. */
export class VolSurface {
  constructor(
    readonly valuationMs: number,
    readonly slices: readonly SurfaceSlice[],
    readonly report: SurfaceReport,
    private readonly index: number | undefined,
  ) {}

  /** Total variance of slice i at log-moneyness k, flat in vol beyond the quoted range. */
  private sliceVariance(i: number, k: number): number {
    const sl = this.slices[i]!
    const kc = k < sl.kMin ? sl.kMin : k > sl.kMax ? sl.kMax : k
    return Math.max(sviTotalVariance(sl.params, kc), 0)
  }

  /**
   * Total implied variance w(k, T) (dimensionless) at log-moneyness k = ln(K/F(T)) and T years.
   * @throws PricingInputError for T ≤ 0 or non-finite k
   */
  totalVariance(k: number, T: number): number {
    if (!(T > 0) || !Number.isFinite(T)) throw new PricingInputError('T', T, 'years to expiry > 0')
    if (!Number.isFinite(k)) throw new PricingInputError('k', k, 'a finite log-moneyness')
    const s = this.slices
    const n = s.length
    if (T <= s[0]!.T) return (this.sliceVariance(0, k) * T) / s[0]!.T
    if (T >= s[n - 1]!.T) return (this.sliceVariance(n - 1, k) * T) / s[n - 1]!.T
    let i = 0
    while (s[i + 1]!.T < T) i++
    const a = s[i]!
    const b = s[i + 1]!
    const u = (T - a.T) / (b.T - a.T)
    return this.sliceVariance(i, k) * (1 - u) + this.sliceVariance(i + 1, k) * u
  }

  /**
   * Forward F(T), USD: ln F linear in T between the snapshot's expiries (and the index at T = 0 when it was
   * given, else flat before the first expiry); beyond the last expiry, the last segment's carry rate.
   */
  forward(T: number): number {
    const s = this.slices
    const knots: Array<[number, number]> = []
    if (this.index !== undefined) knots.push([0, Math.log(this.index)])
    for (const sl of s) knots.push([sl.T, Math.log(sl.forward)])
    if (knots.length === 1 || T <= knots[0]![0]) return Math.exp(knots[0]![1])
    if (T <= knots[knots.length - 1]![0]) {
      let i = 0
      while (knots[i + 1]![0] < T) i++
      const [t0, l0] = knots[i]!
      const [t1, l1] = knots[i + 1]!
      return Math.exp(l0 + ((l1 - l0) * (T - t0)) / (t1 - t0))
    }
    const [t0, l0] = knots[knots.length - 2]!
    const [t1, l1] = knots[knots.length - 1]!
    return Math.exp(l1 + ((l1 - l0) * (T - t1)) / (t1 - t0))
  }

  /**
   * Implied vol (decimal) for strike K (USD) and T years, optionally after a relative spot move under a
   * sticky rule (see the module docstring). With no move both rules agree.
   * @throws PricingInputError for K ≤ 0, T ≤ 0 or spotShock ≤ −1
   */
  vol(K: number, T: number, move?: { spotShock: number; rule: SpotMoveRule }): number {
    if (!(K > 0) || !Number.isFinite(K)) throw new PricingInputError('K', K, 'a finite strike > 0')
    const F = this.forward(T)
    let k = Math.log(K / F)
    if (move) {
      if (!(move.spotShock > -1)) throw new PricingInputError('spotShock', move.spotShock, 'a relative move > −1')
      if (move.rule === 'sticky-moneyness') k = Math.log(K / (F * (1 + move.spotShock)))
    }
    return Math.sqrt(this.totalVariance(k, T) / T)
  }

  /**
   * Prices an option from the surface — e.g. one missing from the snapshot — with Black-76 on F(T) (times
   * 1 + spotShock when a move is given) at the surface vol, r = 0 unless given.
   * @param expiryMs expiry instant, ms since epoch UTC (T from the surface's valuation instant, ACT/365)
   * @throws PricingInputError for an expired option or invalid inputs
   */
  price(type: OptionType, K: number, expiryMs: number, opts: { r?: number; move?: { spotShock: number; rule: SpotMoveRule } } = {}): SurfacePrice {
    const T = (expiryMs - this.valuationMs) / MS_PER_YEAR
    if (!(T > 0)) throw new PricingInputError('expiryMs', expiryMs, 'an expiry after the surface valuation instant')
    const sigma = this.vol(K, T, opts.move)
    const F = this.forward(T) * (opts.move ? 1 + opts.move.spotShock : 1)
    const g = black76({ type, F, K, T, sigma, r: opts.r })
    return { price: g.price, priceCoin: g.price / F, sigma, forward: F, T }
  }
}

/**
 * Fits a surface to a snapshot's quotes.
 * @param quotes option quotes (any order; several per strike allowed)
 * @throws RangeError when no expiry has enough usable quotes
 */
export function buildVolSurface(quotes: readonly SurfaceQuote[], options: SurfaceBuildOptions): VolSurface {
  const minQuotes = options.minQuotesPerExpiry ?? 5
  const excluded: ExcludedQuote[] = []
  const byExpiry = new Map<number, SurfaceQuote[]>()
  for (const q of quotes) {
    if (!(q.iv > 0) || !Number.isFinite(q.iv)) {
      excluded.push({ instrument: q.instrument, reason: `no usable mark IV (${q.iv})` })
      continue
    }
    if (!(q.forward > 0) || !(q.strike > 0)) {
      excluded.push({ instrument: q.instrument, reason: 'no usable forward or strike' })
      continue
    }
    if (!(q.expiryMs > options.valuationMs)) {
      excluded.push({ instrument: q.instrument, reason: 'expired at the valuation instant' })
      continue
    }
    const list = byExpiry.get(q.expiryMs) ?? []
    list.push(q)
    byExpiry.set(q.expiryMs, list)
  }
  const slices: SurfaceSlice[] = []
  const unfitted: Array<{ expiryMs: number; quotes: number }> = []
  for (const expiryMs of [...byExpiry.keys()].sort((a, b) => a - b)) {
    const list = byExpiry.get(expiryMs)!
    const forward = median(list.map((q) => q.forward))
    // One quote per strike: the out-of-the-money side.
    const byStrike = new Map<number, SurfaceQuote[]>()
    for (const q of list) byStrike.set(q.strike, [...(byStrike.get(q.strike) ?? []), q])
    const used: SurfaceQuote[] = []
    for (const [strike, qs] of byStrike) {
      const otmType: OptionType = strike >= forward ? 'call' : 'put'
      const pick = qs.find((q) => q.type === otmType) ?? qs[0]!
      used.push(pick)
      for (const q of qs)
        if (q !== pick)
          excluded.push({ instrument: q.instrument, reason: `in the money: the ${pick.type} at the same strike is used` })
    }
    const T = (expiryMs - options.valuationMs) / MS_PER_YEAR
    if (used.length < minQuotes) {
      unfitted.push({ expiryMs, quotes: used.length })
      for (const q of used) excluded.push({ instrument: q.instrument, reason: `its expiry has fewer than ${minQuotes} usable quotes` })
      continue
    }
    // Quotes whose vega is a negligible fraction of the expiry's largest carry no price information: a
    // vol point moves their price by less than 1% of what it moves an at-the-money quote's (Deribit also
    // caps deep out-of-the-money marks, e.g. the flat 171.5 of BTC-15MAY20 puts 6500–7750).
    const vegas = used.map((q) => black76({ type: q.type, F: q.forward, K: q.strike, T, sigma: q.iv }).vega)
    const maxVega = Math.max(...vegas)
    const informativeVegas: number[] = []
    const informative = used.filter((q, i) => {
      if (vegas[i]! >= VEGA_FLOOR * maxVega) {
        informativeVegas.push(vegas[i]!)
        return true
      }
      excluded.push({ instrument: q.instrument, reason: `vega below ${VEGA_FLOOR * 100}% of the expiry's largest: its mark IV carries no price information` })
      return false
    })
    if (informative.length < minQuotes) {
      unfitted.push({ expiryMs, quotes: informative.length })
      continue
    }
    const k = informative.map((q) => Math.log(q.strike / q.forward))
    const fit = fitSvi(
      k,
      informative.map((q) => q.iv),
      T,
    )
    slices.push({
      expiryMs,
      T,
      forward,
      params: fit.params,
      kMin: Math.min(...k),
      kMax: Math.max(...k),
      rmseVolPoints: fit.rmseVolPoints,
      vegaWeightedRmseVolPoints: vegaWeightedRmse(fit.params, k, informative.map((q) => q.iv), informativeVegas, T),
      maxAbsErrorVolPoints: fit.maxAbsErrorVolPoints,
      quotes: fit.n,
    })
  }
  if (slices.length === 0) throw new RangeError(`no expiry has ${minQuotes} or more usable quotes`)

  const butterfly: ButterflyFlag[] = []
  for (const sl of slices) {
    let worst = { k: sl.kMin, g: Infinity }
    for (let j = 0; j <= 400; j++) {
      const k = sl.kMin + ((sl.kMax - sl.kMin) * j) / 400
      const { w, w1, w2 } = sviDerivatives(sl.params, k)
      const g = w > 0 ? butterflyDensity(k, w, w1, w2) : -Infinity
      if (g < worst.g) worst = { k, g }
    }
    if (worst.g < 0) butterfly.push({ expiryMs: sl.expiryMs, k: worst.k, g: worst.g })
  }
  const surface = new VolSurface(options.valuationMs, slices, { slices, excluded, unfitted, butterfly: [], calendar: [] }, options.index)
  const calendar: CalendarFlag[] = []
  for (let i = 0; i + 1 < slices.length; i++) {
    const a = slices[i]!
    const b = slices[i + 1]!
    const lo = Math.min(a.kMin, b.kMin)
    const hi = Math.max(a.kMax, b.kMax)
    let worst = { k: lo, excess: 0 }
    for (let j = 0; j <= 400; j++) {
      const k = lo + ((hi - lo) * j) / 400
      const excess = surface.totalVariance(k, a.T) - surface.totalVariance(k, b.T)
      if (excess > worst.excess) worst = { k, excess }
    }
    if (worst.excess > 0) calendar.push({ expiryMs: a.expiryMs, nextExpiryMs: b.expiryMs, k: worst.k, excessTotalVariance: worst.excess })
  }
  return new VolSurface(options.valuationMs, slices, { slices, excluded, unfitted, butterfly, calendar }, options.index)
}
