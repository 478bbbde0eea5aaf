/**
 * Deribit `private/get_positions` JSON, as a user saves it: the JSON-RPC response `{"result": [...]}` or the
 * bare array. Source: Deribit API docs, private/get_positions (sample in shared/data/real/deribit/).
 *
 * Per position: `instrument_name`, `size` (signed; USD for futures and perpetuals, coin for options),
 * `direction` (buy | sell | zero), `average_price` (USD for futures, coin for options), `mark_price` (same
 * unit), `index_price` (USD), and the venue's own `delta` (coin, premium-adjusted for options), `gamma`,
 * `vega`, `theta` when present; `leverage`, `estimated_liquidation_price`, `initial_margin` and
 * `maintenance_margin` (in the currency) are kept as the venue's own margin figures (venueMarginFields.ts). The file has no account name (`account` option) and no timestamp: the marks
 * of its futures and perpetuals are stored with the import time as their time, and say so. Option marks are
 * not stored: without a mark IV and forward they cannot be revalued; an option chain snapshot supplies them.
 */
import Decimal from 'decimal.js'
import type { Node } from 'jsonc-parser'
import { z } from 'zod'
import type { Instrument } from '../../../../shared/instrument'
import { parseDeribitInstrument } from '../../../domain/instruments/deribitInstrument'
import { decimalTextProblem, RANGES } from '../../../../shared/ranges'
import { finiteNumber, jsonNumberIn } from '../../core/fieldSchemas'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import { jsonChild, jsonValue, numberLiteral, type JsonDocument } from '../../core/jsonDocument'
import { JsonElement } from '../../core/jsonRows'
import { readVenueMargin } from '../../core/venueMarginFields'

export const DERIBIT_POSITIONS_FORMAT = 'deribit-positions'

const positionSchema = z.object({
  instrument_name: z.string().min(1),
  size: jsonNumberIn(RANGES.quantity),
  direction: z.enum(['buy', 'sell', 'zero'], { message: 'expected buy, sell or zero' }),
  average_price: jsonNumberIn(RANGES.priceOrZero),
  mark_price: jsonNumberIn(RANGES.price),
  index_price: jsonNumberIn(RANGES.price),
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

/**
 * Reads a Deribit get_positions response into positions (account: the user's `account`, default `main`)
 * and a market snapshot of its futures' marks and index prices, stored at the import time since the file
 * carries no time. Every bad element is reported with its line and key; zero positions are skipped.
 */
function readDeribitPositions(doc: JsonDocument, ctx: FormatContext): number {
  const { file, sink } = ctx
  const array = positionsArray(doc)
  if (!array) {
    sink.issue({ file, line: 1, column: null, message: 'expected a get_positions response: {"result": [ … ]} or an array' })
    return 0
  }
  const account = ctx.options.account ?? 'main'
  const receivedAt = ctx.options.receivedAt
  const quotes: ImportedQuote[] = []
  const indices = new Map<string, string>()
  let failed = false
  const issue = (i: Parameters<typeof sink.issue>[0]) => {
    failed = true
    sink.issue(i)
  }

  for (const element of array.children ?? []) {
    const line = doc.lineOf(element.offset)
    const value = jsonValue(element)
    const parsed = positionSchema.safeParse(value)
    // A number's literal is what the file says (1e309 parses to Infinity, 1e-400 to 0): checked and quoted as written.
    const literalProblems = ['size', 'average_price', 'mark_price', 'index_price'].flatMap((key) => {
      const literal = numberLiteral(doc, jsonChild(element, [key]))
      const problem = literal === null ? null : decimalTextProblem(literal, key === 'size' ? RANGES.quantity : key === 'average_price' ? RANGES.priceOrZero : RANGES.price)
      return problem === null ? [] : [{ path: [key], message: problem }]
    })
    if (!parsed.success || literalProblems.length > 0) {
      const zodIssues = parsed.success ? [] : parsed.error.issues.filter((zi) => !literalProblems.some((l) => l.path[0] === zi.path[0]))
      for (const zi of [...literalProblems, ...zodIssues]) {
        const key = String(zi.path[0] ?? '')
        const v = (value as Record<string, unknown> | null)?.[key]
        const node = key ? jsonChild(element, [key]) : undefined
        issue({
          file,
          line: node ? doc.lineOf(node.offset) : line,
          column: key || null,
          value: node?.type === 'number' ? (numberLiteral(doc, node) ?? undefined) : v === undefined ? undefined : JSON.stringify(v),
          message: zi.message,
        })
      }
      continue
    }
    const p = parsed.data
    let instrument: Instrument
    try {
      instrument = parseDeribitInstrument(p.instrument_name, ctx.options.specs)
    } catch (e) {
      issue({ file, line, column: 'instrument_name', value: p.instrument_name, message: (e as Error).message })
      continue
    }
    const size = new Decimal(numberLiteral(doc, jsonChild(element, ['size']))!)
    const sizeLine = doc.lineOf(jsonChild(element, ['size'])!.offset)
    if (p.direction === 'zero' || size.isZero()) {
      if (!size.isZero() || p.direction !== 'zero')
        issue({ file, line: sizeLine, column: 'size', value: size.toString(), message: `size and direction "${p.direction}" disagree` })
      else sink.skip({ line, reason: `${instrument.name}: zero position` })
      continue
    }
    if ((p.direction === 'sell') !== size.isNegative()) {
      issue({
        file,
        line: sizeLine,
        column: 'size',
        value: size.toString(),
        message: `direction is "${p.direction}", so size should be ${p.direction === 'sell' ? 'negative' : 'positive'}`,
      })
      continue
    }
    // Deribit margins per currency (no mode to read); its `leverage` is an effective figure, shown only.
    const venueMargin = readVenueMargin(new JsonElement(ctx, doc, element), {
      file: 'deribit get_positions',
      currency: instrument.settlementCurrency,
      leverage: 'leverage',
      liquidationPrice: 'estimated_liquidation_price',
      initialMargin: 'initial_margin',
      maintenanceMargin: 'maintenance_margin',
    })
    if (venueMargin === undefined) {
      failed = true
      continue
    }
    sink.position({
      venue: 'deribit',
      account,
      instrument,
      quantity: size.toString(),
      entryPrice: new Decimal(numberLiteral(doc, jsonChild(element, ['average_price']))!).toString(),
      entryTime: null,
      note: null,
      line,
      venueMargin,
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
  const rows = array.children?.length ?? 0
  if (failed || indices.size === 0) return rows
  sink.market({
    venue: 'deribit',
    asOf: receivedAt,
    quotes,
    indices: [...indices].map(([underlying, price]) => ({ underlying, price, ts: receivedAt })),
  })
  return rows
}

export const deribitPositionsFormat: JsonFormat = {
  type: 'json',
  id: DERIBIT_POSITIONS_FORMAT,
  description: 'Deribit private/get_positions JSON response (positions of one account, with marks)',
  content: 'positions',
  venue: 'deribit',
  detect: looksLikeDeribitPositions,
  read: readDeribitPositions,
}
