/**
 * The venues' own tier (bracket, risk-limit) responses, so a user can load the current table of any symbol
 * (`riskdesk import tiers.json`): market-wide data, stored by table id and date (db/marginTierStore.ts) and laid
 * over the built-in tables by the margin engine (services/marginBook.ts). Every number is read from its literal
 * text (exact decimals) and every table is validated (params/tierData.ts validateTierValues: contiguous,
 * increasing tiers, MMR in [0, 1], finite leverage) before anything is stored; one bad table fails the file.
 *
 *  - binance-usdm-leverage-bracket: GET /fapi/v1/leverageBracket (USDⓈ-M), an array (or, with `symbol`, one
 *    object) of `{symbol, notionalCoef?, brackets: [{bracket, initialLeverage, notionalCap, notionalFloor,
 *    maintMarginRatio, cum}]}`; notional in the quote (USDT/USDC). → `binance.usdm.brackets.<symbol>`.
 *    https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Notional-and-Leverage-Brackets
 *  - binance-coinm-leverage-bracket: GET /dapi/v2/leverageBracket (and v1, which names `pair`), brackets with
 *    `qtyCap`/`qtyFloor` in the base coin. `BTCUSD_PERP` → `binance.coinm.brackets.BTCUSD` (tables are filed
 *    by pair; a delivery symbol BTCUSD_250627 shares them).
 *    https://developers.binance.com/docs/derivatives/coin-margined-futures/account/Notional-Bracket-for-Pair
 *  - bybit-risk-limit: GET /v5/market/risk-limit `{result: {category, list: [{id, symbol, riskLimitValue,
 *    maintenanceMargin, initialMargin, maxLeverage, mmDeduction}]}, time}`. Tiers sorted by risk limit; a tier's
 *    floor is the previous risk limit. Rates are decimals in the live API and percent in Bybit's own example
 *    ("maintenanceMargin": "0.5", "initialMargin": "1", "maxLeverage": "100.00"): each row is read as decimal
 *    when initialMargin × maxLeverage ≈ 1 and as percent when it is ≈ 100 (said in the note), else refused.
 *    Linear notional in the settle coin (USDT, or USDC for …PERP/…USDC), inverse in the base coin.
 *    → `bybit.<linear|inverse>.riskLimits.<symbol>`. https://bybit-exchange.github.io/docs/v5/market/risk-limit
 *  - okx-position-tiers: GET /api/v5/public/position-tiers `{code, data: [{instFamily|uly, tier, minSz, maxSz,
 *    mmr, imr, maxLever}]}` for SWAP/FUTURES: sizes in contracts; the contract value comes from the contract
 *    spec table (docs/importers.md "Contract specifications"; refused when unknown). → `okx.swap.tiers.<family>-SWAP`.
 *    https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers
 *  - ccxt-binance-leverage-tiers: ccxt's `fetchLeverageTiers()` result for Binance USDⓈ-M (`{"BTC/USDT:USDT":
 *    [{tier, minNotional, maxNotional, maintenanceMarginRate, maxLeverage, info}]}`, freqtrade's
 *    binance_leverage_tiers.json): the exact rows are read from each tier's `info` (Binance's own bracket).
 *
 * Dates: Bybit's response time (`time`, ms) gives the entry's `asOf` (basis `recorded`); the other responses
 * carry no time, so the import day is used (basis `imported`) and the note says so.
 */
import Decimal from 'decimal.js'
import type { Node } from 'jsonc-parser'
import { findContractSpec } from '../domain/instruments/contractSpecs'
import type { OkxTierValues, TierRow, TierTableValues } from '../domain/margin/params/brackets'
import { MarginParamsError } from '../domain/margin/params/datedTable'
import { validateTierValues } from '../domain/margin/params/tierData'
import type { FormatContext, JsonFormat } from './formatTypes'
import type { ImportedTierTable } from './importTypes'
import { jsonChild, jsonValue, type JsonDocument } from './jsonDocument'
import { arrayAt, elements, valueAt, type JsonElement } from './jsonRows'

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** A decimal field as plain exact text ("50.0" → "50"); undefined after an issue. */
function decimalText(e: JsonElement, key: string, o: { optional?: boolean } = {}): string | null | undefined {
  const v = e.raw(key)
  if (v === undefined || v === '') return o.optional ? null : e.issue(key, v, 'expected a non-negative decimal number')
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(v)) return e.issue(key, v, 'expected a non-negative decimal number such as "0.005"')
  return new Decimal(v).toFixed()
}

function positiveNumber(e: JsonElement, key: string): number | undefined {
  const v = decimalText(e, key)
  if (!v) return undefined
  const n = Number(v)
  if (!(n > 0) || !Number.isFinite(n)) return e.issue(key, v, 'expected a finite number > 0')
  return n
}

