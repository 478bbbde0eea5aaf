/**
 * The liquidation-cascade simulation on a user's book (issue 6 item 4, issue 10 item 4): walk a price path of
 * one underlying; the user's margin accounts (domain `accountParticipants`: the cross part and each isolated
 * position, revalued by their venue rule at every price) and the documented default leveraged market
 * (`marketParticipants` from the dated `cascade.market.<UNDERLYING>` table; on by default, `market: false`
 * leaves it out) are closed out where their margin ratio reaches 100 % — solved inside the step, not at the
 * next path price — and their forced flow moves the price by the square-root law (domain `simulateCascade`,
 * cascade.ts, where the model, the causes of each close-out and the invariants are documented).
 *
 * Defaults (underlying, path, steps, market) are the request schema's (`cascadeRequest` / `cascadeDefaults`,
 * src/shared/marginApi.ts), the same for the CLI, the web host and the Margin view.
 *
 * Paths (`path`; STEPS defaults to the request's `steps`):
 *  - `crash:-40%[:STEPS]`: a fall of 40 % over STEPS steps, evenly in log price, from today's index;
 *  - `gap:-20%`: one jump of −20 % with no trading in between (a gap step: accounts it jumps through are
 *    closed out after the jump, and their outcome names the gap);
 *  - `historical:NAME[:STEPS]`: a historical episode of the stress engine (historicalEpisodes.ts, matched by
 *    its name or date prefix, e.g. `historical:2020-03-12`): the episode's move of the underlying (explicit,
 *    or by the beta table) walked as a crash path over STEPS steps — the episode's window return, not its
 *    intraday path, which the bundled sources do not give;
 *  - `history:FROM:TO`: the stored daily closes of the underlying (price history imports) between two dates,
 *    rescaled to start at today's index (continuous between closes: crypto trades around the clock).
 *
 * Impact parameters (each overridable in the request, each source reported):
 *  - Y and σ_daily: the stress settings' liquidity table (impactY and the underlying's daily vol) — the same
 *    figures the stress engine's close-out cost uses;
 *  - V, the daily volume the forced flow executes against, in coin: the `cascade.market.<UNDERLYING>` table's
 *    whole-market volume when the table exists (with or without the market, so that adding the market can
 *    only deepen the cascade), else the liquidity table's futures volume ÷ today's index.
 * Liquidation fee on the closed notional: the account's setting, else, for Deribit accounts holding futures,
 * Deribit's published futures rates (BTC 0.75 %, ETH 0.9 %: Deribit 11 Jan 2022 notice), else 0 (stated;
 * Deribit charges options on another base, not modelled).
 */
import { parseCascadePath } from '../../shared/cascadePath'
import { cascadeDefaults, type CascadeRequestParsed, type CascadeResult } from '../../shared/marginApi'
import type { Db } from '../db/database'
import { listPriceSeries, priceCloses } from '../db/priceStore'
import {
  accountParticipants,
  CascadeInputError,
  crashPath,
  historicalPath,
  marketParticipants,
  MarginInputError,
  selectTableById,
  simulateCascade,
  toMoneyString,
  type CascadeParticipant,
  type ImpactParams,
  type LeveragedMarketParams,
} from '../domain/margin/index'
import { resolveSpotShock } from '../domain/stress/betaTable'
import { HISTORICAL_EPISODES } from '../domain/stress/historicalEpisodes'
import { liquidityRow } from '../domain/stress/liquidityTable'
import { buildMarginBook, type MarginBookAccount } from './marginBook'
import { loadStressSettings } from './stressService'

/** Thrown for a path specification that cannot be read or has no data. */
export class CascadePathError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CascadePathError'
  }
}

const DERIBIT_LIQUIDATION_FEE: Readonly<Record<string, number>> = { BTC: 0.0075, ETH: 0.009 }
const DERIBIT_FEE_SOURCE = 'Deribit 11 Jan 2022 notice (https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022)'

