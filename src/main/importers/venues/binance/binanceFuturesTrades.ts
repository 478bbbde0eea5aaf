/**
 * Binance futures trade history CSV (USDⓈ-M and COIN-M), both layouts (research note exchange-formats.md):
 *   new `Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID`
 *       `Time` is `YY-MM-DD HH:MM:SS` in the UTC offset that only the file name states (`…(UTC--6).csv`
 *       means UTC−6); `--utc-offset` must agree with it, or give it when the name was changed;
 *       `Fee` carries its asset: `0.29528919 USDC`;
 *   old `Date(UTC),Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit[,Quote Asset]` (times in UTC).
 * Units: USDⓈ-M (`BTCUSDT`, `BTCUSDT_240628`) quantity in coin, price in USDT/USDC; COIN-M (`BTCUSD_PERP`,
 * `BTCUSD_201225`) quantity in contracts, stored in USD face (× 100 USD for BTC, 10 for others: the contract-
 * spec table). `Side` BUY/SELL. `Realized Profit` is Binance's own figure (margin asset), kept to compare with
 * the replay. A fee without an asset (old layout) is in `Quote Asset` when present, else in the contract's
 * margin asset (settlement currency) — stated in the import's notes. Trades are keyed by symbol + Trade ID
 * (new layout) or by their row (old layout), so overlapping exports are recognised.
 */
import { binanceFuturesMarket, parseBinanceInstrument } from '../../../domain/instruments/binanceInstrument'
import { exact, exactText, multiply } from '../../../domain/trades/exact'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { negate } from '../../core/fields'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, offsetFromFileName, resolveUtcOffset } from '../../core/logSupport'

export const BINANCE_FUTURES_TRADES_FORMAT = 'binance-futures-trades'
const NEW = ['Uid', 'Time', 'Symbol', 'Side', 'Price', 'Quantity', 'Amount', 'Fee', 'Realized Profit', 'Buyer', 'Maker', 'Trade ID', 'Order ID']
const OLD = ['Date(UTC)', 'Symbol', 'Side', 'Price', 'Quantity', 'Amount', 'Fee', 'Realized Profit']

function handler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { sink } = ctx
  const account = ctx.options.account ?? 'main'
  const layoutNew = ctx.version === 'new'
  const offset = layoutNew ? resolveUtcOffset(ctx, offsetFromFileName(ctx.options.fileName), 'Time (YY-MM-DD HH:MM:SS)') : 0
  const parseTime = offset === null ? null : dateTimeParser(layoutNew ? 'yy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm:ss', offset, ctx.options.receivedAt)
  const timeCol = layoutNew ? 'Time' : 'Date(UTC)'
  const iTime = r.idx(timeCol)
  const iSymbol = r.idx('Symbol')
  const iSide = r.idx('Side')
  const iQuote = ctx.col('Quote Asset')
  const iTrade = layoutNew ? r.idx('Trade ID') : -1
  const instruments = new InstrumentCache((s) => parseBinanceInstrument(s, binanceFuturesMarket(s), ctx.options.specs))
  const keys = new RowKeys()
  let unitlessFeeNoted = false
  return {
    row(f: string[], line: number) {
      if (!parseTime) return
      const ts = parseTime(f[iTime]!)
      if (ts === null) {
        r.issue(line, timeCol, f[iTime], `expected ${layoutNew ? 'YY-MM-DD HH:MM:SS' : 'YYYY-MM-DD HH:MM:SS'} (from 2009 until now)`)
        return
      }
      const instrument = instruments.get(f[iSymbol]!)
      if (instrument instanceof Error) {
        r.issue(line, 'Symbol', f[iSymbol], instrument.message)
        return
      }
      const side = f[iSide]
      if (side !== 'BUY' && side !== 'SELL') {
        r.issue(line, 'Side', side, 'expected BUY or SELL')
        return
      }
      const price = r.amount(f, 'Price', line, { positive: true })
      const qty = r.amount(f, 'Quantity', line, { positive: true })
      const fee = r.amount(f, 'Fee', line, { unit: true })
      const realized = r.amount(f, 'Realized Profit', line, { unit: true, optional: true })
      if (!price || !qty || !fee || realized === undefined) return
      // COIN-M quantities are contracts: × the USD face of one contract. USDⓈ-M: coin, as written.
      const size = instrument.quantityUnit === 'usd' ? exactText(multiply(exact(qty.value), exact(instrument.contractSize))) : qty.value
      let feeCurrency = fee.unit ?? (iQuote >= 0 && f[iQuote] !== '' ? f[iQuote]! : null)
      if (feeCurrency === null) {
        feeCurrency = instrument.settlementCurrency
        if (!unitlessFeeNoted) {
          unitlessFeeNoted = true
          sink.note('fees without an asset are read in each contract\'s margin asset (USDT for BTCUSDT, the coin for COIN-M); Binance charges BNB when its BNB discount is on, and then says so only in newer exports')
        }
      }
      sink.fill({
        venue: 'binance', account, instrument, ts, seq: null, kind: 'trade', quantity: side === 'BUY' ? size : negate(size), price: price.value,
        fee: fee.value, feeCurrency, venueRealizedPnl: realized === null ? null : realized.value,
        venueRealizedCurrency: realized === null ? null : (realized.unit ?? instrument.settlementCurrency), positionAfter: null,
        positionAfterUnsigned: false, key: layoutNew ? `binance:${f[iSymbol]}:${f[iTrade]}` : keys.key('binance', f), line,
      })
    },
    end() {},
  }
}

export const binanceFuturesTradesFormat: CsvFormat = {
  type: 'csv',
  id: BINANCE_FUTURES_TRADES_FORMAT,
  description: 'Binance futures trade history CSV, USDS-M and COIN-M, new (Uid,Time,…) and old (Date(UTC),…) layouts',
  content: 'trades',
  venue: 'binance',
  versions: [
    { name: 'new', columns: NEW },
    { name: 'old', columns: OLD, optional: ['Quote Asset'] },
  ],
  otherColumns: 'ignore',
  streaming: true,
  open: handler,
}