/** Dating of a response without its own time. */
function importDay(ctx: FormatContext): { asOf: string; note: string } {
  const day = dayOf(ctx.options.receivedAt)
  return { asOf: day, note: `The response carries no time of its own: dated by the import (${day}).` }
}

function emit(ctx: FormatContext, t: ImportedTierTable, validate: () => string[]): boolean {
  let notes: string[]
  try {
    notes = validate()
  } catch (err) {
    if (!(err instanceof MarginParamsError)) throw err
    ctx.sink.issue({ file: ctx.file, line: t.line, column: null, message: err.message })
    return false
  }
  for (const n of notes) ctx.sink.note(n)
  if (!ctx.sink.tiers) {
    ctx.sink.issue({ file: ctx.file, line: t.line, column: null, message: 'tier tables cannot be stored on this import path' })
    return false
  }
  ctx.sink.tiers({ ...t, note: [t.note, ...notes].join(' ').trim() })
  return true
}

// ---------------------------------------------------------------------------------------------- Binance

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
function binanceRows(ctx: FormatContext, doc: JsonDocument, brackets: Node, capKey: 'notionalCap' | 'qtyCap'): TierRow[] | null {
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

// ---------------------------------------------------------------------------------------------- Bybit

function detectBybit(v: unknown): boolean {
  if (!isObj(v) || !isObj(v.result)) return false
  const list = v.result.list
  return Array.isArray(list) && list.length > 0 && list.every((r) => isObj(r) && 'riskLimitValue' in r && 'maintenanceMargin' in r && 'symbol' in r)
}

function readBybit(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['result', 'list'])!
  const category = valueAt(doc, ['result', 'category'])
  const timeRaw = valueAt(doc, ['time'])
  if (category !== 'linear' && category !== 'inverse') {
    ctx.sink.issue({ file: ctx.file, line: 1, column: 'result.category', value: String(category), message: 'expected "linear" or "inverse" (risk limits of futures and perpetuals)' })
    return 0
  }
  const time = typeof timeRaw === 'number' || typeof timeRaw === 'string' ? Number(timeRaw) : NaN
  const dated = Number.isInteger(time) && time > 1e12 && time < 1e14
  const day = dated ? { asOf: dayOf(time), note: `Dated by the response's own time ${time} (${new Date(time).toISOString()}).` } : importDay(ctx)
  const bySymbol = new Map<string, Array<{ line: number; cap: string; mmr: string; lev: number; ded: string | null; percent: boolean }>>()
  const els = elements(ctx, doc, arr)
  for (const e of els) {
    const symbol = e.str('symbol', { pattern: /^[A-Z0-9]+$/, expected: 'a Bybit symbol such as BTCUSDT' })
    const cap = decimalText(e, 'riskLimitValue')
    const mm = decimalText(e, 'maintenanceMargin')
    const im = decimalText(e, 'initialMargin')
    const lev = positiveNumber(e, 'maxLeverage')
    const ded = decimalText(e, 'mmDeduction', { optional: true })
    if (e.failed || !symbol || !cap || !mm || !im || lev === undefined || ded === undefined) continue
    const ratio = Number(im) * lev
    const percent = Math.abs(ratio - 100) <= 2
    if (!percent && Math.abs(ratio - 1) > 0.02) {
      e.issue('initialMargin', im, `cannot tell decimal from percent rates: initialMargin × maxLeverage = ${ratio}, expected ≈ 1 (decimal) or ≈ 100 (percent)`)
      continue
    }
    const mmr = percent ? new Decimal(mm).div(100).toFixed() : mm
    const list = bySymbol.get(symbol) ?? []
    list.push({ line: e.line, cap, mmr, lev, ded, percent })
    bySymbol.set(symbol, list)
  }
  for (const [symbol, list] of bySymbol) {
    list.sort((a, b) => new Decimal(a.cap).cmp(b.cap))
    const rows: TierRow[] = list.map((r, i) => {
      const row: TierRow = { floor: i === 0 ? '0' : list[i - 1]!.cap, cap: r.cap, mmr: r.mmr, maxLeverage: r.lev }
      if (r.ded !== null) row.publishedMaintenanceAmount = r.ded
      else if (i === 0) row.publishedMaintenanceAmount = '0'
      return row
    })
    const unit = category === 'inverse' ? symbol.replace(/USD[A-Z0-9]*$/, '') : /USDT$/.test(symbol) ? 'USDT' : 'USDC'
    const notes = [day.note]
    if (list.some((r) => r.percent)) notes.push('Rates given in percent (initialMargin × maxLeverage = 100) and read as such.')
    const values: TierTableValues = { notionalUnit: unit, rows }
    emit(
      ctx,
      {
        venue: 'bybit',
        tableId: `bybit.${category}.riskLimits.${symbol}`,
        asOf: day.asOf,
        dateBasis: dated ? 'recorded' : 'imported',
        sources: [`${ctx.options.fileName}: Bybit GET /v5/market/risk-limit?category=${category} response`],
        note: notes.join(' '),
        values,
        line: list[0]!.line,
      },
      () => validateTierValues(values, `${ctx.file} line ${list[0]!.line} ${symbol}`, { publishedMismatch: 'note' }),
    )
  }
  return els.length
}

