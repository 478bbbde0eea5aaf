/**
 * The generic trades CSV, Riskdesk's own documented fill log (docs/importers.md):
 *
 *   venue,account,instrument,time,side,quantity,price[,fee,fee_currency,trade_id]
 *
 * - `instrument`: the venue's own name (as in the generic positions CSV);
 * - `time`: ISO-8601 with a zone, or Unix ms (13 digits) / s (10 digits);
 * - `side`: buy or sell; `quantity` > 0 in the instrument's quantity unit (coin, or USD face for inverse
 *   contracts); `price` in its price unit;
 * - `fee` > 0 paid (< 0 rebate) in `fee_currency` (both or neither);
 * - `trade_id`: unique per account; rows without one are keyed by their content.
 * Fills are replayed in time order into positions (average entry, realized P&L by the venue's convention).
 */
import { RANGES } from '../../../../shared/ranges'
import { parseVenueInstrument } from '../../../domain/instruments/venueInstrument'
import { D } from '../../../domain/trades/decimal'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { parseZonedInstant } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache } from '../../core/logSupport'

export const GENERIC_TRADES_COLUMNS = ['venue', 'account', 'instrument', 'time', 'side', 'quantity', 'price'] as const
export const GENERIC_TRADES_OPTIONAL = ['fee', 'fee_currency', 'trade_id'] as const

/**
 * @param parseTime how `time` is read (default: zoned instants); column mappings pass their own.
 * @param quantityInContracts multiply quantities by the instrument's contract size (column mappings).
 */
export function genericTradesHandler(ctx: CsvFormatContext, parseTime: (s: string) => number | null = parseZonedInstant, quantityInContracts = false) {
  const r = fieldReader(ctx)
  const instruments = new Map<string, InstrumentCache>()
  const keys = new RowKeys()
  const has = (c: string) => ctx.col(c) >= 0
  return {
    row(f: string[], line: number) {
      const get = (c: string) => f[r.idx(c)]!
      const venue = get('venue').toLowerCase()
      let cache = instruments.get(venue)
      if (!cache) instruments.set(venue, (cache = new InstrumentCache((n) => parseVenueInstrument(venue, n, ctx.options.specs))))
      const instrument = cache.get(get('instrument'))
      if (instrument instanceof Error)
        return r.issue(line, instrument.name === 'UnsupportedVenueError' ? 'venue' : 'instrument', instrument.name === 'UnsupportedVenueError' ? get('venue') : get('instrument'), instrument.message)
      if (get('account') === '') return r.issue(line, 'account', '', 'expected an account name')
      const ts = parseTime(get('time'))
      if (ts === null) return r.issue(line, 'time', get('time'), 'expected ISO-8601 with a time zone (2024-05-01T08:00:00Z) or Unix ms')
      const side = get('side').toLowerCase()
      if (side !== 'buy' && side !== 'sell') return r.issue(line, 'side', get('side'), 'expected buy or sell')
      const qty = r.dec(f, 'quantity', line, { positive: true })
      const price = r.dec(f, 'price', line, { positive: true, range: RANGES.price })
      if (!qty || !price) return
      let fee: D | null = null
      let feeCurrency: string | null = null
      if (has('fee') && get('fee') !== '') {
        const v = r.dec(f, 'fee', line)
        if (!v) return
        feeCurrency = has('fee_currency') ? get('fee_currency').toUpperCase() : ''
        if (!/^[A-Z0-9]{2,12}$/.test(feeCurrency)) return r.issue(line, has('fee_currency') ? 'fee_currency' : 'fee', has('fee_currency') ? get('fee_currency') : get('fee'), 'a fee needs its currency (fee_currency)')
        fee = v
      }
      const size = quantityInContracts ? qty.times(instrument.contractSize) : qty
      const tradeId = has('trade_id') ? get('trade_id') : ''
      ctx.sink.fill({
        venue, account: get('account'), instrument, ts, seq: null, kind: 'trade', quantity: side === 'buy' ? size : size.neg(), price, fee, feeCurrency,
        venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null, positionAfterUnsigned: false,
        key: tradeId !== '' ? `trade:${tradeId}` : keys.key('generic', f), line,
      })
    },
    end() {},
  }
}

export const genericTradesFormat: CsvFormat = {
  type: 'csv', id: 'generic-trades', content: 'trades', venue: null, otherColumns: 'refuse', streaming: true,
  description: 'Riskdesk generic trades CSV: venue,account,instrument,time,side,quantity,price[,fee,fee_currency,trade_id]',
  versions: [{ name: 'v1', columns: GENERIC_TRADES_COLUMNS, optional: GENERIC_TRADES_OPTIONAL }],
  open: (ctx) => genericTradesHandler(ctx),
}
