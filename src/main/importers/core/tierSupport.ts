/**
 * What the venues' tier (bracket, risk-limit) response readers share (venues/<venue>/…Tiers.ts): exact decimal
 * fields, the dating of a response without a time of its own, and the validated hand-over of one table to the
 * sink. The tables are market-wide data, stored by table id and date (db/marginTierStore.ts) and laid over the
 * built-in tables by the margin engine (services/marginBook.ts). Every number is read from its literal text
 * (exact decimals) and every table is validated (params/tierData.ts validateTierValues: contiguous,
 * increasing tiers, MMR in [0, 1], finite leverage) before anything is stored; one bad table fails the file.
 *
 * Dates: Bybit's response time (`time`, ms) gives the entry's `asOf` (basis `recorded`); the other responses
 * carry no time, so the import day is used (basis `imported`) and the note says so.
 */
import Decimal from 'decimal.js'
import { MarginParamsError } from '../../domain/margin/params/datedTable'
import type { FormatContext } from './formatTypes'
import type { ImportedTierTable } from './importTypes'
import type { JsonElement } from './jsonRows'

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** A decimal field as plain exact text ("50.0" → "50"); undefined after an issue. */
export function decimalText(e: JsonElement, key: string, o: { optional?: boolean } = {}): string | null | undefined {
  const v = e.raw(key)
  if (v === undefined || v === '') return o.optional ? null : e.issue(key, v, 'expected a non-negative decimal number')
  if (!/^(0|[1-9]\d*)(\.\d+)?$/.test(v)) return e.issue(key, v, 'expected a non-negative decimal number such as "0.005"')
  return new Decimal(v).toFixed()
}

export function positiveNumber(e: JsonElement, key: string): number | undefined {
  const v = decimalText(e, key)
  if (!v) return undefined
  const n = Number(v)
  if (!(n > 0) || !Number.isFinite(n)) return e.issue(key, v, 'expected a finite number > 0')
  return n
}

/** Dating of a response without its own time. */
export function importDay(ctx: FormatContext): { asOf: string; note: string } {
  const day = dayOf(ctx.options.receivedAt)
  return { asOf: day, note: `The response carries no time of its own: dated by the import (${day}).` }
}

export function emit(ctx: FormatContext, t: ImportedTierTable, validate: () => string[]): boolean {
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

