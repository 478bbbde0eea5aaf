/**
 * dYdX v4 indexer markets, `GET /v4/perpetualMarkets` `{markets: {TICKER: PerpetualMarketResponseObject}}` (indexer
 * API docs; comlink `perpetualMarketToResponseObject`; docs.dydx.xyz/types/perpetual_market): per market `ticker`,
 * `status`, `oraclePrice` (USD), `initialMarginFraction` (base IMF = the liquidity tier's initialMarginPpm),
 * `maintenanceMarginFraction` (IMF × maintenanceFractionPpm), `openInterest` (coin), `openInterestLowerCap` and
 * `openInterestUpperCap` (USDC of open notional, the liquidity tier's OIMF caps), `stepSize` (coin) and `tickSize`
 * (USD), funding and volume figures.
 *
 * Stored, both dated by the user's snapshot time (the response carries none, dydxIndexer.ts):
 *  - the market snapshot: each market's oracle price as its mark (dYdX margins, liquidates and pays funding on the
 *    oracle price, docs "Margining"); a market without an oracle price is skipped and counted;
 *  - the margin parameters: one entry of `dydx.market.<TICKER>` per market (domain/margin/params/dydx.ts), laid over
 *    the built-in tables by the margin engine; every market's fractions and caps validated first (IMF in (0, 1],
 *    MMF in [0, IMF], lower cap ≤ upper cap), one bad market fails the file. A response from before the
 *    open-interest caps existed (no `openInterestLowerCap`) gives quotes but no parameters, and says so.
 * `stepSize` and `tickSize` are checked (positive) and not stored; funding and volume fields are not read.
 */
import { parseDydxInstrument } from '../../../domain/instruments/dydxInstrument'
import { dydxMarketParams } from '../../../domain/margin/dydx'
import { MarginInputError } from '../../../domain/margin/account'
import type { DydxMarketValues } from '../../../domain/margin/params/dydx'
import { MarginParamsError } from '../../../domain/margin/params/datedTable'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import { jsonChild, type JsonDocument } from '../../core/jsonDocument'
import { JsonElement } from '../../core/jsonRows'
import { decimalText, dayOf, emit } from '../../core/tierSupport'
import { DYDX, entriesOf, isObj, snapshotTime } from './dydxIndexer'

function readMarkets(doc: JsonDocument, ctx: FormatContext): number {
  const marketsNode = jsonChild(doc.root, ['markets'])!
  const entries = entriesOf(marketsNode)
  const ts = snapshotTime(ctx, 'perpetualMarkets response', null)
  if (ts === undefined) return 0
  const asOf = dayOf(ts)
  const quotes: ImportedQuote[] = []
  let noOracle = 0
  let noCaps = 0
  let notActive = 0
  for (const [key, node] of entries) {
    const e = new JsonElement(ctx, doc, node)
    const ticker = e.str('ticker')
    const status = e.str('status', { pattern: /^[A-Z_]+$/, expected: 'a market status such as ACTIVE' })
    const imf = decimalText(e, 'initialMarginFraction')
    const mmf = decimalText(e, 'maintenanceMarginFraction')
    const oi = decimalText(e, 'openInterest')
    const lower = decimalText(e, 'openInterestLowerCap', { optional: true })
    const upper = decimalText(e, 'openInterestUpperCap', { optional: true })
    const oracle = e.dec('oraclePrice', { optional: true, positive: true })
    e.dec('stepSize', { positive: true })
    e.dec('tickSize', { positive: true })
    if (e.failed || !ticker || !status || !imf || !mmf || !oi || lower === undefined || upper === undefined || oracle === undefined) continue
    if (ticker !== key) {
      e.issue('ticker', ticker, `the market is filed under "${key}": the key and the ticker must agree`)
      continue
    }
    const instrument = (() => {
      try {
        return parseDydxInstrument(ticker)
      } catch (err) {
        return e.issue('ticker', ticker, (err as Error).message)
      }
    })()
    if (!instrument) continue
    if (status !== 'ACTIVE') notActive++
    if (oracle === null) {
      noOracle++
      ctx.sink.skip({ line: e.line, reason: `${ticker}: no oracle price (no quote stored)` })
    } else
      quotes.push({
        instrument, ts, markPrice: oracle.toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null,
        source: 'dydx indexer perpetualMarkets oraclePrice (dYdX margins at the oracle price)',
      })
    if (lower === null || upper === null) {
      noCaps++
      continue
    }
    const values: DydxMarketValues = { initialMarginFraction: imf, maintenanceMarginFraction: mmf, openInterestLowerCap: lower, openInterestUpperCap: upper, openInterest: oi }
    emit(
      ctx,
      {
        venue: DYDX,
        tableId: `dydx.market.${ticker}`,
        asOf,
        dateBasis: 'recorded',
        sources: [`${ctx.options.fileName}: dYdX indexer GET /v4/perpetualMarkets response (${ticker})`],
        note: `Dated by the snapshot time given (${new Date(ts).toISOString()}); open interest ${oi} ${instrument.underlying} at that time${status === 'ACTIVE' ? '' : `; market status ${status}`}.`,
        values,
        line: e.line,
      },
      () => {
        try {
          dydxMarketParams(ticker, values)
        } catch (err) {
          if (err instanceof MarginInputError) throw new MarginParamsError(`${ctx.file} line ${e.line}: ${err.message}`)
          throw err
        }
        return []
      },
    )
  }
  if (noOracle > 0) ctx.sink.note(`${noOracle} market${noOracle > 1 ? 's' : ''} without an oracle price: no quote stored for ${noOracle > 1 ? 'them' : 'it'}`)
  if (noCaps > 0) ctx.sink.note(`${noCaps} market${noCaps > 1 ? 's' : ''} without openInterestLowerCap/UpperCap (an indexer from before the open-interest IMF): quotes stored, margin parameters not`)
  if (notActive > 0) ctx.sink.note(`${notActive} market${notActive > 1 ? 's' : ''} not ACTIVE (e.g. FINAL_SETTLEMENT): stored with their status in the parameters' note`)
  if (quotes.length > 0) ctx.sink.market({ venue: DYDX, asOf: ts, quotes, indices: [] })
  return entries.length
}

export const dydxPerpetualMarketsFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-perpetual-markets',
  description: 'dYdX v4 indexer GET /v4/perpetualMarkets JSON: oracle prices as marks, IMF/MMF and open-interest caps as margin parameters; needs --snapshot-time',
  content: 'market',
  venue: DYDX,
  detect: (v) => {
    if (!isObj(v) || !isObj(v.markets)) return false
    const ms = Object.values(v.markets)
    return ms.length > 0 && ms.every((m) => isObj(m) && 'ticker' in m && 'initialMarginFraction' in m && 'maintenanceMarginFraction' in m && 'clobPairId' in m)
  },
  read: readMarkets,
}
