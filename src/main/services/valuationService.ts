/**
 * Values a portfolio's current book at the latest market data: per-position Greeks, totals per underlying,
 * and the positions the stress engine can revalue. A position that cannot be valued is kept in the report
 * with its reason and left out of totals, never silently dropped.
 */
import type { PositionRow, PositionsReport, UnderlyingTotals } from '../../shared/api'
import { currentBook, findPortfolio, marketView, type BookPosition, type PortfolioRow } from '../db/bookStore'
import type { Db } from '../db/database'
import { resolveInputs, type MarketView } from '../domain/valuation/marketInputs'
import { positionGreeks } from '../domain/valuation/positionGreeks'
import type { EnginePosition } from '../engine/packBook'

export interface ValuedBook {
  portfolio: PortfolioRow
  report: PositionsReport
  /** Positions with resolved inputs, in report order. */
  engine: EnginePosition[]
  /** The report row of each engine position (same index as `engine`). */
  engineRows: PositionRow[]
  /** Positions left out, with the reason. */
  excluded: Array<{ instrument: string; reason: string }>
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

function marketsByVenue(db: Db, book: BookPosition[]): Map<string, MarketView> {
  const names = new Map<string, string[]>()
  for (const p of book) names.set(p.venue, [...(names.get(p.venue) ?? []), p.instrument.name])
  return new Map([...names].map(([venue, list]) => [venue, marketView(db, venue, list)]))
}

function emptyTotals(underlying: string, indexPrice: number): UnderlyingTotals {
  return {
    underlying,
    indexPrice,
    positions: 0,
    excluded: 0,
    delta: 0,
    deltaUsd: 0,
    deltaPremiumAdjusted: 0,
    gamma: 0,
    gammaUsdPer1Pct: 0,
    vegaUsd: 0,
    vegaCoin: 0,
    thetaUsd: 0,
    thetaCoin: 0,
  }
}

/**
 * @param portfolioName omitted = the most recently imported portfolio
 * @throws PortfolioNotFoundError
 */
export function valueBook(db: Db, portfolioName?: string): ValuedBook {
  const portfolio = findPortfolio(db, portfolioName)
  const book = currentBook(db, portfolio.id)
  const markets = marketsByVenue(db, book)
  const rows: PositionRow[] = []
  const engine: EnginePosition[] = []
  const engineRows: PositionRow[] = []
  const excluded: ValuedBook['excluded'] = []
  const totals = new Map<string, UnderlyingTotals>()
  let valuationMs: number | null = null

  for (const p of book) {
    const { instrument } = p
    const resolved = resolveInputs(instrument, markets.get(p.venue)!)
    const base: PositionRow = {
      id: p.id,
      venue: p.venue,
      account: p.account,
      instrument: instrument.name,
      symbol: instrument.symbol,
      underlying: instrument.underlying,
      kind: instrument.kind,
      settlement: instrument.settlement,
      optionType: instrument.optionType,
      strike: instrument.strike,
      expiry: iso(instrument.expiryMs),
      quantity: p.quantity,
      quantityUnit: instrument.quantityUnit,
      entryPrice: p.entryPrice,
      priceUnit: instrument.priceUnit,
      markPrice: null,
      markSource: 'none',
      markIv: null,
      forward: null,
      indexPrice: null,
      marketValueUsd: null,
      unrealizedPnlUsd: null,
      delta: null,
      deltaPremiumAdjusted: null,
      gamma: null,
      vega: null,
      theta: null,
      error: null,
    }
    const t = totals.get(instrument.underlying) ?? emptyTotals(instrument.underlying, NaN)
    totals.set(instrument.underlying, t)
    t.positions++
    if (!resolved.ok) {
      rows.push({ ...base, error: resolved.reason })
      excluded.push({ instrument: instrument.name, reason: resolved.reason })
      t.excluded++
      continue
    }
    const m = resolved.inputs
    const quantity = Number(p.quantity)
    let g
    try {
      g = positionGreeks(instrument, quantity, Number(p.entryPrice), m)
    } catch (e) {
      const reason = (e as Error).message
      rows.push({ ...base, error: reason })
      excluded.push({ instrument: instrument.name, reason })
      t.excluded++
      continue
    }
    const row: PositionRow = {
      ...base,
      markPrice: m.mark,
      markSource: m.markSource,
      markIv: m.sigma === null ? null : m.sigma * 100,
      forward: instrument.kind === 'spot' ? null : m.underlying,
      indexPrice: m.index,
      ...g,
    }
    rows.push(row)
    engine.push({ instrument, quantity, inputs: m })
    engineRows.push(row)
    valuationMs = Math.max(valuationMs ?? m.asOfMs, m.asOfMs)
    t.indexPrice = Number.isNaN(t.indexPrice) ? m.index : t.indexPrice
    t.delta += g.delta
    t.deltaPremiumAdjusted += g.deltaPremiumAdjusted
    t.gamma += g.gamma
    t.vegaUsd += g.vega
    t.thetaUsd += g.theta
  }
  for (const t of totals.values()) {
    const S = t.indexPrice
    t.deltaUsd = t.delta * S
    t.gammaUsdPer1Pct = (t.gamma * S * S) / 100
    t.vegaCoin = t.vegaUsd / S
    t.thetaCoin = t.thetaUsd / S
  }
  const report: PositionsReport = {
    portfolio: portfolio.name,
    valuationTime: iso(valuationMs),
    positions: rows,
    // An underlying whose every position failed has no index to value coin totals with: report it as 0s.
    totals: [...totals.values()].map((t) => (Number.isNaN(t.indexPrice) ? { ...emptyTotals(t.underlying, 0), positions: t.positions, excluded: t.excluded } : t)),
  }
  return { portfolio, report, engine, engineRows, excluded }
}
