/**
 * dYdX v4 indexer account responses (indexer API: github.com/dydxprotocol/v4-chain
 * indexer/services/comlink/public/api-documentation.md; docs.dydx.xyz/types/subaccount_response_object and
 * perpetual_position_response_object; research note defi-hedging-var-reports.md §2):
 *
 *  - dydx-indexer-address: `GET /v4/addresses/{address}` `{subaccounts: [SubaccountResponseObject], totalTradingRewards}`;
 *  - dydx-indexer-subaccount: `GET /v4/addresses/{address}/subaccountNumber/{n}` `{subaccount: SubaccountResponseObject}`;
 *  - dydx-indexer-parent-subaccount: `GET /v4/addresses/{address}/parentSubaccountNumber/{n}` `{address,
 *    parentSubaccountNumber, equity, freeCollateral, childSubaccounts: [SubaccountResponseObject]}`;
 *    a subaccount: `address`, `subaccountNumber`, `equity`, `freeCollateral` (USDC), `openPerpetualPositions`
 *    {TICKER: position}, `assetPositions` {SYMBOL: {symbol, side LONG/SHORT, size ≥ 0, assetId}}, block heights;
 *  - dydx-indexer-perpetual-positions: `GET /v4/perpetualPositions` `{positions: [position]}` (no address: the
 *    account is `--account`/`main`); only `OPEN` positions are positions, closed ones are skipped and counted.
 * A position: `market` (ticker), `status`, `side` LONG/SHORT, `size` signed in the coin (negative short), `entryPrice`
 * (USD), `unrealizedPnl` = size × (oracle − entryPrice) (indexer `getUnrealizedPnl`), `realizedPnl`, `netFunding`,
 * `sumOpen`, `sumClose`, `createdAt`, `subaccountNumber`.
 *
 * Checked, a mismatch named in the notes (never refused: the indexer's figures are kept beside Riskdesk's): `side`
 * agrees with the sign of `size` and the map key with `market` (refused when not: the position would be misread);
 * per subaccount equity = USDC + Σ size × oracle (indexer `calculateEquityAndFreeCollateral`), with size × oracle =
 * size × entryPrice + unrealizedPnl, to 1e-6 USDC per term. The note also gives equity − freeCollateral, the
 * indexer's Σ IM at the base IMF (it does not apply the open-interest scaling).
 *
 * Stored: each open position (cross within its subaccount); the oracle price each position implies, entryPrice +
 * unrealizedPnl ÷ size (12 significant digits), as the market snapshot's mark (dYdX margins at the oracle price);
 * the USDC balance as the collateral Riskdesk revalues from: USDC + Σ size × entryPrice (its equity then adds
 * Σ size × (price − entryPrice)); any other asset position as a balance of that asset. The snapshot time is the
 * user's (dydxIndexer.ts).
 */
import type { Node } from 'jsonc-parser'
import { parseDydxInstrument } from '../../../domain/instruments/dydxInstrument'
import { D } from '../../../domain/trades/decimal'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import { jsonChild, type JsonDocument } from '../../core/jsonDocument'
import { arrayAt, JsonElement } from '../../core/jsonRows'
import { InstrumentCache } from '../../core/logSupport'
import { DYDX, entriesOf, isObj, snapshotTime, subaccountName, subaccountNumberOf } from './dydxIndexer'

const TOLERANCE = new D('0.000001')

interface ReadPosition {
  instrument: ReturnType<typeof parseDydxInstrument>
  size: D
  entryPrice: D
  unrealizedPnl: D
  line: number
  /** The position's own `subaccountNumber`, when it states one. */
  subaccountNumber: number | null
}

