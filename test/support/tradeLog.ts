/**
 * A generated Binance futures trade history (the "new layout" header, as bench/importBench.ts and
 * test/integration/importers/longLogs.test.ts write it): BTCUSDT and ETHUSDT linear, BTCUSD_PERP inverse,
 * deterministic for a seed (mulberry32), oldest row first. For tests and audit scripts that need a long
 * import; written to disk, never committed.
 */
import { closeSync, openSync, writeSync } from 'node:fs'

export const BINANCE_TRADES_HEADER = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID'

/** Writes `rows` trades to `path`. @returns the file's size in bytes */
export function writeBinanceTradeLog(path: string, rows: number, seed = 20261202): number {
  let a = seed
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const two = (n: number) => String(n).padStart(2, '0')
  const symbols = [
    { name: 'BTCUSDT', price: 60_000, decimals: 3, step: 0.001, asset: 'USDT', digits: 1 },
    { name: 'ETHUSDT', price: 3_000, decimals: 2, step: 0.01, asset: 'USDT', digits: 2 },
    { name: 'BTCUSD_PERP', price: 60_000, decimals: 0, step: 1, asset: 'BTC', digits: 1 },
  ]
  let t = Date.UTC(2024, 0, 1)
  const fd = openSync(path, 'w')
  let size = 0
  const out: string[] = [`${BINANCE_TRADES_HEADER}\n`]
  const flush = () => {
    const text = out.join('')
    size += Buffer.byteLength(text)
    writeSync(fd, text)
    out.length = 0
  }
  for (let i = 0; i < rows; i++) {
    const s = symbols[i % 3]!
    s.price *= 1 + (rand() - 0.5) * 0.002
    t += 1 + Math.floor(rand() * 3000)
    const d = new Date(t)
    const time = `${two(d.getUTCFullYear() % 100)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
    const side = rand() < 0.5 ? 'BUY' : 'SELL'
    const qty = (s.step * (1 + Math.floor(rand() * 20))).toFixed(s.decimals)
    const price = s.price.toFixed(s.digits)
    const amount = s.name === 'BTCUSD_PERP' ? ((Number(qty) * 100) / s.price).toFixed(8) : (Number(qty) * s.price).toFixed(4)
    const fee = (Number(amount) * 0.0004).toFixed(8)
    out.push(`123456789,${time},${s.name},${side},${price},${qty},${amount},${fee} ${s.asset},0,${side === 'BUY'},${rand() < 0.3},${100_000_000 + i},${200_000_000 + (i >> 1)}\n`)
    if (out.length >= 20_000) flush()
  }
  flush()
  closeSync(fd)
  return size
}
