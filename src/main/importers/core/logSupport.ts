/**
 * What the trade-log formats share: which UTC offset applies to times written without a zone (stated by
 * the file, its name, or the user — never assumed), a venue-agnostic side reader, and a per-row instrument
 * cache so a million rows parse a handful of instrument names.
 */
import { D } from '../../domain/trades/decimal'
import type { Instrument } from '../../../shared/instrument'
import { formatUtcOffset, parseUtcOffset, type UtcOffsetMinutes } from './dates'
import type { FormatContext } from './formatTypes'

/**
 * The offset for a file's zone-less times. `fromFile` is what the file itself says (OKX's `Time Zone:`
 * preamble, Binance's `(UTC--6)` in the file name); the user's `--utc-offset` must agree with it when both
 * exist. Returns null after reporting an issue when nobody states one.
 * @param what describes the column, for the message (e.g. `Time (YY-MM-DD HH:MM:SS)`)
 */
export function resolveUtcOffset(ctx: FormatContext, fromFile: { offset: UtcOffsetMinutes; where: string } | null, what: string): UtcOffsetMinutes | null {
  const user = ctx.options.utcOffsetMinutes
  if (fromFile && user !== undefined && fromFile.offset !== user) {
    ctx.sink.issue({
      file: ctx.file,
      line: null,
      column: null,
      message: `the UTC offset given (${formatUtcOffset(user)}) disagrees with the file's own (${formatUtcOffset(fromFile.offset)}, ${fromFile.where})`,
    })
    return null
  }
  if (fromFile) {
    ctx.sink.note(`times in ${what} read as ${formatUtcOffset(fromFile.offset)} (${fromFile.where})`)
    return fromFile.offset
  }
  if (user !== undefined) {
    ctx.sink.note(`times in ${what} read as ${formatUtcOffset(user)} (stated with the import)`)
    return user
  }
  ctx.sink.issue({
    file: ctx.file,
    line: null,
    column: what,
    message: 'these times carry no time zone and the file does not state one: give the UTC offset they are in (riskdesk import --utc-offset +00:00, or the offset field of the Import view)',
  })
  return null
}

/** Binance writes the export's UTC offset only in the file name: `…(UTC--6).csv`, `…(UTC+8).csv`. */
export function offsetFromFileName(fileName: string): { offset: UtcOffsetMinutes; where: string } | null {
  const m = /\((UTC[+-]{1,2}\d{1,2}(?::\d{2})?)\)/i.exec(fileName)
  if (!m) return null
  const offset = parseUtcOffset(m[1]!)
  return offset === null ? null : { offset, where: `from the file name "${m[1]}"` }
}

/** Caches instrument parsing per name; failures are cached too (reported once per row by the caller). */
export class InstrumentCache {
  private readonly cache = new Map<string, Instrument | Error>()
  constructor(private readonly parse: (name: string) => Instrument) {}
  get(name: string): Instrument | Error {
    let v = this.cache.get(name)
    if (v === undefined) {
      try {
        v = this.parse(name)
      } catch (e) {
        v = e as Error
      }
      this.cache.set(name, v)
    }
    return v
  }
}

/** Spot trade histories (venues/binance/binanceSpot.ts, venues/okx/okexSpot.ts): what the import says of them, and the total check. */
export const SPOT_NOTE =
  'spot fills give no positions: a spot holding is a balance. Until a balance export of the account is imported, the book holds what its spot fills add up to (as if the account started empty)'

/** |total| must equal |price × amount| to within the venue's rounding (relative 1e-8, or 1e-8 absolute). */
export function totalAgrees(total: D, price: D, amount: D): boolean {
  const expected = price.times(amount).abs()
  return total.abs().minus(expected).abs().lte(D.max(expected.times('1e-8'), new D('1e-8')))
}
