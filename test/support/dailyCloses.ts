/** The real daily close files as CloseSeries, read plainly (no importer) for the risk unit tests. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CloseSeries } from '../../src/main/domain/risk/riskFactors'
import { REAL } from './paths'

export const BTC_DAILY = join(REAL, 'market', 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv')
export const ETH_DAILY = join(REAL, 'market', 'binance_ethusdt_daily_2017-2026_cryptodatadownload.csv')

/** mathaszip BTC/USD: timestamp,open,close,… oldest first. */
export function btcDaily(): CloseSeries {
  const lines = readFileSync(BTC_DAILY, 'utf8').trim().split('\n').slice(1)
  return { underlying: 'BTC', source: 'mathaszip BTC/USD daily', closes: lines.map((l) => l.split(',')).map((f) => ({ ts: Date.parse(`${f[0]!.slice(0, 10)}T00:00:00Z`), close: Number(f[2]) })) }
}

/** CryptoDataDownload Binance ETHUSDT: URL line, header, newest first; Date is column 2, Close column 7. */
export function ethDaily(): CloseSeries {
  const lines = readFileSync(ETH_DAILY, 'utf8').trim().split('\n').slice(2)
  const closes = lines.map((l) => l.split(',')).map((f) => ({ ts: Date.parse(`${f[1]}T00:00:00Z`), close: Number(f[6]) }))
  return { underlying: 'ETH', source: 'Binance ETHUSDT daily', closes: closes.reverse() }
}

/** Daily log returns of a series dated from `first` to `last` inclusive (consecutive days only). */
export function logReturns(s: CloseSeries, first: string, last: string): number[] {
  const byDay = new Map(s.closes.map((c) => [new Date(c.ts).toISOString().slice(0, 10), c.close]))
  const out: number[] = []
  for (let ms = Date.parse(first); ms <= Date.parse(last); ms += 86_400_000) {
    const d = new Date(ms).toISOString().slice(0, 10)
    const p = new Date(ms - 86_400_000).toISOString().slice(0, 10)
    out.push(Math.log(byDay.get(d)! / byDay.get(p)!))
  }
  return out
}