/** Reads one position object; undefined after an issue (or a skip for a closed one). */
function readPosition(
  ctx: FormatContext,
  doc: JsonDocument,
  node: Node,
  instruments: InstrumentCache,
  o: { key?: string; subaccountNumber?: number },
): ReadPosition | { closed: number | null } | undefined {
  const e = new JsonElement(ctx, doc, node)
  const market = e.str('market')
  const status = e.str('status', { pattern: /^(OPEN|CLOSED|LIQUIDATED)$/, expected: 'OPEN, CLOSED or LIQUIDATED' })
  const side = e.str('side', { pattern: /^(LONG|SHORT)$/, expected: 'LONG or SHORT' })
  const size = e.dec('size')
  const entryPrice = e.dec('entryPrice', { positive: true })
  const upnl = e.dec('unrealizedPnl')
  const n = subaccountNumberOf(e.raw('subaccountNumber'))
  if (e.raw('subaccountNumber') !== undefined && n === null) e.issue('subaccountNumber', e.raw('subaccountNumber'), 'expected a subaccount number 0 … 127999')
  if (e.failed || !market || !status || !side || !size || !entryPrice || !upnl) return undefined
  if (o.key !== undefined && o.key !== market) return e.issue('market', market, `the position is filed under "${o.key}": the key and the market must agree`)
  if (o.subaccountNumber !== undefined && n !== null && n !== o.subaccountNumber)
    return e.issue('subaccountNumber', String(n), `the position sits in subaccount ${o.subaccountNumber}`)
  if (status !== 'OPEN') {
    ctx.sink.skip({ line: e.line, reason: `${market}: ${status.toLowerCase()} position (only open positions are held)` })
    return { closed: n }
  }
  if (size.isZero() || size.isNegative() !== (side === 'SHORT')) return e.issue('size', size.toFixed(), `expected a ${side === 'SHORT' ? 'negative' : 'positive'} size for a ${side} position`)
  const instrument = instruments.get(market)
  if (instrument instanceof Error) return e.issue('market', market, instrument.message)
  return { instrument, size, entryPrice, unrealizedPnl: upnl, line: e.line, subaccountNumber: n }
}

/** The oracle price a position implies: entryPrice + unrealizedPnl ÷ size (indexer getUnrealizedPnl). */
function impliedOracle(p: ReadPosition): D {
  return p.entryPrice.plus(p.unrealizedPnl.div(p.size)).toSignificantDigits(12)
}

function quoteOf(p: ReadPosition, ts: number): ImportedQuote {
  return {
    instrument: p.instrument, ts, markPrice: impliedOracle(p).toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null,
    source: 'dydx indexer: oracle price implied by unrealizedPnl = size × (oracle − entryPrice)',
  }
}