export const bybitRiskLimitFormat: JsonFormat = {
  type: 'json',
  id: 'bybit-risk-limit',
  description: 'Bybit v5 GET /v5/market/risk-limit: risk-limit tiers (linear in USDT/USDC, inverse in coin)',
  content: 'tiers',
  venue: 'bybit',
  detect: detectBybit,
  read: readBybit,
}

// ---------------------------------------------------------------------------------------------- OKX

function detectOkx(v: unknown): boolean {
  if (!isObj(v) || !Array.isArray(v.data) || v.data.length === 0) return false
  return v.data.every((r) => isObj(r) && 'maxSz' in r && 'mmr' in r && 'imr' in r && 'tier' in r && ('instFamily' in r || 'uly' in r))
}

function readOkx(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['data'])!
  const { asOf, note } = importDay(ctx)
  const byFamily = new Map<string, Array<{ line: number; tier: number; minSz: string; maxSz: string; mmr: string; imr: string; lev: number }>>()
  const els = elements(ctx, doc, arr)
  for (const e of els) {
    const family = e.str('instFamily', { optional: true }) || e.str('uly', { pattern: /^[A-Z0-9]+-[A-Z0-9]+$/, expected: 'an instrument family such as BTC-USDT' })
    const tier = e.raw('tier')
    const minSz = decimalText(e, 'minSz')
    const maxSz = decimalText(e, 'maxSz')
    const mmr = decimalText(e, 'mmr')
    const imr = decimalText(e, 'imr')
    const lev = positiveNumber(e, 'maxLever')
    if (tier === undefined || !/^[1-9]\d*$/.test(tier)) e.issue('tier', tier, 'expected the tier number 1, 2, …')
    if (e.failed || !family || !minSz || !maxSz || !mmr || !imr || lev === undefined) continue
    if (!/^[A-Z0-9]+-[A-Z0-9]+$/.test(family)) {
      e.issue('instFamily', family, 'expected an instrument family such as BTC-USDT')
      continue
    }
    const list = byFamily.get(family) ?? []
    list.push({ line: e.line, tier: Number(tier), minSz, maxSz, mmr, imr, lev })
    byFamily.set(family, list)
  }
  for (const [family, list] of byFamily) {
    list.sort((a, b) => a.tier - b.tier)
    const instrument = `${family}-SWAP`
    const first = list[0]!
    const where = `${ctx.file} line ${first.line} ${family}`
    const spec = findContractSpec(ctx.options.specs, 'okx', instrument, 'perpetual')
    if (!spec) {
      ctx.sink.issue({
        file: ctx.file,
        line: first.line,
        column: 'instFamily',
        value: family,
        message: `OKX sizes tiers in contracts and the value of one ${instrument} contract is not in the contract-spec table (${ctx.options.specs.origins.join(', ')}): add it (docs/importers.md, "Contract specifications") and import again`,
      })
      continue
    }
    const values: OkxTierValues = {
      contractValueCoin: spec.contractSize,
      contractValueUnit: spec.unit === 'usd' ? 'usd' : 'coin',
      explicit: list.map((r) => ({ maxContracts: r.maxSz, mmr: r.mmr, minImr: r.imr, maxLeverage: r.lev })),
      stepContracts: '0',
      mmrStep: '0',
      imrStep: '0',
      generatedTiers: 0,
    }
    emit(
      ctx,
      {
        venue: 'okx',
        tableId: `okx.swap.tiers.${instrument}`,
        asOf,
        dateBasis: 'imported',
        sources: [`${ctx.options.fileName}: OKX GET /api/v5/public/position-tiers response (${family})`, `contract value: ${spec.source}`],
        note: `${note} Every tier the response lists is stored; none is generated beyond tier ${list.at(-1)!.tier}. Contract value ${spec.contractSize} ${spec.unit} from the contract-spec table.`,
        values,
        line: first.line,
      },
      () => {
        list.forEach((r, i) => {
          const at = `${where}: tier ${r.tier}`
          if (r.tier !== i + 1) throw new MarginParamsError(`${at}: tiers must run 1, 2, 3… without gaps (found tier ${r.tier} in place ${i + 1})`)
          for (const [k, x] of [['mmr', r.mmr], ['imr', r.imr]] as const)
            if (new Decimal(x).gt(1)) throw new MarginParamsError(`${at}: ${k} ${x} outside [0, 1]`)
          if (!new Decimal(r.maxSz).gt(r.minSz)) throw new MarginParamsError(`${at}: maxSz ${r.maxSz} ≤ minSz ${r.minSz}`)
          if (i > 0) {
            const prev = list[i - 1]!
            if (new Decimal(r.minSz).lt(prev.maxSz)) throw new MarginParamsError(`${at}: minSz ${r.minSz} overlaps the previous tier (maxSz ${prev.maxSz})`)
            if (new Decimal(r.minSz).gt(new Decimal(prev.maxSz).plus(1)))
              throw new MarginParamsError(`${at}: minSz ${r.minSz} leaves a gap after the previous tier (maxSz ${prev.maxSz})`)
            if (new Decimal(r.mmr).lt(prev.mmr)) throw new MarginParamsError(`${at}: mmr ${r.mmr} below the previous tier's ${prev.mmr}`)
          } else if (!new Decimal(r.minSz).isZero()) throw new MarginParamsError(`${at}: tier 1 must start at minSz 0, found ${r.minSz}`)
        })
        return []
      },
    )
  }
  return els.length
}

