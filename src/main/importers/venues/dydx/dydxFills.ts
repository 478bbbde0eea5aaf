/**
 * dYdX v4 indexer fills, `GET /v4/fills?address=…&subaccountNumber=…` `{fills: [FillResponseObject]}` (indexer API
 * docs; comlink `fillToResponseObject`): `id`, `side` BUY/SELL, `liquidity` TAKER/MAKER, `type` (LIMIT, MARKET,
 * LIQUIDATED, LIQUIDATION, DELEVERAGED, OFFSETTING…), `market` (ticker), `marketType` PERPETUAL, `price` (USD),
 * `size` (coin, > 0), `fee` (USDC paid; negative = a maker rebate), `createdAt` (ISO-8601 UTC), `createdAtHeight`,
 * `orderId`, `subaccountNumber`. Newest first: fills of one instant (one block) are replayed in reverse file order
 * (as Bybit's lists).
 *
 * The fills are replayed into positions per subaccount (domain/trades/tradeLogReplay.ts, average-cost), as any
 * trade log: the file then speaks for the subaccounts' USDC perpetuals, so a window that starts after a position
 * was opened gives that position wrong (import the address response for the positions; the replay's realized P&L
 * is then the window's only). Fills of a liquidation (`LIQUIDATED`, the account's side, and `DELEVERAGED`) are
 * stored as kind `liquidation`. The response names no address: the account is `--account`/`main` + `/<number>`.
 */
import { parseDydxInstrument } from '../../../domain/instruments/dydxInstrument'
import { RANGES } from '../../../../shared/ranges'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import { parseZonedInstant } from '../../core/dates'
import type { JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements } from '../../core/jsonRows'
import { InstrumentCache } from '../../core/logSupport'
import { DYDX, isObj, subaccountName, subaccountNumberOf } from './dydxIndexer'

const LIQUIDATION_TYPES = new Set(['LIQUIDATED', 'DELEVERAGED'])

function readFills(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['fills'])!
  const instruments = new InstrumentCache(parseDydxInstrument)
  const accounts = new Set<string>()
  let liquidations = 0
  for (const [index, e] of elements(ctx, doc, arr).entries()) {
    const id = e.str('id')
    const side = e.str('side', { pattern: /^(BUY|SELL)$/, expected: 'BUY or SELL' })
    const market = e.str('market')
    const marketType = e.str('marketType', { optional: true, pattern: /^PERPETUAL$/, expected: 'PERPETUAL (dYdX v4 lists perpetuals only)' })
    const type = e.str('type', { pattern: /^[A-Z_]+$/, expected: 'a fill type such as LIMIT or LIQUIDATED' })
    const price = e.dec('price', { positive: true, range: RANGES.price })
    const size = e.dec('size', { positive: true })
    const fee = e.dec('fee')
    const createdAt = e.str('createdAt')
    const nRaw = e.raw('subaccountNumber')
    const n = subaccountNumberOf(nRaw)
    if (n === null) e.issue('subaccountNumber', nRaw, 'expected a subaccount number 0 … 127999')
    const ts = createdAt ? parseZonedInstant(createdAt) : null
    if (createdAt && ts === null) e.issue('createdAt', createdAt, 'expected an ISO-8601 UTC time such as 2024-08-01T07:09:25.767Z')
    if (e.failed || !id || !side || !market || marketType === undefined || !type || !price || !size || !fee || ts === null || n === null) continue
    const instrument = instruments.get(market)
    if (instrument instanceof Error) {
      e.issue('market', market, instrument.message)
      continue
    }
    const account = subaccountName(ctx, null, n)
    accounts.add(account)
    const kind = LIQUIDATION_TYPES.has(type) ? 'liquidation' : 'trade'
    if (kind === 'liquidation') liquidations++
    // Newest first: fills of one instant are replayed in reverse file order.
    ctx.sink.fill({
      venue: DYDX, account, instrument, ts, seq: -index, kind, quantity: side === 'BUY' ? size : size.neg(), price, fee, feeCurrency: 'USDC',
      venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null, positionAfterUnsigned: false, key: `dydx:fill:${id}`, line: e.line,
    })
  }
  if (ctx.options.account === undefined && accounts.size > 0)
    ctx.sink.note(`the fills response does not name the address: filed under ${[...accounts].join(', ')} (give --account ADDRESS to file it with the address's other dYdX imports)`)
  if (liquidations > 0) ctx.sink.note(`${liquidations} liquidation fill${liquidations > 1 ? 's' : ''} (type LIQUIDATED or DELEVERAGED)`)
  return arr.children?.length ?? 0
}

export const dydxFillsFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-fills',
  description: 'dYdX v4 indexer GET /v4/fills JSON: fills replayed into positions per subaccount',
  content: 'trades',
  venue: DYDX,
  detect: (v) =>
    isObj(v) && Array.isArray(v.fills) && v.fills.length > 0 && v.fills.every((f) => isObj(f) && 'market' in f && 'liquidity' in f && 'createdAtHeight' in f && 'size' in f && 'price' in f),
  read: readFills,
}
