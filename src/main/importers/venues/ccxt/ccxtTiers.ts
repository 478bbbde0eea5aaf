/**
 * ccxt's fetchLeverageTiers() dump of Binance USDⓈ-M (core/tierSupport.ts: dating and validation shared by every tier response):
 *
 *  - ccxt-binance-leverage-tiers: ccxt's `fetchLeverageTiers()` result for Binance USDⓈ-M (`{"BTC/USDT:USDT":
 *    [{tier, minNotional, maxNotional, maintenanceMarginRate, maxLeverage, info}]}`, freqtrade's
 *    binance_leverage_tiers.json): the exact rows are read from each tier's `info` (Binance's own bracket).
 */
import type { Node } from 'jsonc-parser'
import type { TierTableValues } from '../../../domain/margin/params/brackets'
import { validateTierValues } from '../../../domain/margin/params/tierData'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import { jsonChild, type JsonDocument } from '../../core/jsonDocument'
import { emit, importDay, isObj } from '../../core/tierSupport'
import { binanceRows } from '../binance/binanceTiers'

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

