/**
 * Deribit `private/get_positions` JSON, as a user saves it: the JSON-RPC response `{"result": [...]}` or the
 * bare array. Source: Deribit API docs, private/get_positions (sample in shared/data/real/deribit/).
 *
 * Per position: `instrument_name`, `size` (signed; USD for futures and perpetuals, coin for options),
 * `direction` (buy | sell | zero), `average_price` (USD for futures, coin for options), `mark_price` (same
 * unit), `index_price` (USD), and the venue's own `delta` (coin, premium-adjusted for options), `gamma`,
 * `vega`, `theta` when present. The file has no account name (`account` option) and no timestamp: the marks
 * of its futures and perpetuals are stored with the import time as their time, and say so. Option marks are
 * not stored: without a mark IV and forward they cannot be revalued; an option chain snapshot supplies them.
 */
import Decimal from 'decimal.js'
import type { Node } from 'jsonc-parser'
import { z } from 'zod'
import type { Instrument } from '../../shared/instrument'
import { parseDeribitInstrument } from '../domain/instruments/deribitInstrument'
import { finiteNumber } from './fieldSchemas'
import { ImportFailedError, type ImportIssue, type SkippedRow } from './importIssue'
import type { ImportedFile, ImportedPosition, ImportedQuote } from './importTypes'
import { jsonChild, jsonValue, numberLiteral, readJsonDocument, type JsonDocument } from './jsonDocument'

export const DERIBIT_POSITIONS_FORMAT = 'deribit-positions'

const positionSchema = z.object({
  instrument_name: z.string().min(1),
  size: finiteNumber,
  direction: z.enum(['buy', 'sell', 'zero'], { message: 'expected buy, sell or zero' }),
  average_price: finiteNumber.refine((x) => x >= 0, { message: 'expected a price of 0 or more' }),
  mark_price: finiteNumber.refine((x) => x > 0, { message: 'expected a price greater than 0' }),
  index_price: finiteNumber.refine((x) => x > 0, { message: 'expected a price greater than 0' }),
  delta: finiteNumber.optional(),
  gamma: finiteNumber.optional(),
  vega: finiteNumber.optional(),
  theta: finiteNumber.optional(),
})

/** The array of positions in a parsed document: `result` of a JSON-RPC response, or the root array. */
function positionsArray(doc: JsonDocument): Node | undefined {
  if (doc.root.type === 'array') return doc.root
  const result = jsonChild(doc.root, ['result'])
  return result?.type === 'array' ? result : undefined
}

/** True when a JSON text looks like a get_positions response (cheap check on a parsed value). */
export function looksLikeDeribitPositions(value: unknown): boolean {
  const arr = Array.isArray(value) ? value : (value as { result?: unknown } | null)?.result
  return (
    Array.isArray(arr) &&
    arr.length > 0 &&
    arr.every((p) => typeof p === 'object' && p !== null && 'instrument_name' in p && 'size' in p && 'direction' in p)
  )
}

export interface DeribitPositionsOptions {
  /** Account the positions belong to (the file does not say); default `main`. */
  account?: string
  /** Time the file's marks are stored under, ms since epoch; default now. */
  receivedAt?: number
}

/**
 * Reads a Deribit get_positions response.
 * @throws ImportFailedError listing every bad element with its line and key.
 */
export function readDeribitPositions(file: string, text: string, options: DeribitPositionsOptions = {}): ImportedFile {
  const doc = readJsonDocument(file, text)
  const array = positionsArray(doc)
  if (!array)
    throw new ImportFailedError([
      { file, line: 1, column: null, message: 'expected a get_positions response: {"result": [ … ]} or an array' },
    ])
  const account = options.account ?? 'main'
  const receivedAt = options.receivedAt ?? Date.now()
  const issues: ImportIssue[] = []
  const positions: ImportedPosition[] = []
  const quotes: ImportedQuote[] = []
  const skipped: SkippedRow[] = []
  const indices = new Map<string, string>()

  for (const element of array.children ?? []) {
    const line = doc.lineOf(element.offset)
    const value = jsonValue(element)
    const parsed = positionSchema.safeParse(value)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '')
        const v = (value as Record<string, unknown> | null)?.[key]
        const node = key ? jsonChild(element, [key]) : undefined
        issues.push({
          file,
          line: node ? doc.lineOf(node.offset) : line,
          column: key || null,
          value: v === undefined ? undefined : JSON.stringify(v),
          message: issue.message,
        })
      }
      continue
    }
    const p = parsed.data
    let instrument: Instrument
    try {
      instrument = parseDeribitInstrument(p.instrument_name)
    } catch (e) {
      issues.push({ file, line, column: 'instrument_name', value: p.instrument_name, message: (e as Error).message })
      continue
    }
    const size = new Decimal(numberLiteral(doc, jsonChild(element, ['size']))!)
    const sizeLine = doc.lineOf(jsonChild(element, ['size'])!.offset)
    if (p.direction === 'zero' || size.isZero()) {
      if (!size.isZero() || p.direction !== 'zero')
        issues.push({ file, line: sizeLine, column: 'size', value: size.toString(), message: `size and direction "${p.direction}" disagree` })
      else skipped.push({ line, reason: `${instrument.name}: zero position` })
      continue
    }
    if ((p.direction === 'sell') !== size.isNegative()) {
      issues.push({
        file,
        line: sizeLine,
        column: 'size',
        value: size.toString(),
        message: `direction is "${p.direction}", so size should be ${p.direction === 'sell' ? 'negative' : 'positive'}`,
      })
      continue
    }
    positions.push({
      venue: 'deribit',
      account,
      instrument,
      quantity: size.toString(),
      entryPrice: new Decimal(numberLiteral(doc, jsonChild(element, ['average_price']))!).toString(),
      entryTime: null,
      note: null,
      line,
    })
    const literal = (key: string) => new Decimal(numberLiteral(doc, jsonChild(element, [key]))!).toString()
    indices.set(instrument.underlying, literal('index_price'))
    if (instrument.kind === 'option') continue
    quotes.push({
      instrument,
      ts: receivedAt,
      markPrice: literal('mark_price'),
      markIv: null,
      underlyingPrice: null,
      indexPrice: literal('index_price'),
      venueGreeks: { delta: p.delta, gamma: p.gamma, vega: p.vega, theta: p.theta },
      source: 'deribit get_positions (the file has no time; stored at import time)',
    })
  }
  if (issues.length > 0) throw new ImportFailedError(issues)
  return {
    format: DERIBIT_POSITIONS_FORMAT,
    rowsRead: array.children?.length ?? 0,
    positions,
    market:
      indices.size > 0
        ? {
            venue: 'deribit',
            asOf: receivedAt,
            quotes,
            indices: [...indices].map(([underlying, price]) => ({ underlying, price, ts: receivedAt })),
          }
        : null,
    skipped,
  }
}
