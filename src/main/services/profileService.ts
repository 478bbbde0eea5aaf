/**
 * The risk profile (issue 13): the whole book's USD P&L against the underlying's index price for chosen dates,
 * before and after a what-if, each line revalued by the one scalar pricer (domain/valuation/revaluePosition.ts)
 * at index S = S₀·(1 + move): forwards and futures marks move with it, vols stay at their marks (sticky
 * strike), `dtYears` = days ÷ 365 (ACT/365), an option whose expiry falls within the date valued at intrinsic.
 * P&L = Σ (value at the state − value now); a what-if leg counts from its entry instead (its value now less its
 * cost: the half-spread paid against the mark), less its fee when known, so the `after` curve shows what the
 * trade costs; the premium it paid is its cash line (origin `whatif-cash`, valuationService.ts), which moves
 * with the index when held in the underlying's coin (Deribit's inverse options). Lines on other underlyings do
 * not move.
 *
 * Vol shift (`volShiftPoints`): every option on the underlying is revalued at σ + shift/100 (floored at
 * VOL_FLOOR_POINTS, the stress engine's floor, through the same shockVol), against its unshifted value now, so
 * today's curve at the current index reads vega × shift to first order.
 */
import type { ProfileDate, RiskProfile } from '../../shared/profileApi'
import type { riskProfileRequest } from '../../shared/profileApi'
import type { z } from 'zod'
import { findPortfolio } from '../db/bookStore'
import type { Db } from '../db/database'
import { findWhatIfBook, whatIfLegs } from '../db/whatifStore'
import { daysToYears } from '../domain/time'
import { shockVol } from '../domain/stress/volShock'
import { VOL_FLOOR_POINTS } from '../../shared/stressApi'
import { revaluePosition } from '../domain/valuation/revaluePosition'
import { valueBook, type ExtraLine, type ValuedBook } from './valuationService'
import { whatIfLegLines } from './whatifService'

export type RiskProfileRequestParsed = z.infer<typeof riskProfileRequest>

/** Thrown when the book holds nothing on the requested underlying. */
export class ProfileUnderlyingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProfileUnderlyingError'
  }
}

/** P&L curve of one valued book along `moves` for one date. */
function curve(
  valued: ValuedBook,
  underlying: string,
  moves: readonly number[],
  date: ProfileDate,
  legFees: ReadonlyMap<number, number>,
  volShiftPoints: number,
): number[] {
  const lines = valued.engine.map((e, i) => ({ e, row: valued.engineRows[i]! })).filter(({ e }) => e.instrument.underlying === underlying)
  return moves.map((spot) => {
    let pnl = 0
    for (const { e, row } of lines) {
      const base = revaluePosition(e.instrument, e.quantity, e.entryPrice ?? null, e.inputs)
      // A leg is not held yet: it counts from its entry price (unrealized P&L now = the spread paid) and its fee.
      const now = row.origin === 'whatif' ? base.valueUsd - base.unrealizedPnlUsd + (legFees.get(row.id) ?? 0) : base.valueUsd
      const T = e.inputs.T
      const dt = date === 'expiry' ? undefined : daysToYears(date)
      const atExpiry = date === 'expiry' || (T !== null && dt !== undefined && dt >= T)
      // Parallel, absolute, no term scaling (refDays 0); the floor as in stress scenarios.
      const sigma = volShiftPoints === 0 || e.inputs.sigma === null ? undefined : shockVol(e.inputs.sigma, 0, volShiftPoints, false, 0, 0, 0, 0, VOL_FLOOR_POINTS / 100)
      const shock = e.instrument.kind === 'option' ? (atExpiry ? { spot, atExpiry: true } : { spot, dtYears: dt ?? 0, sigma }) : { spot }
      pnl += revaluePosition(e.instrument, e.quantity, e.entryPrice ?? null, e.inputs, shock).valueUsd - now
    }
    return pnl
  })
}

/**
 * @throws PortfolioNotFoundError; WhatIfNotFoundError; ValuationAsOfError; ProfileUnderlyingError
 */
export function riskProfileReport(db: Db, request: RiskProfileRequestParsed, now = Date.now()): RiskProfile {
  const book = request.whatIf === undefined ? null : findWhatIfBook(db, request.whatIf)
  const portfolio = book ? book.portfolio : findPortfolio(db, request.portfolio).name
  const legs = book ? whatIfLegs(db, book.id) : []
  const legFees = new Map(legs.filter((l) => l.feeUsd !== null).map((l) => [l.id, Number(l.feeUsd)]))
  // Custom options are priced off the fitted surface, as in getWhatIf (whatifService.ts whatIfLegLines).
  const legLines = book ? whatIfLegLines(db, portfolio, legs, request.asOf, now) : null
  const extra: ExtraLine[] = legLines?.lines ?? []
  const before = valueBook(db, { portfolio, asOf: request.asOf }, now)
  const after = book ? valueBook(db, { portfolio, asOf: request.asOf }, now, extra) : null
  const totals = (after ?? before).report.totals.filter((t) => t.indexPrice > 0)
  const underlying =
    request.underlying?.toUpperCase() ?? [...totals].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd))[0]?.underlying
  const index = underlying === undefined ? undefined : (after ?? before).indices.get(underlying)?.price
  if (underlying === undefined || index === undefined)
    throw new ProfileUnderlyingError(`no valued line on ${request.underlying ?? 'any underlying'} in portfolio "${portfolio}"; underlyings: ${totals.map((t) => t.underlying).join(', ') || 'none'}`)
  const n = request.points
  const moves = Array.from({ length: n }, (_, i) => (request.fromPercent + ((request.toPercent - request.fromPercent) * i) / (n - 1)) / 100)
  const notes: string[] = [...(legLines?.notes ?? [])]
  const others = totals.filter((t) => t.underlying !== underlying).map((t) => t.underlying)
  if (others.length > 0) notes.push(`lines on ${others.join(', ')} are held fixed`)
  for (const x of (after ?? before).excluded) notes.push(`${x.instrument} left out: ${x.reason}`)
  return {
    portfolio,
    whatIf: book?.name ?? null,
    valuationTime: (after ?? before).report.valuationTime,
    underlying,
    indexPrice: index,
    volShiftPoints: request.volShiftPoints,
    prices: moves.map((m) => index * (1 + m)),
    curves: request.dates.map((date) => ({ date, before: curve(before, underlying, moves, date, legFees, request.volShiftPoints),
      after: after ? curve(after, underlying, moves, date, legFees, request.volShiftPoints) : null, })),
    notes,
  }
}
