/**
 * Price history CSVs → closes per underlying at a daily or hourly interval (for VaR). Real samples and their
 * quirks: research note exchange-formats.md "Price history files", data/real/market/.
 *
 *  - cryptodatadownload-ohlc: CryptoDataDownload files. First line is the site's URL (a preamble); header
 *    `Unix,Date,Symbol,Open,High,Low,Close,Volume …` (Binance daily) or `unix,date,symbol,open,high,low,close,…`
 *    (Bitstamp hourly); newest row first; `Unix` in ms (13 digits) or s (10 digits), and checked against
 *    `Date` (UTC). The symbol column names the pair (`BTCUSDT`, `BTC/USD`).
 *  - ohlcv-csv: a plain OHLCV file with `timestamp,open,close,volume,unix_timestamp,high,low` (mathaszip's
 *    order: close before high and low — columns are read by name, never by position) or just `time,close`.
 *    It names no symbol: the underlying must be stated (`--underlying BTC`, quote `--quote USD` by default).
 *
 * Closes are kept as written (decimal strings in the quote currency), sorted oldest first. The interval is
 * the most common spacing of the timestamps (1 day or 1 hour; anything else is refused); missing intervals
 * are listed as gaps (the Binance daily files miss 6 days in 2026) and duplicated instants are refused.
 * Volumes are not read (the 2018 rows of the Bitstamp hourly file have its two volume columns swapped; the
 * import counts such rows in a note).
 */
import { fieldReader } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import type { ImportedPriceSeries } from '../../core/importTypes'

const QUOTES = ['USDT', 'USDC', 'BUSD', 'USD', 'EUR', 'GBP', 'BTC', 'ETH']
const DAY = 86_400_000
const HOUR = 3_600_000

/** `BTCUSDT` / `BTC/USD` / `BTC-USD` → base and quote, or null. */
export function splitPair(symbol: string): { base: string; quote: string } | null {
  const m = /^([A-Z0-9]+)[/_-]([A-Z0-9]+)$/.exec(symbol.toUpperCase())
  if (m) return { base: m[1]!, quote: m[2]! }
  const s = symbol.toUpperCase()
  const quote = QUOTES.filter((q) => s.endsWith(q) && s.length > q.length).sort((a, b) => b.length - a.length)[0]
  return quote ? { base: s.slice(0, -quote.length), quote } : null
}

interface Row {
  ts: number
  close: string
  line: number
}

/** Sorts, checks spacing and duplicates, finds gaps; reports through ctx; returns the series or null. */
function buildSeries(ctx: CsvFormatContext, rows: Row[], underlying: string, quote: string, source: string): ImportedPriceSeries | null {
  rows.sort((a, b) => a.ts - b.ts || a.line - b.line)
  const counts = new Map<number, number>()
  let dup = false
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i]!.ts - rows[i - 1]!.ts
    if (d === 0) {
      dup = true
      ctx.sink.issue({ file: ctx.file, line: rows[i]!.line, column: null, message: `the same instant as line ${rows[i - 1]!.line} (${new Date(rows[i]!.ts).toISOString()})` })
    } else counts.set(d, (counts.get(d) ?? 0) + 1)
  }
  if (dup || rows.length === 0) return null
  const step = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
  if (step !== DAY && step !== HOUR) {
    ctx.sink.issue({ file: ctx.file, line: null, column: null, message: `rows are ${step === undefined ? 'too few' : `mostly ${step / 60000} minutes apart`}: expected daily or hourly closes` })
    return null
  }
  const gaps: ImportedPriceSeries['gaps'] = []
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i]!.ts - rows[i - 1]!.ts
    if (d % step !== 0) {
      ctx.sink.issue({ file: ctx.file, line: rows[i]!.line, column: null, message: `not on the ${step === DAY ? 'daily' : 'hourly'} grid of the rows before (${new Date(rows[i]!.ts).toISOString()})` })
      return null
    }
    if (d > step) gaps.push({ from: rows[i - 1]!.ts + step, missing: d / step - 1 })
  }
  if (gaps.length > 0) {
    const missing = gaps.reduce((n, g) => n + g.missing, 0)
    const shown = gaps.slice(0, 5).map((g) => `${new Date(g.from).toISOString().slice(0, step === DAY ? 10 : 13)}${g.missing > 1 ? ` (+${g.missing - 1})` : ''}`)
    ctx.sink.note(`${missing} missing ${step === DAY ? 'days' : 'hours'} in ${gaps.length} gap${gaps.length > 1 ? 's' : ''}: ${shown.join(', ')}${gaps.length > 5 ? ', …' : ''}`)
  }
  if (rows.length > 1 && rows[0]!.line > rows.at(-1)!.line) ctx.sink.note('rows are newest first in the file; stored oldest first')
  return { underlying, quoteCurrency: quote, interval: step === DAY ? '1d' : '1h', source, closes: rows.map((r) => ({ ts: r.ts, close: r.close, line: r.line })), gaps }
}

