/**
 * The generic positions CSV, Riskdesk's own documented format (README "Generic positions CSV"):
 *
 *   venue,account,instrument,quantity,entry_price[,entry_time][,note]
 *
 * - `instrument`: the venue's own name (`BTC-26JUN20-9000-C`, `BTC-PERPETUAL`, `BTC-25SEP20`);
 * - `quantity`: signed (negative = short), in the venue's own unit: Deribit options and linear contracts in
 *   coin, Deribit inverse futures and perpetuals in USD face value (a multiple of the contract size);
 * - `entry_price`: in the venue's quote unit (Deribit inverse options: coin; futures: USD);
 * - `entry_time`: ISO-8601 with a time zone or ms since epoch; `note`: free text.
 * One net position per account and instrument. Rows with quantity 0 are skipped and reported.
 */
import Decimal from 'decimal.js'
import { z } from 'zod'
import type { Instrument } from '../../shared/instrument'
import { parseVenueInstrument } from '../domain/instruments/venueInstrument'
import { columnLabel, readCsvTable, validateRecord } from './csvTable'
import { decimalText, instantText } from './fieldSchemas'
import { ImportFailedError, type ImportIssue, type SkippedRow } from './importIssue'
import type { ImportedFile, ImportedPosition } from './importTypes'

export const GENERIC_POSITIONS_FORMAT = 'generic-positions'
export const REQUIRED_COLUMNS = ['venue', 'account', 'instrument', 'quantity', 'entry_price'] as const
export const OPTIONAL_COLUMNS = ['entry_time', 'note'] as const

const rowSchema = z.object({
  venue: z.string().min(1, { message: 'expected a venue such as deribit' }),
  account: z.string().min(1, { message: 'expected an account name' }),
  instrument: z.string().min(1, { message: 'expected the venue instrument name, e.g. BTC-26JUN20-9000-C' }),
  quantity: decimalText,
  entry_price: decimalText,
  entry_time: z.union([z.literal('').transform(() => null), instantText]).optional(),
  note: z.string().optional(),
})

/**
 * True when the header is recognisably a generic positions CSV: at least three of its required columns, so
 * that a file missing one gets "missing column entry_price" rather than "unknown format".
 */
export function looksLikeGenericPositions(header: readonly string[]): boolean {
  return REQUIRED_COLUMNS.filter((c) => header.includes(c)).length >= 3
}

/** Checks that only a venue could know: units and bounds. Returns a message, or null when fine. */
function checkAmounts(instrument: Instrument, quantity: Decimal, entryPrice: Decimal): { column: string; message: string } | null {
  if (instrument.kind === 'option') {
    if (entryPrice.lt(0)) return { column: 'entry_price', message: 'an option premium cannot be negative' }
    // A call is worth less than its underlying, so its coin premium is below 1 coin.
    if (instrument.priceUnit === 'coin' && instrument.optionType === 'call' && entryPrice.gte(1))
      return {
        column: 'entry_price',
        message: `${instrument.name} is quoted in ${instrument.underlying}; a call's premium is below 1 ${instrument.underlying} (was a USD price given?)`,
      }
    return null
  }
  if (entryPrice.lte(0)) return { column: 'entry_price', message: 'expected a price greater than 0' }
  if (instrument.quantityUnit === 'usd' && !quantity.mod(instrument.contractSize).isZero()) {
    const asContracts = quantity.times(instrument.contractSize)
    return {
      column: 'quantity',
      message:
        `${instrument.name} is sized in USD face value, a multiple of the ${instrument.contractSize} USD contract ` +
        `(if this is a number of contracts, write ${asContracts.toString()})`,
    }
  }
  return null
}

/**
 * Reads a generic positions CSV.
 * @throws ImportFailedError listing every problem (file, line, column, value, expected form).
 */
export function readGenericPositions(file: string, text: string): ImportedFile {
  const { header, records } = readCsvTable(file, text)
  const issues: ImportIssue[] = []
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length > 0)
    issues.push({
      file,
      line: 1,
      column: missing.join(', '),
      message: `missing required column${missing.length > 1 ? 's' : ''}; the header must hold ${REQUIRED_COLUMNS.join(',')}`,
    })
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS])
  for (const name of header.filter((h) => !known.has(h)))
    issues.push({
      file,
      line: 1,
      column: columnLabel(header, name),
      message: `unknown column; allowed: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}`,
    })
  if (issues.length > 0) throw new ImportFailedError(issues)

  const positions: ImportedPosition[] = []
  const skipped: SkippedRow[] = []
  const firstLineOf = new Map<string, number>()
  for (const record of records) {
    const row = validateRecord(rowSchema, file, header, record, issues)
    if (row === null) continue
    const { line, values } = record
    let instrument: Instrument
    try {
      instrument = parseVenueInstrument(row.venue, row.instrument)
    } catch (e) {
      const column = (e as Error).name === 'UnsupportedVenueError' ? 'venue' : 'instrument'
      issues.push({ file, line, column: columnLabel(header, column), value: values[column], message: (e as Error).message })
      continue
    }
    const quantity = new Decimal(row.quantity)
    if (quantity.isZero()) {
      skipped.push({ line, reason: 'quantity is 0 (no position)' })
      continue
    }
    const bad = checkAmounts(instrument, quantity, new Decimal(row.entry_price))
    if (bad) {
      issues.push({ file, line, column: columnLabel(header, bad.column), value: values[bad.column], message: bad.message })
      continue
    }
    const venue = row.venue.toLowerCase()
    const key = `${venue}\u0000${row.account}\u0000${instrument.name}`
    const first = firstLineOf.get(key)
    if (first !== undefined) {
      issues.push({
        file,
        line,
        column: columnLabel(header, 'instrument'),
        value: instrument.name,
        message: `same account and instrument as line ${first}; give one net position per instrument`,
      })
      continue
    }
    firstLineOf.set(key, line)
    positions.push({
      venue,
      account: row.account,
      instrument,
      quantity: row.quantity,
      entryPrice: row.entry_price,
      entryTime: row.entry_time ?? null,
      note: row.note ? row.note : null,
      line,
    })
  }
  if (issues.length > 0) throw new ImportFailedError(issues)
  return { format: GENERIC_POSITIONS_FORMAT, rowsRead: records.length, positions, market: null, skipped }
}
