/**
 * Custom options of what-if books (issue 13): an option whose strike or expiry the venue does not list, priced
 * off the vol surface fitted to the book's latest option chain of that venue and underlying (surfaceService.ts
 * fitSurface, domain/pricing/volSurface: raw SVI per expiry, total variance linear in T between expiries, flat
 * vol beyond the quoted wings). Price: Black-76 on the surface's forward F(T) at the surface vol σ(K, T), r = 0
 * (VolSurface.price) — in coin (÷ F) for an inverse option, USD for a linear one. The leg is then valued as a
 * listed option would be, from a quote made of that price, vol and forward; its source names the surface, so
 * every view that shows a mark source labels it.
 *
 * Names: `--custom BTC-26JUN20-9500-C` is parsed by the venue's own parser (domain/instruments), which gives the
 * venue's expiry hour (Deribit and OKX 08:00 UTC); the structured form (underlying, strike, expiry date, type)
 * composes that name first, so both forms end in the same instrument.
 */
import Decimal from 'decimal.js'
import type { Instrument } from '../../shared/instrument'
import { latestOptionSnapshot } from '../db/surfaceStore'
import type { MarketScope, ScopedQuote } from '../db/bookStore'
import type { Db } from '../db/database'
import { parseVenueInstrument } from '../domain/instruments/venueInstrument'
import type { VolSurface } from '../domain/pricing/volSurface'
import { DAYS_PER_YEAR } from '../domain/time'
import { fitSurfaceOfSnapshot } from './surfaceService'

/** The custom option asked for: a venue name, or its terms. */
export interface CustomOptionSpec {
  /** The venue's name of the option (BTC-26JUN20-9500-C). */
  name?: string
  underlying?: string
  /** USD. */
  strike?: string
  /** YYYY-MM-DD (UTC); the venue's expiry hour is added. */
  expiry?: string
  optionType?: 'call' | 'put'
  /** Deribit: a USDC-settled (linear) option instead of the inverse one. */
  linear?: boolean
}

/** Thrown when a custom option cannot be made or priced (no surface, past expiry, not an option): an input error. */
export class CustomOptionError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'CustomOptionError'
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/**
 * The venue's name of an option from its terms: Deribit `BTC-26JUN20-9500-C` (`BTC_USDC-…` linear, `d` for a
 * strike's decimal point), Bybit `BTC-26JUN20-9500-C`, OKX `BTC-USD-200626-9500-C`.
 * @throws CustomOptionError for a venue without options or an unreadable date
 */
export function customOptionName(venue: string, underlying: string, strike: string, expiry: string, optionType: 'call' | 'put', linear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expiry)
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || new Date(ms).getUTCDate() !== Number(m[3])) throw new CustomOptionError(`expiry "${expiry}": expected a date YYYY-MM-DD`)
  const d = new Date(ms)
  const yy = String(d.getUTCFullYear() % 100).padStart(2, '0')
  const dmy = `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${yy}`
  const cp = optionType === 'call' ? 'C' : 'P'
  const u = underlying.toUpperCase()
  const k = new Decimal(strike).toFixed()
  switch (venue.toLowerCase()) {
    case 'deribit':
      return `${u}${linear ? '_USDC' : ''}-${dmy}-${k.replace('.', 'd')}-${cp}`
    case 'bybit':
      return `${u}-${dmy}-${k}-${cp}`
    case 'okx':
      return `${u}-USD-${yy}${m[2]}${m[3]}-${k}-${cp}`
    default:
      throw new CustomOptionError(`venue "${venue}" lists no options here: a custom option needs deribit, bybit or okx`)
  }
}

/**
 * The venue instrument of a custom option spec.
 * @throws CustomOptionError (not an option, bad terms), or the venue parser's error for a bad name
 */
export function customInstrument(venue: string, spec: CustomOptionSpec): Instrument {
  let name = spec.name
  if (name === undefined) {
    if (spec.underlying === undefined || spec.strike === undefined || spec.expiry === undefined || spec.optionType === undefined)
      throw new CustomOptionError('a custom option needs its venue name, or its underlying, strike, expiry and type')
    name = customOptionName(venue, spec.underlying, spec.strike, spec.expiry, spec.optionType, spec.linear ?? false)
  }
  const instrument = parseVenueInstrument(venue, name)
  if (instrument.kind !== 'option' || instrument.strike === null || instrument.expiryMs === null || instrument.optionType === null)
    throw new CustomOptionError(`"${name}" is a ${instrument.kind}, not an option: only options can be custom (add a listed ${instrument.kind} by --instrument)`)
  return instrument
}