/** One SubaccountResponseObject: positions, balances, quotes and its checks; its number, equity and free collateral once read. */
function readSubaccount(
  ctx: FormatContext,
  doc: JsonDocument,
  node: Node,
  ts: number,
  instruments: InstrumentCache,
  quotes: ImportedQuote[],
): { number: number; equity: D; free: D; line: number } | undefined {
  const s = new JsonElement(ctx, doc, node)
  const address = s.str('address', { pattern: /^dydx1[0-9a-z]{38,58}$/, expected: 'a dydx1… address' })
  const nRaw = s.raw('subaccountNumber')
  const n = subaccountNumberOf(nRaw)
  if (n === null) s.issue('subaccountNumber', nRaw, 'expected a subaccount number 0 … 127999')
  const equity = s.dec('equity')
  const free = s.dec('freeCollateral')
  const positionsNode = jsonChild(node, ['openPerpetualPositions'])
  const assetsNode = jsonChild(node, ['assetPositions'])
  if (positionsNode?.type !== 'object') s.issue('openPerpetualPositions', undefined, 'expected an object {TICKER: position}')
  if (assetsNode?.type !== 'object') s.issue('assetPositions', undefined, 'expected an object {SYMBOL: asset position}')
  if (s.failed || !address || n === null || !equity || !free) return undefined
  const account = subaccountName(ctx, address, n)
  ctx.sink.account(DYDX, account, ['USDC'])
  const positions: ReadPosition[] = []
  for (const [key, pNode] of entriesOf(positionsNode)) {
    const p = readPosition(ctx, doc, pNode, instruments, { key, subaccountNumber: n })
    if (p && !('closed' in p)) positions.push(p)
  }
  let usdc: D | null = null
  let usdcLine = s.line
  const others: Array<{ symbol: string; amount: D; line: number }> = []
  for (const [key, aNode] of entriesOf(assetsNode)) {
    const a = new JsonElement(ctx, doc, aNode)
    const symbol = a.str('symbol', { pattern: /^[A-Z0-9]{2,12}$/, expected: 'an asset symbol such as USDC' })
    const side = a.str('side', { pattern: /^(LONG|SHORT)$/, expected: 'LONG or SHORT' })
    const size = a.dec('size', { nonNegative: true })
    if (a.failed || !symbol || !side || !size) continue
    if (symbol !== key) {
      a.issue('symbol', symbol, `the asset position is filed under "${key}": the key and the symbol must agree`)
      continue
    }
    const amount = side === 'SHORT' ? size.neg() : size
    if (symbol === 'USDC') {
      usdc = amount
      usdcLine = a.line
    } else others.push({ symbol, amount, line: a.line })
  }
  if (s.failed) return undefined
  const q = usdc ?? new D(0)
  let signedValue = new D(0)
  let atEntry = new D(0)
  for (const p of positions) {
    signedValue = signedValue.plus(p.size.times(p.entryPrice).plus(p.unrealizedPnl))
    atEntry = atEntry.plus(p.size.times(p.entryPrice))
    ctx.sink.position({ venue: DYDX, account, instrument: p.instrument, quantity: p.size.toFixed(), entryPrice: p.entryPrice.toFixed(), entryTime: null, note: null, line: p.line, venueMargin: null })
    quotes.push(quoteOf(p, ts))
  }
  const computed = q.plus(signedValue)
  if (equity.minus(computed).abs().gt(TOLERANCE.times(positions.length + 1)))
    ctx.sink.note(`dydx ${account} does not add up: equity ${equity.toFixed()}, USDC ${q.toFixed()} + Σ size × oracle ${signedValue.toFixed()} = ${computed.toFixed()}`)
  else ctx.sink.note(`dydx ${account}: equity ${equity.toFixed()} = USDC ${q.toFixed()} + Σ size × oracle ${signedValue.toFixed()} (the file's own identity holds)`)
  ctx.sink.note(`dydx ${account}: the indexer's free collateral ${free.toFixed()}, so its Σ initial margin (at the base IMF, without the open-interest scaling) is ${equity.minus(free).toFixed()} USDC`)
  const collateral = q.plus(atEntry)
  ctx.sink.balance({ venue: DYDX, account, currency: 'USDC', amount: collateral.toFixed(), ts, source: 'file', line: usdcLine })
  if (positions.length > 0)
    ctx.sink.note(`dydx ${account}: USDC collateral ${collateral.toFixed()} = USDC ${q.toFixed()} + Σ size × entryPrice ${atEntry.toFixed()} (the positions are revalued from their entry price)`)
  for (const o of others) ctx.sink.balance({ venue: DYDX, account, currency: o.symbol, amount: o.amount.toFixed(), ts, source: 'file', line: o.line })
  return { number: n, equity, free, line: s.line }
}

function readAddress(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['subaccounts'])!
  const height = (arr.children ?? []).map((c) => jsonChild(c, ['latestProcessedBlockHeight'])?.value as string | undefined).find((h) => h !== undefined) ?? null
  const ts = snapshotTime(ctx, 'address response', height)
  if (ts === undefined) return 0
  const instruments = new InstrumentCache(parseDydxInstrument)
  const quotes: ImportedQuote[] = []
  for (const node of arr.children ?? []) readSubaccount(ctx, doc, node, ts, instruments, quotes)
  const rewards = jsonChild(doc.root, ['totalTradingRewards'])
  if (rewards) ctx.sink.note(`totalTradingRewards ${String(rewards.value)} (DYDX) is not a balance of the subaccounts: not stored`)
  if (quotes.length > 0) ctx.sink.market({ venue: DYDX, asOf: ts, quotes, indices: [] })
  return arr.children?.length ?? 0
}

