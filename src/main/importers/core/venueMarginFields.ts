/**
 * Reads a position's margin terms and the venue's own margin figures (shared/venueMargin.ts) from the
 * fields of one position object of a JSON snapshot. Every field is optional (API versions differ: Binance v3
 * dropped `leverage` and `marginType`); a field that is present but malformed is an issue on its line, like
 * any other field. A liquidation price of 0 or empty (Binance `"0"`, Bybit `""`: no liquidation price) is
 * null; an isolated margin is kept for isolated positions only.
 */
import type { VenueMarginTerms } from '../../../shared/venueMargin'
import type { JsonElement } from './jsonRows'

export interface VenueMarginFields {
  /** The file kind, for `source` (the keys found are appended). */
  file: string
  /** Currency of the margin amounts. */
  currency: string
  leverage?: string
  /** The mode field and its values. */
  mode?: { key: string; cross: readonly string[]; isolated: readonly string[] }
  isolatedMargin?: string
  liquidationPrice?: string
  initialMargin?: string
  maintenanceMargin?: string
}

/** The terms, or null when the element has none of the fields; undefined after an issue was reported. */
export function readVenueMargin(e: JsonElement, f: VenueMarginFields): VenueMarginTerms | null | undefined {
  const found: string[] = []
  const amount = (key: string | undefined) => {
    if (key === undefined || !e.has(key)) return null
    const v = e.dec(key, { optional: true, nonNegative: true })
    if (v === undefined) return undefined
    found.push(key)
    return v
  }
  const leverage = amount(f.leverage)
  const isolated = amount(f.isolatedMargin)
  const liquidation = amount(f.liquidationPrice)
  const im = amount(f.initialMargin)
  const mm = amount(f.maintenanceMargin)
  let mode: VenueMarginTerms['mode'] = null
  if (f.mode && e.has(f.mode.key)) {
    const raw = e.raw(f.mode.key)!
    if (f.mode.cross.includes(raw)) mode = 'cross'
    else if (f.mode.isolated.includes(raw)) mode = 'isolated'
    else return e.issue(f.mode.key, raw, `expected ${[...f.mode.cross, ...f.mode.isolated].join(' or ')}`)
    found.push(f.mode.key)
  }
  if (leverage === undefined || isolated === undefined || liquidation === undefined || im === undefined || mm === undefined) return undefined
  if (found.length === 0) return null
  return {
    source: `${f.file} (${found.join(', ')})`,
    leverage: leverage === null || leverage.isZero() ? null : leverage.toNumber(),
    mode,
    isolatedMargin: mode === 'isolated' && isolated !== null ? isolated.toFixed() : null,
    liquidationPrice: liquidation === null || liquidation.isZero() ? null : liquidation.toNumber(),
    initialMargin: im === null ? null : im.toFixed(),
    maintenanceMargin: mm === null ? null : mm.toFixed(),
    currency: f.currency,
  }
}
