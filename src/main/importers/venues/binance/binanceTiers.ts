/**
 * Binance's own leverage-bracket responses (core/tierSupport.ts: dating and validation shared by every tier response):
 *
 *  - binance-usdm-leverage-bracket: GET /fapi/v1/leverageBracket (USDⓈ-M), an array (or, with `symbol`, one
 *    object) of `{symbol, notionalCoef?, brackets: [{bracket, initialLeverage, notionalCap, notionalFloor,
 *    maintMarginRatio, cum}]}`; notional in the quote (USDT/USDC). → `binance.usdm.brackets.<symbol>`.
 *    https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Notional-and-Leverage-Brackets
 *  - binance-coinm-leverage-bracket: GET /dapi/v2/leverageBracket (and v1, which names `pair`), brackets with
 *    `qtyCap`/`qtyFloor` in the base coin. `BTCUSD_PERP` → `binance.coinm.brackets.BTCUSD` (tables are filed
 *    by pair; a delivery symbol BTCUSD_250627 shares them).
 *    https://developers.binance.com/docs/derivatives/coin-margined-futures/account/Notional-Bracket-for-Pair

 */
import type { Node } from 'jsonc-parser'
import type { TierRow, TierTableValues } from '../../../domain/margin/params/brackets'
import { validateTierValues } from '../../../domain/margin/params/tierData'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import { jsonChild, jsonValue, type JsonDocument } from '../../core/jsonDocument'
import { elements } from '../../core/jsonRows'
import { decimalText, emit, importDay, isObj, positiveNumber } from '../../core/tierSupport'

function bracketElements(doc: JsonDocument): Node[] {
  if (doc.root.type === 'array') return doc.root.children ?? []
  return [doc.root]
}

function isBinanceBracketObject(v: unknown, capKey: string): boolean {
  if (!isObj(v) || !Array.isArray(v.brackets) || v.brackets.length === 0) return false
  if (typeof v.symbol !== 'string' && typeof v.pair !== 'string') return false
  return v.brackets.every((b) => isObj(b) && capKey in b && 'maintMarginRatio' in b)
}

function detectBinance(value: unknown, capKey: string): boolean {
  const items = Array.isArray(value) ? value : [value]
  return items.length > 0 && items.every((i) => isBinanceBracketObject(i, capKey))
}

/** Rows of one Binance `brackets` array (USDⓈ-M notional or COIN-M qty), sorted by bracket number. */
export function binanceRows(ctx: FormatContext, doc: JsonDocument, brackets: Node, capKey: 'notionalCap' | 'qtyCap'): TierRow[] | null {
  const floorKey = capKey === 'notionalCap' ? 'notionalFloor' : 'qtyFloor'
  const rows: Array<TierRow & { n: number }> = []
  let ok = true
  for (const e of elements(ctx, doc, brackets)) {
    const n = e.raw('bracket')
    const floor = decimalText(e, floorKey)
    const cap = decimalText(e, capKey)
    const mmr = decimalText(e, 'maintMarginRatio')
    const cum = decimalText(e, 'cum', { optional: true })
    const lev = positiveNumber(e, 'initialLeverage')
    if (e.failed || !floor || !cap || !mmr || lev === undefined || cum === undefined || n === undefined || !/^\d+$/.test(n)) {
      if (!e.failed) e.issue('bracket', n, 'expected the bracket number')
      ok = false
      continue
    }
    const r: TierRow & { n: number } = { n: Number(n), floor, cap, mmr, maxLeverage: lev }
    if (cum !== null) r.publishedMaintenanceAmount = cum
    rows.push(r)
  }
  if (!ok) return null
  rows.sort((a, b) => a.n - b.n)
  return rows.map(({ n: _n, ...r }) => r)
}

function readBinance(doc: JsonDocument, ctx: FormatContext, kind: 'usdm' | 'coinm'): number {
  const capKey = kind === 'usdm' ? 'notionalCap' : 'qtyCap'
  const { asOf, note } = importDay(ctx)
  const endpoint = kind === 'usdm' ? 'GET /fapi/v1/leverageBracket' : 'GET /dapi/v2/leverageBracket'
  let n = 0
  for (const node of bracketElements(doc)) {
    n++
    const v = jsonValue(node) as Record<string, unknown>
    const line = doc.lineOf(node.offset)
    const name = String(v.symbol ?? v.pair)
    const brackets = jsonChild(node, ['brackets'])!
    const rows = binanceRows(ctx, doc, brackets, capKey)
    if (!rows) continue
    // COIN-M tables are filed by pair: BTCUSD_PERP and BTCUSD_250627 share BTCUSD's brackets.
    const symbol = kind === 'coinm' ? name.split('_')[0]! : name
    const quote = kind === 'usdm' ? (/(USDT|USDC|BUSD|FDUSD)$/.exec(symbol)?.[1] ?? null) : symbol.replace(/USD$/, '')
    if (!quote || !/^[A-Z0-9]+$/.test(symbol)) {
      ctx.sink.issue({ file: ctx.file, line, column: 'symbol', value: name, message: `expected a Binance ${kind === 'usdm' ? 'USDⓈ-M symbol such as BTCUSDT' : 'COIN-M symbol such as BTCUSD_PERP'}` })
      continue
    }
    const coef = v.notionalCoef
    const notes = [note]
    if (coef !== undefined && Number(coef) !== 1)
      notes.push(`notionalCoef ${String(coef)}: Binance returns brackets adjusted for this account; they are stored as returned.`)
    const values: TierTableValues = { notionalUnit: quote, rows }
    emit(
      ctx,
      {
        venue: 'binance',
        tableId: `binance.${kind}.brackets.${symbol}`,
        asOf,
        dateBasis: 'imported',
        sources: [`${ctx.options.fileName}: Binance ${endpoint} response${kind === 'coinm' ? ` (${name})` : ''}`],
        note: notes.join(' '),
        values,
        line,
      },
      () => validateTierValues(values, `${ctx.file} line ${line} ${name}`, { publishedMismatch: 'note' }),
    )
  }
  return n
}

export const binanceUsdmLeverageBracketFormat: JsonFormat = {
  type: 'json',
  id: 'binance-usdm-leverage-bracket',
  description: 'Binance USDⓈ-M GET /fapi/v1/leverageBracket: leverage brackets (notional tiers) per symbol',
  content: 'tiers',
  venue: 'binance',
  detect: (v) => detectBinance(v, 'notionalCap'),
  read: (doc, ctx) => readBinance(doc, ctx, 'usdm'),
}

export const binanceCoinmLeverageBracketFormat: JsonFormat = {
  type: 'json',
  id: 'binance-coinm-leverage-bracket',
  description: 'Binance COIN-M GET /dapi/v2/leverageBracket (or v1): leverage brackets in coin per symbol or pair',
  content: 'tiers',
  venue: 'binance',
  detect: (v) => detectBinance(v, 'qtyCap'),
  read: (doc, ctx) => readBinance(doc, ctx, 'coinm'),
}

