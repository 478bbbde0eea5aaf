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
import { parseDeribitInstrument } from '../../../domain/instruments/deribitInstrument'
import { columnLabel, recordOf, validateRecord } from '../../core/csvTable'
import { decimalText, ivPointsText, priceOrZeroText, priceText } from '../../core/fieldSchemas'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import type { ImportIssue } from '../../core/importIssue'
import type { ImportedFile, ImportedQuote } from '../../core/importTypes'
import { readText } from '../../core/readInMemory'

export /** Deribit's "no bid" (or ask): an IV of 0. */
const noSideIv = decimalText.refine((t) => Number(t) === 0)

const DERIBIT_OPTION_CHAIN_FORMAT = 'deribit-option-chain'
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
  .refine((g) => Object.values(g).every((x) => Number.isFinite(x) && Math.abs(x) < 1e15), { message: 'expected finite Greeks (each below 1e15 in size)' })

const rowSchema = z.object({
  instrument_name: z.string().min(1),
  expiration_timestamp: msText,
  option_type: z.enum(['call', 'put'], { message: 'expected call or put' }),
  strike: priceText,
  timestamp: msText,
  underlying_price: priceText,
  underlying_index: z.string().min(1, { message: 'expected the underlying future or SYN. index name' }),
  mark_price: priceOrZeroText,
  mark_iv: ivPointsText,
  index_price: priceText,
  interest_rate: decimalText,
  greeks: greeksText,
  // Optional columns: Deribit writes 0 when there is no bid (or ask); empty counts as none too.
  bid_iv: z.union([z.literal(''), noSideIv, ivPointsText]).optional(),
  ask_iv: z.union([z.literal(''), noSideIv, ivPointsText]).optional(),
  best_bid_price: z.union([z.literal(''), priceOrZeroText]).optional(),
  best_ask_price: z.union([z.literal(''), priceOrZeroText]).optional(),
})

/** A bid or ask IV or price as stored: null for none (absent, empty or Deribit's 0). */
const sideIv = (s: string | undefined): string | null => (s === undefined || s === '' || Number(s) === 0 ? null : s)

/**
 * Reads a Deribit option-chain snapshot into one market snapshot.
 * Issues (file, line, column, value, expected form) include rows whose name disagrees with their own
 * expiry, strike or type columns, and repeated instruments.
 */
function optionChainHandler(ctx: CsvFormatContext) {
  const { file, header, sink } = ctx
  const quotes: ImportedQuote[] = []
  // The latest row per real future (by quote time) gives that future's price; per underlying, its index.
  const futureRows = new Map<string, { price: string; ts: number; index: string }>()
  const latestIndex = new Map<string, { ts: number; price: string }>()
  const seen = new Map<string, number>()
  let failed = false
  const issue = (i: ImportIssue) => {
    failed = true
    sink.issue(i)
  }
  return {
    row(fields: string[], line: number) {
      const record = recordOf(header, fields, line)
      const row = validateRecord(rowSchema, file, header, record, issue)
      if (row === null) return
      const { values } = record
      const at = (column: string, message: string, value = values[column]) =>
        issue({ file, line, column: columnLabel(header, column), value, message })
      let instrument
      try {
        instrument = parseDeribitInstrument(row.instrument_name, ctx.options.specs)
      } catch (e) {
        at('instrument_name', (e as Error).message)
        return
      }
      if (instrument.kind !== 'option') {
        at('instrument_name', 'expected an option name such as BTC-26JUN20-9000-C')
        return
      }
      if (instrument.expiryMs !== row.expiration_timestamp)
        at('expiration_timestamp', `disagrees with ${instrument.name}'s expiry ${new Date(instrument.expiryMs!).toISOString()}`)
      if (instrument.strike !== Number(row.strike)) at('strike', `disagrees with ${instrument.name}'s strike`)
      // A quote cannot be made after its option expired: such a row is a mislabelled or corrupted file.
      if (instrument.expiryMs !== null && row.timestamp > instrument.expiryMs)
        at('timestamp', `quote dated after ${instrument.name}'s expiry ${new Date(instrument.expiryMs).toISOString()}; an expired option has no quote`, String(values.timestamp))
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
        bidIv: sideIv(row.bid_iv),
        askIv: sideIv(row.ask_iv),
        bidPrice: sideIv(row.best_bid_price),
        askPrice: sideIv(row.best_ask_price),
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
    },
    end() {
      if (failed || quotes.length === 0) return
      for (const [name, f] of futureRows) {
        const instrument = parseDeribitInstrument(name, ctx.options.specs)
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
      sink.market({
        venue: 'deribit',
        asOf: Math.max(...quotes.map((q) => q.ts)),
        quotes,
        indices: [...latestIndex].map(([underlying, { ts, price }]) => ({ underlying, price, ts })),
      })
    },
  }
}

export const deribitOptionChainFormat: CsvFormat = {
  type: 'csv',
  id: DERIBIT_OPTION_CHAIN_FORMAT,
  description: 'Deribit option-chain snapshot CSV (public/ticker per option: mark price, mark IV, bid/ask IV, forward, Greeks)',
  content: 'market',
  venue: 'deribit',
  versions: [{ name: 'ticker', columns: CHAIN_COLUMNS, optional: ['bid_iv', 'ask_iv', 'best_bid_price', 'best_ask_price'] }],
  otherColumns: 'ignore',
  streaming: false,
  open: optionChainHandler,
}

/**
 * Reads a whole Deribit option-chain text in memory (the market snapshot it gives).
 * @throws ImportFailedError listing every bad row
 */
export function readDeribitOptionChain(file: string, text: string): ImportedFile {
  return readText(deribitOptionChainFormat, file, text)
}