function readOneSubaccount(doc: JsonDocument, ctx: FormatContext): number {
  const node = jsonChild(doc.root, ['subaccount'])!
  const ts = snapshotTime(ctx, 'subaccount response', (jsonChild(node, ['latestProcessedBlockHeight'])?.value as string | undefined) ?? null)
  if (ts === undefined) return 0
  const quotes: ImportedQuote[] = []
  readSubaccount(ctx, doc, node, ts, new InstrumentCache(parseDydxInstrument), quotes)
  if (quotes.length > 0) ctx.sink.market({ venue: DYDX, asOf: ts, quotes, indices: [] })
  return 1
}

/**
 * `GET /v4/addresses/{address}/parentSubaccountNumber/{n}`: the parent's children (the parent itself, number n, and
 * the isolated-position subaccounts 128 × k + n), each its own margin account; the parent's `equity` and
 * `freeCollateral` are the children's sums (checked, a mismatch named in the notes).
 */
function readParentSubaccount(doc: JsonDocument, ctx: FormatContext): number {
  const root = new JsonElement(ctx, doc, doc.root)
  const address = root.str('address', { pattern: /^dydx1[0-9a-z]{38,58}$/, expected: 'a dydx1… address' })
  const parentRaw = root.raw('parentSubaccountNumber')
  const parent = subaccountNumberOf(parentRaw)
  if (parent === null || parent > 127) root.issue('parentSubaccountNumber', parentRaw, 'expected a parent subaccount number 0 … 127')
  const equity = root.dec('equity')
  const free = root.dec('freeCollateral')
  const arr = arrayAt(doc, ['childSubaccounts'])!
  if (root.failed || !address || parent === null || !equity || !free) return 0
  const height = (arr.children ?? []).map((c) => jsonChild(c, ['latestProcessedBlockHeight'])?.value as string | undefined).find((h) => h !== undefined) ?? null
  const ts = snapshotTime(ctx, 'parent subaccount response', height)
  if (ts === undefined) return 0
  const instruments = new InstrumentCache(parseDydxInstrument)
  const quotes: ImportedQuote[] = []
  let sumEquity = new D(0)
  let sumFree = new D(0)
  for (const node of arr.children ?? []) {
    const childAddress = jsonChild(node, ['address'])?.value
    if (childAddress !== address) {
      new JsonElement(ctx, doc, node).issue('address', childAddress, `a child of ${address}'s parent subaccount must carry its address`)
      continue
    }
    const child = readSubaccount(ctx, doc, node, ts, instruments, quotes)
    if (!child) continue
    if (child.number % 128 !== parent) {
      new JsonElement(ctx, doc, node).issue('subaccountNumber', String(child.number), `not a child of parent subaccount ${parent} (children are 128 × k + ${parent})`)
      continue
    }
    sumEquity = sumEquity.plus(child.equity)
    sumFree = sumFree.plus(child.free)
  }
  const n = arr.children?.length ?? 0
  const off = [['equity', equity, sumEquity], ['freeCollateral', free, sumFree]].filter(([, stated, sum]) => (stated as D).minus(sum as D).abs().gt(TOLERANCE.times(n + 1)))
  for (const [what, stated, sum] of off) ctx.sink.note(`dydx parent subaccount ${address}/${parent} does not add up: ${what as string} ${(stated as D).toFixed()}, its children's sum ${(sum as D).toFixed()}`)
  if (off.length === 0) ctx.sink.note(`dydx parent subaccount ${address}/${parent}: equity ${equity.toFixed()} and freeCollateral ${free.toFixed()} are its ${n} children's sums`)
  if (quotes.length > 0) ctx.sink.market({ venue: DYDX, asOf: ts, quotes, indices: [] })
  return n
}

