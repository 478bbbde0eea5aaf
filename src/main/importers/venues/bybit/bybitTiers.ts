/**
 * Bybit's own risk-limit response (core/tierSupport.ts: dating and validation shared by every tier response):
 *
 *  - bybit-risk-limit: GET /v5/market/risk-limit `{result: {category, list: [{id, symbol, riskLimitValue,
 *    maintenanceMargin, initialMargin, maxLeverage, mmDeduction}]}, time}`. Tiers sorted by risk limit; a tier's
 *    floor is the previous risk limit. Rates are decimals in the live API and percent in Bybit's own example
 *    ("maintenanceMargin": "0.5", "initialMargin": "1", "maxLeverage": "100.00"): each row is read as decimal
 *    when initialMargin × maxLeverage ≈ 1 and as percent when it is ≈ 100 (said in the note), else refused.
 *    Linear notional in the settle coin (USDT, or USDC for …PERP/…USDC), inverse in the base coin.
 *    → `bybit.<linear|inverse>.riskLimits.<symbol>`. https://bybit-exchange.github.io/docs/v5/market/risk-limit

 */
import Decimal from 'decimal.js'
import type { TierRow, TierTableValues } from '../../../domain/margin/params/brackets'
import { validateTierValues } from '../../../domain/margin/params/tierData'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import { type JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements, valueAt } from '../../core/jsonRows'
import { dayOf, decimalText, emit, importDay, isObj, positiveNumber } from '../../core/tierSupport'

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