function cryptoDataDownload(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const lower = ctx.version === 'hourly'
  const c = (name: string) => (lower ? name.toLowerCase() : name)
  const [iUnix, iDate, iSymbol] = [c('Unix'), c('Date'), c('Symbol')].map((n) => r.idx(n))
  const dateOnly = dateTimeParser('yyyy-MM-dd', 0, ctx.options.receivedAt)
  const dateTime = dateTimeParser('yyyy-MM-dd HH:mm:ss', 0, ctx.options.receivedAt)
  const volCols = ctx.header.filter((h) => /^volume /i.test(h))
  const rows: Row[] = []
  let symbol: string | null = null
  let swapped = 0
  return {
    row(f: string[], line: number) {
      const unix = f[iUnix]!
      const ts = /^\d{13}$/.test(unix) ? Number(unix) : /^\d{10}$/.test(unix) ? Number(unix) * 1000 : null
      if (ts === null) return r.issue(line, c('Unix'), unix, 'expected a Unix time in ms (13 digits) or seconds (10 digits)')
      const dateText = f[iDate]!
      const dateMs = dateText.includes(' ') ? dateTime(dateText) : dateOnly(dateText)
      if (dateMs !== ts) return r.issue(line, c('Date'), dateText, `disagrees with ${c('Unix')} ${unix} (${new Date(ts).toISOString()}, UTC)`)
      const sym = f[iSymbol]!
      if (symbol === null) symbol = sym
      else if (sym !== symbol) return r.issue(line, c('Symbol'), sym, `expected ${symbol} like the rows before (one pair per file)`)
      const close = r.amount(f, c('Close'), line, { positive: true })
      if (!close) return
      if (volCols.length === 2) {
        const [a, b] = volCols.map((v) => Number(f[ctx.col(v)]))
        // "Volume BTC" below "Volume USD" in value terms is the normal case; the other way round means swapped.
        if (a! > b!) swapped++
      }
      rows.push({ ts, close: close.value, line })
    },
    end() {
      if (rows.length === 0 || symbol === null) return
      const pair = splitPair(symbol)
      if (!pair) return ctx.sink.issue({ file: ctx.file, line: rows[0]!.line, column: ctx.label(c('Symbol')), value: symbol, message: 'expected a pair such as BTCUSDT or BTC/USD' })
      if (swapped > 0) ctx.sink.note(`${swapped} rows have their two volume columns swapped (${volCols.join(', ')}); volumes are not read`)
      const series = buildSeries(ctx, rows, ctx.options.underlying ?? pair.base, pair.quote, `CryptoDataDownload ${symbol}`)
      if (series) ctx.sink.prices(series)
    },
  }
}

function ohlcv(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const underlying = ctx.options.underlying
  if (!underlying)
    ctx.sink.issue({ file: ctx.file, line: null, column: null, message: 'this price file names no symbol: give the underlying (riskdesk import --underlying BTC [--quote USD]) or the Underlying field of the Import view' })
  const quote = ctx.options.quoteCurrency ?? 'USD'
  const mathaszip = ctx.version === 'mathaszip'
  const parseText = dateTimeParser('yyyy-MM-dd HH:mm:ss', 0, ctx.options.receivedAt)
  const rows: Row[] = []
  return {
    row(f: string[], line: number) {
      if (!underlying) return
      let ts: number | null
      if (mathaszip) {
        const unix = f[r.idx('unix_timestamp')]!
        ts = /^\d{10}$/.test(unix) ? Number(unix) * 1000 : null
        if (ts === null) return r.issue(line, 'unix_timestamp', unix, 'expected a Unix time in seconds (10 digits)')
        const text = f[r.idx('timestamp')]!
        if (parseText(text) !== ts) return r.issue(line, 'timestamp', text, `disagrees with unix_timestamp ${unix} (${new Date(ts).toISOString()}, UTC)`)
      } else {
        const t = f[r.idx('time')]!
        ts = /^\d{13}$/.test(t) ? Number(t) : /^\d{10}$/.test(t) ? Number(t) * 1000 : null
        if (ts === null) return r.issue(line, 'time', t, 'expected a Unix time in ms or seconds')
      }
      const close = r.amount(f, 'close', line, { positive: true })
      if (!close) return
      rows.push({ ts, close: close.value, line })
    },
    end() {
      if (!underlying || rows.length === 0) return
      const series = buildSeries(ctx, rows, underlying, quote, `file ${ctx.options.fileName}`)
      if (series) ctx.sink.prices(series)
    },
  }
}

export const cryptoDataDownloadFormat: CsvFormat = {
  type: 'csv', id: 'cryptodatadownload-ohlc', content: 'prices', venue: null, otherColumns: 'ignore', streaming: false,
  description: 'CryptoDataDownload OHLC CSV (URL preamble, newest first, Unix ms or s): daily or hourly closes per pair',
  versions: [
    { name: 'daily', columns: ['Unix', 'Date', 'Symbol', 'Open', 'High', 'Low', 'Close'] },
    { name: 'hourly', columns: ['unix', 'date', 'symbol', 'open', 'high', 'low', 'close'] },
  ],
  preamble: { maxLines: 1, pattern: /^https?:\/\//i, describe: 'https://www.CryptoDataDownload.com' },
  open: cryptoDataDownload,
}

export const ohlcvFormat: CsvFormat = {
  type: 'csv', id: 'ohlcv-csv', content: 'prices', venue: null, otherColumns: 'ignore', streaming: false,
  description: 'OHLCV CSV without a symbol (timestamp,open,close,volume,unix_timestamp,high,low or time,close): needs --underlying',
  versions: [
    { name: 'mathaszip', columns: ['timestamp', 'open', 'close', 'volume', 'unix_timestamp', 'high', 'low'] },
    { name: 'time-close', columns: ['time', 'close'] },
  ],
  open: ohlcv,
}
