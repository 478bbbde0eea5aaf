/**
 * Venue instrument name → instrument, for every venue Riskdesk can read. Issue "importers" adds venues.
 */
import type { Instrument } from '../../../shared/instrument'
import { parseDeribitInstrument } from './deribitInstrument'

/** Venues whose instrument names can be parsed, lower case. */
export const SUPPORTED_VENUES = ['deribit'] as const

/** Thrown for a venue Riskdesk cannot read yet. */
export class UnsupportedVenueError extends Error {
  constructor(readonly venue: string) {
    super(`venue "${venue}" is not supported yet (supported: ${SUPPORTED_VENUES.join(', ')})`)
    this.name = 'UnsupportedVenueError'
  }
}

/**
 * @param venue venue id, case-insensitive (`Deribit` = `deribit`)
 * @throws UnsupportedVenueError, or the venue parser's own error (e.g. InstrumentNameError) for a bad name.
 */
export function parseVenueInstrument(venue: string, name: string): Instrument {
  switch (venue.toLowerCase()) {
    case 'deribit':
      return parseDeribitInstrument(name)
    default:
      throw new UnsupportedVenueError(venue)
  }
}