interface ResolvedPath {
  prices: number[]
  /** gaps[k]: the move into step k is a jump (domain CascadeInput.gaps). */
  gaps: boolean[]
  kind: 'crash' | 'gap' | 'historical' | 'history'
  description: string
  source: string
}

/**
 * Reads a path specification (module comment; its syntax: shared/cascadePath.ts) into prices starting at `start`.
 * @param steps steps of a crash or historical path that names none (the request's `steps`)
 * @throws CascadePathError for an unreadable specification, an unknown episode, or a window without closes
 */
export function resolveCascadePath(
  db: Db,
  spec: string,
  underlying: string,
  start: number,
  betas: Parameters<typeof resolveSpotShock>[2],
  steps: number = cascadeDefaults.steps,
): ResolvedPath {
  const parsed = parseCascadePath(spec)
  if (!parsed.ok) throw new CascadePathError(parsed.message)
  const p = parsed.path
  if (p.kind === 'crash') {
    const n = p.steps ?? steps
    return { prices: crashPath(start, p.move, n), gaps: [], kind: 'crash', description: `${p.moveText}% in ${n} steps (even in log price)`, source: 'user-specified crash' }
  }
  if (p.kind === 'gap') {
    return {
      prices: [start, start * (1 + p.move)],
      gaps: [false, true],
      kind: 'gap',
      description: `a gap of ${p.moveText}% in one jump (no trading in between)`,
      source: 'user-specified gap',
    }
  }
  if (p.kind === 'historical') {
    const n = p.steps ?? steps
    const q = p.name.toLowerCase()
    const found = HISTORICAL_EPISODES.filter((e) => e.name.toLowerCase().startsWith(q) || e.name.toLowerCase().includes(q))
    if (found.length !== 1)
      throw new CascadePathError(
        `path "${spec}": ${found.length > 1 ? 'ambiguous' : 'no'} historical episode "${p.name}"; episodes: ${HISTORICAL_EPISODES.map((e) => e.name).join('; ')}`,
      )
    const e = found[0]!
    const spot = { driver: e.spot?.driver ?? 'BTC', shock: e.spot?.shock ?? 0, byUnderlying: e.spot?.byUnderlying ?? {} }
    const r = resolveSpotShock(spot, underlying, betas)
    return {
      prices: crashPath(start, r.shock, n),
      gaps: [],
      kind: 'historical',
      description: `${e.name}: ${underlying} ${(r.shock * 100).toFixed(1)}% (the episode's window move) in ${n} steps${r.assumption ? `; ${r.assumption}` : ''}`,
      source: e.source ?? '',
    }
  }
  const { from, to } = p
  const series = listPriceSeries(db, underlying)
    .filter((s) => s.interval === '1d')
    .sort((a, b) => b.closes - a.closes)
  const t0 = Date.parse(`${from}T00:00:00Z`)
  const t1 = Date.parse(`${to}T23:59:59Z`)
  for (const s of series) {
    const closes = priceCloses(db, s.id).filter((c) => c.ts >= t0 && c.ts <= t1)
    if (closes.length >= 2)
      return {
        prices: historicalPath(closes.map((c) => Number(c.close)), start),
        gaps: [],
        kind: 'history',
        description: `${underlying} daily closes ${from} … ${to} (${closes.length} closes), rescaled to today's index`,
        source: `stored price history: ${s.source}`,
      }
  }
  throw new CascadePathError(`path "${spec}": no stored daily closes of ${underlying} between ${from} and ${to} (import price history first)`)
}

function feeRate(a: MarginBookAccount, underlying: string): { rate: number; note: string | null } {
  if (a.settings.liquidationFeeRate !== undefined) return { rate: a.settings.liquidationFeeRate, note: null }
  const futures = a.model.positions.some((p) => p.instrument.underlying === underlying && p.instrument.kind !== 'option')
  if (a.venue === 'deribit' && futures && DERIBIT_LIQUIDATION_FEE[underlying] !== undefined)
    return { rate: DERIBIT_LIQUIDATION_FEE[underlying]!, note: `${a.key}: liquidation fee ${DERIBIT_LIQUIDATION_FEE[underlying]! * 100}% of the closed notional (${DERIBIT_FEE_SOURCE})` }
  return { rate: 0, note: `${a.key}: no liquidation fee (none set: riskdesk margin-settings set ${a.key} --liquidation-fee RATE)` }
}