export const okxPositionTiersFormat: JsonFormat = {
  type: 'json',
  id: 'okx-position-tiers',
  description: 'OKX GET /api/v5/public/position-tiers (SWAP/FUTURES): position tiers in contracts per instrument family',
  content: 'tiers',
  venue: 'okx',
  detect: detectOkx,
  read: readOkx,
}

// ---------------------------------------------------------------------------------------------- ccxt

function detectCcxtBinance(v: unknown): boolean {
  if (!isObj(v)) return false
  const lists = Object.values(v)
  return (
    lists.length > 0 &&
    Object.keys(v).every((k) => /^[A-Z0-9]+\/[A-Z0-9]+:[A-Z0-9]+(-\d{6})?$/.test(k)) &&
    lists.every((l) => Array.isArray(l) && l.length > 0 && l.every((t) => isObj(t) && 'maintenanceMarginRate' in t && isObj(t.info) && 'notionalCap' in t.info))
  )
}

function readCcxtBinance(doc: JsonDocument, ctx: FormatContext): number {
  const { asOf, note } = importDay(ctx)
  let n = 0
  for (const prop of doc.root.children ?? []) {
    const key = prop.children![0]!.value as string
    const list = prop.children![1]!
    const line = doc.lineOf(prop.offset)
    n += list.children?.length ?? 0
    const m = /^([A-Z0-9]+)\/([A-Z0-9]+):([A-Z0-9]+)(?:-(\d{6}))?$/.exec(key)!
    const symbol = `${m[1]}${m[2]}${m[4] ? `_${m[4]}` : ''}`
    // The exact rows are Binance's own bracket in each tier's `info`.
    const infos: Node = { ...list, children: (list.children ?? []).map((t) => jsonChild(t, ['info'])!) }
    const rows = binanceRows(ctx, doc, infos, 'notionalCap')
    if (!rows) continue
    const values: TierTableValues = { notionalUnit: m[2]!, rows }
    emit(
      ctx,
      {
        venue: 'binance',
        tableId: `binance.usdm.brackets.${symbol}`,
        asOf,
        dateBasis: 'imported',
        sources: [`${ctx.options.fileName}: ccxt fetchLeverageTiers (Binance USDⓈ-M) "${key}", rows from Binance's own bracket in each tier's info`],
        note,
        values,
        line,
      },
      () => validateTierValues(values, `${ctx.file} line ${line} ${key}`, { publishedMismatch: 'note' }),
    )
  }
  return n
}

export const ccxtBinanceLeverageTiersFormat: JsonFormat = {
  type: 'json',
  id: 'ccxt-binance-leverage-tiers',
  description: "ccxt fetchLeverageTiers() of Binance USDⓈ-M (e.g. freqtrade's binance_leverage_tiers.json): brackets from each tier's info",
  content: 'tiers',
  venue: 'binance',
  detect: detectCcxtBinance,
  read: readCcxtBinance,
}

/** Every tier-response format, most specific shape first. */
export const TIER_RESPONSE_FORMATS: readonly JsonFormat[] = [
  binanceUsdmLeverageBracketFormat,
  binanceCoinmLeverageBracketFormat,
  bybitRiskLimitFormat,
  okxPositionTiersFormat,
  ccxtBinanceLeverageTiersFormat,
]