function readPositions(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['positions'])!
  const ts = snapshotTime(ctx, 'perpetualPositions response', null)
  if (ts === undefined) return 0
  const instruments = new InstrumentCache(parseDydxInstrument)
  const quotes: ImportedQuote[] = []
  const accounts = new Set<string>()
  for (const node of arr.children ?? []) {
    const p = readPosition(ctx, doc, node, instruments, {})
    if (p === undefined) continue
    const n = 'closed' in p ? p.closed : p.subaccountNumber
    if (n === null) {
      new JsonElement(ctx, doc, node).issue('subaccountNumber', undefined, 'expected the subaccount number of the position')
      continue
    }
    const account = subaccountName(ctx, null, n)
    if (!accounts.has(account)) {
      accounts.add(account)
      // The list is the subaccount's positions: it speaks for its USDC perpetuals.
      ctx.sink.account(DYDX, account, ['USDC'])
    }
    if ('closed' in p) continue
    ctx.sink.position({ venue: DYDX, account, instrument: p.instrument, quantity: p.size.toFixed(), entryPrice: p.entryPrice.toFixed(), entryTime: null, note: null, line: p.line, venueMargin: null })
    quotes.push(quoteOf(p, ts))
  }
  if (ctx.options.account === undefined && accounts.size > 0)
    ctx.sink.note(`the perpetualPositions response does not name the address: filed under ${[...accounts].join(', ')} (give --account ADDRESS to file it with the address's other dYdX imports)`)
  ctx.sink.note('no USDC balance in a perpetualPositions response: import the address or subaccount response for the collateral')
  if (quotes.length > 0) ctx.sink.market({ venue: DYDX, asOf: ts, quotes, indices: [] })
  return arr.children?.length ?? 0
}

const hasSubaccountShape = (o: unknown) => isObj(o) && 'equity' in o && 'freeCollateral' in o && 'openPerpetualPositions' in o && 'assetPositions' in o

export const dydxAddressFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-address',
  description: 'dYdX v4 indexer GET /v4/addresses/{address} JSON: subaccounts with perpetual positions and USDC; needs --snapshot-time',
  content: 'positions',
  venue: DYDX,
  detect: (v) => isObj(v) && Array.isArray(v.subaccounts) && v.subaccounts.length > 0 && v.subaccounts.every(hasSubaccountShape),
  read: readAddress,
}

export const dydxSubaccountFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-subaccount',
  description: 'dYdX v4 indexer GET /v4/addresses/{address}/subaccountNumber/{n} JSON: one subaccount; needs --snapshot-time',
  content: 'positions',
  venue: DYDX,
  detect: (v) => isObj(v) && hasSubaccountShape(v.subaccount),
  read: readOneSubaccount,
}

export const dydxParentSubaccountFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-parent-subaccount',
  description: 'dYdX v4 indexer GET /v4/addresses/{address}/parentSubaccountNumber/{n} JSON: the parent and its isolated children; needs --snapshot-time',
  content: 'positions',
  venue: DYDX,
  detect: (v) => isObj(v) && 'parentSubaccountNumber' in v && Array.isArray(v.childSubaccounts) && v.childSubaccounts.length > 0 && v.childSubaccounts.every(hasSubaccountShape),
  read: readParentSubaccount,
}

export const dydxPerpetualPositionsFormat: JsonFormat = {
  type: 'json',
  id: 'dydx-indexer-perpetual-positions',
  description: 'dYdX v4 indexer GET /v4/perpetualPositions JSON: open positions of a subaccount (no USDC); needs --snapshot-time',
  content: 'positions',
  venue: DYDX,
  detect: (v) =>
    isObj(v) && Array.isArray(v.positions) && v.positions.length > 0 && v.positions.every((p) => isObj(p) && 'market' in p && 'sumOpen' in p && 'entryPrice' in p && 'unrealizedPnl' in p),
  read: readPositions,
}