/** The venue holding the latest option chain (of an underlying, when given) in a book's scope; null when none. */
export function chainVenue(db: Db, underlying: string | undefined, scope: MarketScope): string | null {
  return latestOptionSnapshot(db, { underlying, scope })?.venue ?? null
}

export interface CustomOptionPrice {
  quote: ScopedQuote
  /** Surface vol at the strike and expiry, vol points. */
  volPoints: number
  /** Which surface and how it gave the vol. */
  note: string
}

/** Where on the surface (K, expiry) falls: on a fitted slice, between two, before the first or after the last. */
function placeOnSurface(surface: VolSurface, strike: number, expiryMs: number, T: number): string {
  const s = surface.slices
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const on = s.find((x) => x.expiryMs === expiryMs)
  let where: string
  if (on) where = `on the fitted SVI slice of ${day(on.expiryMs)} (RMSE ${on.rmseVolPoints.toFixed(2)} vol pts)`
  else if (T < s[0]!.T) where = `before the first fitted expiry ${day(s[0]!.expiryMs)}: its smile at constant vol`
  else if (T > s.at(-1)!.T) where = `after the last fitted expiry ${day(s.at(-1)!.expiryMs)}: its smile at constant vol`
  else {
    const i = s.findIndex((x) => x.T > T)
    where = `total variance interpolated between the slices of ${day(s[i - 1]!.expiryMs)} and ${day(s[i]!.expiryMs)}`
  }
  const ref = on ?? s.reduce((a, b) => (Math.abs(b.T - T) < Math.abs(a.T - T) ? b : a))
  const k = Math.log(strike / surface.forward(T))
  if (k < ref.kMin || k > ref.kMax) where += `; strike beyond the quoted wing (k ${k.toFixed(3)} outside ${ref.kMin.toFixed(3)}…${ref.kMax.toFixed(3)}): vol held flat`
  return where
}

/**
 * Prices a custom option off the surface of its venue and underlying fitted to the latest chain in `scope`.
 * @throws CustomOptionError when no chain is stored, no surface can be fitted, or the option has expired at the
 *   surface's valuation instant
 */
export function priceCustomOption(db: Db, instrument: Instrument, scope: MarketScope): CustomOptionPrice {
  const { venue, underlying } = instrument
  let fitted: ReturnType<typeof fitSurfaceOfSnapshot>
  try {
    fitted = fitSurfaceOfSnapshot(db, venue, underlying, scope)
  } catch (e) {
    throw new CustomOptionError(`no ${venue} ${underlying} vol surface can be fitted to the book's latest chain, so ${instrument.name} cannot be priced: ${(e as Error).message}`)
  }
  if (!fitted)
    throw new CustomOptionError(
      `no surface to price ${instrument.name} off: the book's market data holds no ${venue} ${underlying} option chain with mark IVs (import one: riskdesk import FILE)`,
    )
  const { surface, snapshotId } = fitted
  const expiryMs = instrument.expiryMs!
  if (!(expiryMs > surface.valuationMs))
    throw new CustomOptionError(
      `${instrument.name} expires ${iso(expiryMs)}, not after the market snapshot it would be priced in (${iso(surface.valuationMs)}): a custom option must expire later`,
    )
  const strike = instrument.strike!
  const p = surface.price(instrument.optionType!, strike, expiryMs)
  const volPoints = p.sigma * 100
  const inverse = instrument.settlement === 'inverse'
  const days = p.T * DAYS_PER_YEAR
  const note =
    `custom option (not listed) priced off the ${venue} ${underlying} vol surface fitted to snapshot ${snapshotId} (${iso(surface.valuationMs)}): ` +
    `vol ${volPoints.toFixed(2)} % at strike ${strike} and expiry ${iso(expiryMs)} (${days < 1 ? `${(days * 24).toFixed(1)} h` : `${days.toFixed(1)} d`}), ` +
    `${placeOnSurface(surface, strike, expiryMs, p.T)}; Black-76 on the forward ${p.forward.toFixed(2)} USD, r = 0`
  return {
    volPoints,
    note,
    quote: {
      instrument: instrument.name,
      ts: surface.valuationMs,
      markPrice: inverse ? p.priceCoin : p.price,
      markIv: volPoints,
      underlyingPrice: p.forward,
      indexPrice: null,
      source: `surface: SVI vol ${volPoints.toFixed(2)} % (${venue} ${underlying} surface of snapshot ${snapshotId})`,
      snapshotId: snapshotId,
      bidPrice: null,
      askPrice: null,
    },
  }
}
