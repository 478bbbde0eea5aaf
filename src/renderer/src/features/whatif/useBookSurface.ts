/**
 * The fitted vol surface of the snapshot the book is valued against: the positions report names the market
 * snapshots it used; the first of them the surface report can fit (one with option mark IVs) is asked for. Used
 * for the leg editor's option list and the profile chart's ATM vols. Falls back to the latest fitted snapshot when
 * the book's snapshots hold no option chain (a book of futures only), said so in `note`.
 */
import type { PositionsReport } from '../../../../shared/api'
import type { VolSurfaceReport } from '../../../../shared/surfaceApi'
import { useApiQuery } from '../../data/useApi'

export function useBookSurface(positions: PositionsReport | undefined): { surface: VolSurfaceReport | undefined; note: string | null; error: Error | null } {
  const latest = useApiQuery('getVolSurface', positions ? {} : undefined)
  const fitted = latest.data?.snapshots ?? []
  const own = positions?.market.snapshots.map((s) => s.id).find((id) => fitted.some((f) => f.snapshotId === id))
  const other = useApiQuery('getVolSurface', own !== undefined && own !== latest.data?.snapshotId ? { snapshotId: own } : undefined)
  if (!latest.data) return { surface: undefined, note: null, error: latest.error }
  if (own === undefined)
    return { surface: latest.data, note: `the book's market data holds no option chain: options listed from ${latest.data.venue} ${latest.data.asOf}`, error: null }
  return own === latest.data.snapshotId ? { surface: latest.data, note: null, error: null } : { surface: other.data, note: null, error: other.error }
}