const usd = (x: number) => toMoneyString(x, 2)!
const coin = (x: number) => toMoneyString(x, 8)!

/**
 * Runs a cascade on the portfolio's accounts and (unless `market` is false) the default leveraged market.
 * @throws PortfolioNotFoundError; CascadePathError for a bad path, no index of the underlying, or the market
 *   on (the default) with no `cascade.market.<UNDERLYING>` table; VenueRulesError; ZodError for an invalid
 *   request
 */
export function runCascade(db: Db, request: CascadeRequestParsed): CascadeResult {
  const u = request.underlying.toUpperCase()
  const book = buildMarginBook(db, request)
  const settings = loadStressSettings(db)
  const start = book.indices.get(u)
  if (start === undefined) throw new CascadePathError(`no ${u} index price in the book: the cascade starts from today's ${u} index`)
  const path = resolveCascadePath(db, request.path, u, start, settings.betas, request.steps)
  const assumptions: string[] = [
    'liquidation is full, not incremental (Deribit and Binance liquidate incrementally); vol is not shocked along the path',
    'option close-outs are counted by their delta (an option close-out is not a spot trade)',
    'the price moves continuously between path prices (evenly in log price) except across gap steps; a close-out executes where the breach is found (the solved 100 % margin-ratio crossing, or the price after a gap or after other close-outs’ impact), and its own impact comes after',
  ]
  const tableId = `cascade.market.${u}`
  const marketSel = book.tables[tableId] ? selectTableById<LeveragedMarketParams>(book.tables, tableId, book.asOf) : null
  if (request.market && !marketSel)
    throw new CascadePathError(`no ${tableId} table: add one to a venue-rules file to simulate the leveraged market of ${u} (docs/margin.md), or leave the market out (--market off)`)
  const liq = liquidityRow(settings.liquidity, u)
  const impact: ImpactParams = {
    Y: request.impactY ?? settings.liquidity.impactY,
    dailyVol: request.dailyVol ?? liq.row.dailyVol,
    dailyVolumeCoin: request.dailyVolumeCoin ?? marketSel?.values.impact.dailyVolumeCoin ?? liq.row.futuresVolumeUsd / start,
  }
  const liqSource = `liquidity table${liq.fallback ? ' "*" row' : ` ${u} row`} (stress settings, as of ${settings.liquidity.asOf})`
  const sources = {
    Y: request.impactY !== undefined ? 'request' : `liquidity table impactY (stress settings, as of ${settings.liquidity.asOf})`,
    dailyVol: request.dailyVol !== undefined ? 'request' : liqSource,
    dailyVolumeCoin:
      request.dailyVolumeCoin !== undefined
        ? 'request'
        : marketSel
          ? `${tableId} whole-market daily volume (entry ${marketSel.asOf}, ${marketSel.dateBasis})`
          : `${liqSource} futures volume ÷ today's index`,
  }
  const participants: CascadeParticipant[] = []
  const skipped: CascadeResult['skipped'] = []
  const owner = new Map<string, string>()
  for (const a of book.accounts) {
    if (!a.model.positions.some((p) => p.instrument.underlying === u)) continue
    if (a.error !== null || !a.resolved) {
      skipped.push({ key: a.key, reason: a.error ?? 'no rule' })
      continue
    }
    if (!a.collateralKnown) {
      skipped.push({ key: a.key, reason: `no ${a.marginCurrency} balance imported: its equity is unknown` })
      continue
    }
    const fee = feeRate(a, u)
    if (fee.note) assumptions.push(fee.note)
    for (const p of accountParticipants(a.model, a.resolved.rule, u, fee.rate)) {
      // Ids carry the margin currency too (a venue account may hold BTC- and USDT-margined parts).
      const id = `${a.key}${p.id.slice(`${a.venue}:${a.account}`.length)}`
      participants.push({ ...p, id })
      owner.set(id, a.key)
    }
  }
  const market = request.market && marketSel ? marketParticipants(marketSel.values, start) : []
  if (market.length > 0)
    assumptions.push(
      `leveraged market from ${tableId} (entry ${marketSel!.asOf}): ${marketSel!.note ?? ''}`.trim(),
      'market positions are opened at today’s index (the table’s entries-at-current-price assumption)',
    )
  let sim: ReturnType<typeof simulateCascade>
  try {
    sim = simulateCascade({ path: path.prices, gaps: path.gaps, participants: [...participants, ...market], impact })
  } catch (e) {
    // exp(−impact) underflows to 0 when the forced flow dwarfs the daily volume: say so in the user's terms,
    // not as the revaluation's internal "spot shock −1".
    if (e instanceof MarginInputError && /^spot shock -1 /.test(e.message))
      throw new CascadeInputError(
        `the forced selling drives ${u}'s price to 0 under the square-root impact (Y ${impact.Y}, daily σ ${impact.dailyVol}, daily volume ${impact.dailyVolumeCoin} ${u}): the flow is far beyond the daily volume, where the impact law no longer holds; use a larger --depth or a smaller --impact-y / --daily-vol`,
      )
    throw e
  }
  return {
    portfolio: book.portfolio.name,
    underlying: u,
    asOf: book.asOf,
    startPrice: start,
    path: { spec: request.path, kind: path.kind, description: path.description, source: path.source, steps: path.prices.length - 1 },
    market: {
      included: market.length > 0,
      participants: market.length,
      table: marketSel
        ? { id: marketSel.tableId, asOf: marketSel.asOf, dateBasis: marketSel.dateBasis, sources: marketSel.sources, note: marketSel.note ?? null, beforeFirstEntry: marketSel.beforeFirstEntry }
        : null,
    },
    impact: { ...impact, sources },
    steps: sim.steps.map((s) => ({ ...s, liquidatedCoin: coin(s.liquidatedCoin), liquidatedNotionalUsd: usd(s.liquidatedNotionalUsd) })),
    exogenousFinalPrice: sim.exogenousFinalPrice,
    finalPrice: sim.finalPrice,
    extraMoveLog: sim.extraMoveLog,
    extraMoveRelative: sim.extraMoveRelative,
    totalLiquidatedCoin: coin(sim.totalLiquidatedCoin),
    totalLiquidatedNotionalUsd: usd(sim.totalLiquidatedNotionalUsd),
    totalShortfallUsd: usd(sim.totalShortfallUsd),
    outcomes: sim.outcomes.map((o) => {
      const p = [...participants, ...market].find((x) => x.id === o.id)!
      return {
        id: o.id,
        kind: o.kind,
        account: owner.get(o.id) ?? null,
        liquidated: o.liquidated,
        step: o.step,
        triggerPrice: o.triggerPrice,
        executionPrice: o.executionPrice,
        cause: o.cause,
        explanation: o.explanation,
        thresholdPrice: o.thresholdPrice,
        belowBankruptcy: o.belowBankruptcy,
        closedCoin: coin(o.closedCoin),
        equityAtTriggerUsd: o.equityAtTriggerUsd === null ? null : usd(o.equityAtTriggerUsd),
        equityAfterUsd: o.equityAfterUsd === null ? null : usd(o.equityAfterUsd),
        shortfallUsd: usd(o.shortfallUsd),
        equityEndUsd: o.liquidated || o.kind === 'market' ? null : usd(p.stateAt(sim.finalPrice).equityUsd),
      }
    }),
    skipped,
    assumptions,
  }
}
