/**
 * Price history as VaR will read it: closes per underlying and interval. Several sources may cover the same
 * underlying (Bitstamp and Binance BTC daily closes); the caller picks one by `source`, or takes the series
 * list to choose.
 */
import type { Db } from './database'

export interface PriceSeriesInfo {
  id: number
  importId: number
  underlying: string
  quoteCurrency: string
  interval: '1d' | '1h'
  source: string
  firstTs: number
  lastTs: number
  closes: number
  gaps: Array<{ from: number; missing: number }>
}

/**
 * The stored price series (all, or one underlying's), each with its interval (`1d` | `1h`), source (format
 * and pair), first and last close (ms UTC), count and gaps (`from` ms, number of missing intervals).
 */
export function listPriceSeries(db: Db, underlying?: string): PriceSeriesInfo[] {
  return db
    .prepare<string[], Record<string, string | number>>(
      `SELECT * FROM price_series ${underlying === undefined ? '' : 'WHERE underlying = ?'} ORDER BY underlying, interval, source, id`,
    )
    .all(...(underlying === undefined ? [] : [underlying]))
    .map((r) => ({
      id: r.id as number,
      importId: r.import_id as number,
      underlying: r.underlying as string,
      quoteCurrency: r.quote_currency as string,
      interval: r.interval as '1d' | '1h',
      source: r.source as string,
      firstTs: r.first_ts as number,
      lastTs: r.last_ts as number,
      closes: r.closes as number,
      gaps: JSON.parse(r.gaps as string) as PriceSeriesInfo['gaps'],
    }))
}

/** Closes of one series, ascending by time: ts in ms since epoch UTC, close as a decimal string. */
export function priceCloses(db: Db, seriesId: number): Array<{ ts: number; close: string }> {
  return db.prepare<[number], { ts: number; close: string }>('SELECT ts, close FROM price_closes WHERE series_id = ? ORDER BY ts').all(seriesId)
}

/**
 * The latest close at or before `cutoffMs` of any stored series of `underlying` quoted in `quoteCurrency`
 * (ties: the series imported last), with its series' source; null when there is none.
 */
export function latestClose(db: Db, underlying: string, quoteCurrency: string, cutoffMs: number): { ts: number; close: string; source: string } | null {
  return (
    db
      .prepare<[string, string, number], { ts: number; close: string; source: string }>(
        `SELECT c.ts, c.close, s.source FROM price_closes c JOIN price_series s ON s.id = c.series_id
         WHERE s.underlying = ? AND s.quote_currency = ? AND c.ts <= ? ORDER BY c.ts DESC, s.id DESC LIMIT 1`,
      )
      .get(underlying, quoteCurrency, cutoffMs) ?? null
  )
}
