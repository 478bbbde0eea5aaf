/**
 * The generic positions CSV, Riskdesk's own documented format (docs/importers.md, README "Generic
 * positions CSV"):
 *
 *   venue,account,instrument,quantity,entry_price[,entry_time][,note]
 *
 * - `instrument`: the venue's own name (`BTC-26JUN20-9000-C`, `BTCUSD_PERP`, `BTC-USDT-SWAP`, `XBTUSD`);
 * - `quantity`: signed (negative = short), in the instrument's quantity unit: coin for options, linear
 *   contracts and spot; USD face value for inverse futures and perpetuals (a multiple of the contract size:
 *   10 USD on Deribit BTC, 100 USD on Binance COIN-M BTC, 1 USD on BitMEX XBTUSD — the contract-spec table);
 * - `entry_price`: in the instrument's price unit (coin for coin-quoted options, USD otherwise);
 * - `entry_time`: ISO-8601 with a time zone or ms since epoch; `note`: free text.
 * One net position per account and instrument. Rows with quantity 0 are skipped and reported. Columns other
 * than these are refused (a misspelt optional column must not vanish silently).
 */
import Decimal from 'decimal.js'
import { z } from 'zod'
import { decimalTextProblem, RANGES } from '../../../../shared/ranges'
import type { Instrument } from '../../../../shared/instrument'
import { parseVenueInstrument } from '../../../domain/instruments/venueInstrument'
import { recordOf, validateRecord } from '../../core/csvTable'
import { amountTextIn, optionalInstantText } from '../../core/fieldSchemas'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'

export const GENERIC_POSITIONS_FORMAT = 'generic-positions'
export const REQUIRED_COLUMNS = ['venue', 'account', 'instrument', 'quantity', 'entry_price'] as const
export const OPTIONAL_COLUMNS = ['entry_time', 'note'] as const

const rowSchema = z.object({
  venue: z.string().min(1, { message: 'expected a venue such as deribit' }),
  account: z.string().min(1, { message: 'expected an account name' }),
  instrument: z.string().min(1, { message: 'expected the venue instrument name, e.g. BTC-26JUN20-9000-C' }),
  quantity: amountTextIn(RANGES.quantity),
  // Signed here so a negative premium gets checkPositionAmounts' own message; its size is a price's.
  entry_price: amountTextIn({ ...RANGES.priceOrZero, min: -RANGES.priceOrZero.max }),
  entry_time: optionalInstantText.optional(),
  note: z.string().optional(),
})

/** Checks that only a venue could know: units and bounds. Returns a message, or null when fine. */
export function checkPositionAmounts(
  instrument: Instrument,
  quantity: Decimal,
  entryPrice: Decimal,
  entryTime: number | null = null,
): { column: 'quantity' | 'entry_price' | 'entry_time'; message: string } | null {
  const quantityProblem = decimalTextProblem(quantity.toString(), RANGES.quantity)
  if (quantityProblem !== null) return { column: 'quantity', message: quantityProblem }
  const priceProblem = decimalTextProblem(entryPrice.abs().toString(), RANGES.priceOrZero)
  if (priceProblem !== null && !entryPrice.isNegative()) return { column: 'entry_price', message: priceProblem }
  // A position cannot be opened in an instrument that had already expired.
  if (entryTime !== null && instrument.expiryMs !== null && entryTime > instrument.expiryMs)
    return { column: 'entry_time', message: `entry time is after ${instrument.name}'s expiry ${new Date(instrument.expiryMs).toISOString()}` }
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
 * Reads validated generic position rows (also used by column mappings onto the positions schema; those may
 * give quantities in contracts, multiplied here by the instrument's contract size).
 * @returns a row handler pushing positions and skipped zero rows into the context's sink.
 */
export function genericPositionsHandler(ctx: CsvFormatContext, quantityInContracts = false) {
  const { file, header, sink } = ctx
  const firstLineOf = new Map<string, number>()
  return {
    row(fields: string[], line: number) {
      const record = recordOf(header, fields, line)
      const row = validateRecord(rowSchema, file, header, record, sink.issue)
      if (row === null) return
      const { values } = record
      const at = (column: string) => ctx.label(column)
      let instrument: Instrument
      try {
        instrument = parseVenueInstrument(row.venue, row.instrument, ctx.options.specs)
      } catch (e) {
        const column = (e as Error).name === 'UnsupportedVenueError' ? 'venue' : 'instrument'
        sink.issue({ file, line, column: at(column), value: values[column], message: (e as Error).message })
        return
      }
      const quantity = quantityInContracts ? new Decimal(row.quantity).times(instrument.contractSize) : new Decimal(row.quantity)
      if (quantity.isZero()) {
        sink.skip({ line, reason: 'quantity is 0 (no position)' })
        return
      }
      const bad = checkPositionAmounts(instrument, quantity, new Decimal(row.entry_price), row.entry_time ?? null)
      if (bad) {
        sink.issue({ file, line, column: at(bad.column), value: values[bad.column], message: bad.message })
        return
      }
      const venue = row.venue.toLowerCase()
      const key = `${venue}\u0000${row.account}\u0000${instrument.name}`
      const first = firstLineOf.get(key)
      if (first !== undefined) {
        sink.issue({
          file,
          line,
          column: at('instrument'),
          value: instrument.name,
          message: `same account and instrument as line ${first}; give one net position per instrument`,
        })
        return
      }
      firstLineOf.set(key, line)
      sink.position({
        venue,
        account: row.account,
        instrument,
        quantity: quantity.toFixed(),
        entryPrice: row.entry_price,
        entryTime: row.entry_time ?? null,
        note: row.note ? row.note : null,
        line,
      })
    },
    end() {},
  }
}

export const genericPositionsFormat: CsvFormat = {
  type: 'csv',
  id: GENERIC_POSITIONS_FORMAT,
  description: 'Riskdesk generic positions CSV: venue,account,instrument,quantity,entry_price[,entry_time][,note]',
  content: 'positions',
  venue: null,
  versions: [{ name: 'v1', columns: REQUIRED_COLUMNS, optional: OPTIONAL_COLUMNS }],
  otherColumns: 'refuse',
  streaming: false,
  coversWholeAccount: true,
  open: (ctx) => genericPositionsHandler(ctx),
}
