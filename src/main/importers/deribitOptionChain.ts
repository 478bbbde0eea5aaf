/**
 * Deribit option-chain snapshot CSV: one row per option as returned by Deribit's `public/ticker` (the layout
 * of schepal/deribit_data_collector; sample in shared/data/real/market/, provenance in SOURCES.md).
 *
 * Columns used: instrument_name, expiration_timestamp (ms), option_type, strike, timestamp (ms),
 * underlying_price (USD forward of the expiry), underlying_index (the future it refers to, or `SYN.<…>` for
 * a synthetic forward), mark_price (coin), mark_iv (vol points), index_price (USD), interest_rate, greeks
 * (a Python-style dict `{'delta': …, 'gamma': …, 'vega': …, 'theta': …, 'rho': …}`).
 *
 * Result: a market snapshot with one quote per option, the BTC index price, and — for each expiry whose
 * options are written on a real future (`underlying_index` = `BTC-26JUN20`) — that future's price as its
 * quote, since Deribit uses the future's own price as those options' underlying.
 */
import { z } from 'zod'
import { parseDeribitInstrument } from '../domain/instruments/deribitInstrument'
import { columnLabel, readCsvTable, validateRecord } from './csvTable'
import { decimalText, nonNegativeDecimalText, positiveDecimalText } from './fieldSchemas'
import { ImportFailedError, type ImportIssue } from './importIssue'
import type { ImportedFile, ImportedQuote } from './importTypes'

export const DERIBIT_OPTION_CHAIN_FORMAT = 'deribit-option-chain'
const SOURCE = 'deribit option chain'

export const CHAIN_COLUMNS = [
  'instrument_name',
  'expiration_timestamp',
  'option_type',
  'strike',
  'timestamp',
  'underlying_price',
  'underlying_index',
  'mark_price',
  'mark_iv',
  'index_price',
  'interest_rate',
  'greeks',
] as const

const msText = z.string().regex(/^\d{13}$/, { message: 'expected ms since epoch (13 digits)' }).transform(Number)

const GREEK_RE = /'(delta|gamma|vega|theta|rho)':\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g
const greeksText = z
  .string()
  .regex(/^\{.*\}$/, { message: "expected a dict such as {'delta': 0.5, 'gamma': 0.0001, …}" })
  .transform((s) => Object.fromEntries([...s.matchAll(GREEK_RE)].map((m) => [m[1]!, Number(m[2])])))

const rowSchema = z.object({
  instrument_name: z.string().min(1),
  expiration_timestamp: msText,
  option_type: z.enum(['call', 'put'], { message: 'expected call or put' }),
  strike: positiveDecimalText,
  timestamp: msText,
  underlying_price: positiveDecimalText,
  underlying_index: z.string().min(1, { message: 'expected the underlying future or SYN. index name' }),
  mark_price: nonNegativeDecimalText,
  mark_iv: positiveDecimalText,
  index_price: positiveDecimalText,
  interest_rate: decimalText,
  greeks: greeksText,
})

/** True when a CSV header is a Deribit option-chain snapshot. */
export function looksLikeDeribitOptionChain(header: readonly string[]): boolean {
  return CHAIN_COLUMNS.every((c) => header.includes(c))
}

/**
 * Reads a Deribit option-chain snapshot.
 * @throws ImportFailedError listing every bad row (file, line, column, value, expected form), including rows
 *   whose name disagrees with their own expiry, strike or type columns.
 */
export function readDeribitOptionChain(file: string, text: string): ImportedFile {
  const { header, records } = readCsvTable(file, text)
  const missing = CHAIN_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length > 0)
    throw new ImportFailedError([
      { file, line: 1, column: missing.join(', '), message: 'missing column(s) of a Deribit option-chain snapshot' },
    ])
  const issues: ImportIssue[] = []
  const quotes: ImportedQuote[] = []
  // The latest row per real future (by quote time) gives that future's price; per underlying, its index.
  const futureRows = new Map<string, { price: string; ts: number; index: string }>()
  const latestIndex = new Map<string, { ts: number; price: string }>()
  const seen = new Map<string, number>()

  for (const record of records) {
    const row = validateRecord(rowSchema, file, header, record, issues)
    if (row === null) continue
    const { line, values } = record
    const at = (column: string, message: string, value = values[column]) =>
      issues.push({ file, line, column: columnLabel(header, column), value, message })
    let instrument
    try {
      instrument = parseDeribitInstrument(row.instrument_name)
    } catch (e) {
      at('instrument_name', (e as Error).message)
      continue
    }
    if (instrument.kind !== 'option') {
      at('instrument_name', 'expected an option name such as BTC-26JUN20-9000-C')
      continue
    }
    if (instrument.expiryMs !== row.expiration_timestamp)
      at('expiration_timestamp', `disagrees with ${instrument.name}'s expiry ${new Date(instrument.expiryMs!).toISOString()}`)
    if (instrument.strike !== Number(row.strike)) at('strike', `disagrees with ${instrument.name}'s strike`)
    if (instrument.optionType !== row.option_type) at('option_type', `disagrees with ${instrument.name}`)
    if (Number(row.interest_rate) !== 0)
      at('interest_rate', 'only interest_rate 0 is supported (Deribit prices options with r = 0)')
    const first = seen.get(instrument.name)
    if (first !== undefined) at('instrument_name', `appears again (first on line ${first})`)
    seen.set(instrument.name, line)

    quotes.push({
      instrument,
      ts: row.timestamp,
      markPrice: row.mark_price,
      markIv: row.mark_iv,
      underlyingPrice: row.underlying_price,
      indexPrice: row.index_price,
      venueGreeks: row.greeks,
      source: SOURCE,
    })
    if (!row.underlying_index.startsWith('SYN.')) {
      const prev = futureRows.get(row.underlying_index)
      if (!prev || row.timestamp > prev.ts)
        futureRows.set(row.underlying_index, { price: row.underlying_price, ts: row.timestamp, index: row.index_price })
    }
    const prevIndex = latestIndex.get(instrument.underlying)
    if (!prevIndex || row.timestamp > prevIndex.ts)
      latestIndex.set(instrument.underlying, { ts: row.timestamp, price: row.index_price })
  }
  if (records.length === 0) issues.push({ file, line: null, column: null, message: 'no option rows after the header' })
  if (issues.length > 0) throw new ImportFailedError(issues)

  for (const [name, f] of futureRows) {
    const instrument = parseDeribitInstrument(name)
    quotes.push({
      instrument,
      ts: f.ts,
      markPrice: f.price,
      markIv: null,
      underlyingPrice: f.price,
      indexPrice: f.index,
      venueGreeks: null,
      source: `${SOURCE} (underlying_price of the options on ${name})`,
    })
  }
  return {
    format: DERIBIT_OPTION_CHAIN_FORMAT,
    rowsRead: records.length,
    positions: [],
    market: {
      venue: 'deribit',
      asOf: Math.max(...quotes.map((q) => q.ts)),
      quotes,
      indices: [...latestIndex].map(([underlying, { ts, price }]) => ({ underlying, price, ts })),
    },
    skipped: [],
  }
}
