/**
 * The whole book's Greeks grouped into buckets, per underlying: by expiry (each expiry date, then perpetuals,
 * spot and balances), by tenor (time to expiry at the valuation instant: <7 d, 7–30 d, 30–90 d, >90 d, and
 * `no expiry` for perpetuals, spot and balances), or by strike (each option strike, and `no strike` for every
 * line without one). Every valued line lands in exactly one bucket of its underlying, so each figure summed
 * over an underlying's buckets equals the underlying's total (valuationService.ts `UnderlyingTotals`: delta of
 * the whole book, gamma/vega/theta of the derivatives, which balances do not carry).
 *
 * Units (as the positions report's rows): delta in coin (USD delta, ∂ USD value / ∂ index), gamma in coin per
 * USD, vega in USD per vol point, theta in USD per calendar day; value in USD. Tenor in ACT/365 calendar days
 * (domain/time.ts); bucket edges are half-open on the right: [0, 7), [7, 30), [30, 90), [90, ∞) days.
 *
 * Lines that could not be valued (Greeks null) are counted in `excluded` of their bucket and left out of its
 * sums, never silently dropped. USD cash balances carry no Greeks and are left out (they are not an exposure).
 */
import type { PositionRow } from '../../../shared/api'
import { NUMERAIRE } from '../../../shared/currencies'
import { isBalanceOrigin } from '../../../shared/positionOrigin'
import type { GreeksBucketBy } from '../../../shared/greeksApi'
import { MS_PER_DAY } from '../time'


/** Tenor bucket edges in calendar days (the upper edge of each bucket, exclusive), with their labels. */
export const TENOR_BUCKETS: ReadonlyArray<{ label: string; maxDays: number }> = [
  { label: '<7d', maxDays: 7 },
  { label: '7–30d', maxDays: 30 },
  { label: '30–90d', maxDays: 90 },
  { label: '>90d', maxDays: Infinity },
]

export interface GreeksBucket {
  underlying: string
  /** Bucket label: an expiry date YYYY-MM-DD, `perpetual`, `spot`, `balances`; a tenor label; a strike in USD
   * as text, or `no expiry` / `no strike`. */
  bucket: string
  /** Sort key within the underlying (expiry ms, tenor rank, strike). */
  order: number
  /** Lines in the bucket, valued or not. */
  lines: number
  /** Lines left out of the sums because they were not valued. */
  excluded: number
  /** Coin (USD delta). */
  delta: number
  /** Coin per USD. */
  gamma: number
  /** USD per vol point. */
  vegaUsd: number
  /** USD per calendar day. */
  thetaUsd: number
  /** What the lines add to the book's value, USD. */
  valueUsd: number
}

/** Index in TENOR_BUCKETS of an expiry seen from the valuation instant (ms UTC; calendar days, ACT/365). */
export function tenorRank(expiryMs: number, valuationMs: number): number {
  const days = (expiryMs - valuationMs) / MS_PER_DAY
  return TENOR_BUCKETS.findIndex((b) => days < b.maxDays)
}

/** The line's bucket label and sort key, for one grouping. */
function bucketOf(row: PositionRow, by: GreeksBucketBy, valuationMs: number): { bucket: string; order: number } {
  const expiryMs = row.expiry === null ? null : Date.parse(row.expiry)
  // Lines without expiry sort after the dated ones, in a fixed order.
  const undated = isBalanceOrigin(row.origin) ? { bucket: 'balances', order: 3e15 } : { bucket: row.kind, order: row.kind === 'perpetual' ? 1e15 : 2e15 }
  switch (by) {
    case 'expiry':
      return expiryMs === null ? undated : { bucket: row.expiry!.slice(0, 10), order: expiryMs }
    case 'tenor': {
      if (expiryMs === null) return { bucket: 'no expiry', order: TENOR_BUCKETS.length }
      const rank = tenorRank(expiryMs, valuationMs)
      return { bucket: TENOR_BUCKETS[rank]!.label, order: rank }
    }
    case 'strike':
      return row.strike === null ? { bucket: 'no strike', order: Infinity } : { bucket: String(row.strike), order: row.strike }
  }
}

/**
 * @param rows the positions report's rows (positions and balances, valued or not)
 * @param valuationMs the valuation instant, ms UTC (tenor is measured from it)
 * @returns buckets sorted by underlying, then by expiry / tenor / strike
 */
export function greeksBuckets(rows: readonly PositionRow[], by: GreeksBucketBy, valuationMs: number): GreeksBucket[] {
  const buckets = new Map<string, GreeksBucket>()
  for (const row of rows) {
    if (isBalanceOrigin(row.origin) && row.underlying === NUMERAIRE) continue
    const { bucket, order } = bucketOf(row, by, valuationMs)
    const key = `${row.underlying}\u0000${bucket}`
    let b = buckets.get(key)
    if (!b) buckets.set(key, (b = { underlying: row.underlying, bucket, order, lines: 0, excluded: 0, delta: 0, gamma: 0, vegaUsd: 0, thetaUsd: 0, valueUsd: 0 }))
    b.lines++
    if (row.error !== null || row.delta === null) {
      b.excluded++
      continue
    }
    b.delta += row.delta
    b.gamma += row.gamma ?? 0
    b.vegaUsd += row.vega ?? 0
    b.thetaUsd += row.theta ?? 0
    b.valueUsd += row.valueUsd ?? 0
  }
  return [...buckets.values()].sort((a, b) => (a.underlying < b.underlying ? -1 : a.underlying > b.underlying ? 1 : a.order - b.order))
}
