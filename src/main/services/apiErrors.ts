/**
 * What kind of failure a call's error is, for the hosts to answer it by (the web host's HTTP status):
 * the caller's input (400), something the input names that does not exist (404), another writer holding the
 * database past the wait limit (503), the process's stress capacity taken (429), or a fault of Riskdesk
 * itself (500). Input errors are the services' and the domain's own classes — every domain input check
 * throws a RangeError subclass — and zod's, for services that validate a nested document again.
 */
import { PortfolioNotFoundError } from '../db/bookStore'
import { UnknownAccountError } from '../db/marginSettingsStore'
import { DatabaseBusyError } from '../db/writeGate'
import { WhatIfExistsError, WhatIfLegNotFoundError, WhatIfNotFoundError } from '../db/whatifStore'
import { ContractSpecTableError, MissingContractSpecError } from '../domain/instruments/contractSpecs'
import { InstrumentNameError } from '../domain/instruments/deribitInstrument'
import { VenueInstrumentError } from '../domain/instruments/instrumentBuilder'
import { UnsupportedVenueError } from '../domain/instruments/venueInstrument'
import { MarginInputError } from '../domain/margin/account'
import { MarginParamsError } from '../domain/margin/params/datedTable'
import { ImportFailedError } from '../importers/core/importIssue'
import { CascadePathError } from './cascadeService'
import { VenueRulesError } from './marginBook'
import { MappingError } from './mappingService'
import { ApiRequestError } from './riskdeskApi'
import { SavedSetNotFoundError } from './scenarioService'
import { UnknownScenarioSetError } from './stressService'
import { JobNotFoundError } from './jobRunner'
import { ReportPrintNotFoundError } from './reportService'
import { StressCapacityError } from './stressLimits'
import { SurfaceDataNotFoundError } from './surfaceService'
import { ProfileUnderlyingError } from './profileService'

export type ApiErrorKind = 'invalid' | 'notFound' | 'busy' | 'overloaded' | 'internal'

const INVALID = [
  ApiRequestError, RangeError, MappingError, CascadePathError, VenueRulesError, MarginInputError, MarginParamsError, ImportFailedError,
  InstrumentNameError, UnsupportedVenueError, VenueInstrumentError, MissingContractSpecError, ContractSpecTableError,
  WhatIfExistsError, ProfileUnderlyingError,
] as const
const NOT_FOUND = [
  PortfolioNotFoundError, UnknownScenarioSetError, SavedSetNotFoundError, UnknownAccountError, JobNotFoundError, SurfaceDataNotFoundError,
  ReportPrintNotFoundError, WhatIfNotFoundError, WhatIfLegNotFoundError,
] as const

/** The kind of a call's error (see the module comment). */
export function apiErrorKind(e: unknown): ApiErrorKind {
  if (e instanceof DatabaseBusyError) return 'busy'
  if (e instanceof StressCapacityError) return 'overloaded'
  if (NOT_FOUND.some((c) => e instanceof c)) return 'notFound'
  if (INVALID.some((c) => e instanceof c) || (e instanceof Error && e.name === 'ZodError')) return 'invalid'
  return 'internal'
}

/** The HTTP status of each kind. */
export const HTTP_STATUS: Record<ApiErrorKind, number> = { invalid: 400, notFound: 404, busy: 503, overloaded: 429, internal: 500 }
