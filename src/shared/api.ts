/**
 * The Riskdesk API contract: one entry per call, each with a zod schema for its input and its output.
 * The Electron IPC host, the HTTP web host and the CLI expose exactly these calls; the receiving side
 * validates every input with the schema here (DESIGN.md §2).
 *
 * Units: prices and values in USD unless the field name or docstring says otherwise; vol in vol points
 * (1 = 1%); times as ISO-8601 UTC strings; quantities and entry prices as decimal strings in the
 * instrument's own units (see `quantityUnit` / `priceUnit`).
 */
import { z } from 'zod'
import { API_NAMES, type ApiCallName } from './apiNames'
import {
  valuationMarket,
  drillDownRequest,
  drillDownResult,
  saveScenarioSetRequest,
  savedSet,
  savedSetSummary,
  scenarioSetRef,
  stressJobStatus,
  stressRequest,
  stressResult,
  stressSettings,
} from './stressApi'
import { importCalls } from './importApi'
import { marginCalls } from './marginApi'
import { surfaceCalls } from './surfaceApi'
import { portfolioCalls } from './portfolioApi'
import { varCalls } from './varApi'
import { greeksCalls } from './greeksApi'
import { reportCalls } from './reportApi'
import { whatIfCalls } from './whatifApi'
import { profileCalls } from './profileApi'
import { hedgeCalls } from './hedgeApi'
import { valuationAsOf } from './valuationAsOf'
import { POSITION_ORIGINS } from './positionOrigin'

export * from './stressApi'
export * from './positionOrigin'
export * from './importApi'
export * from './marginApi'
export * from './surfaceApi'
export * from './portfolioApi'
export * from './varApi'
export * from './greeksApi'
export * from './reportApi'
export * from './whatifApi'
export * from './profileApi'
export * from './hedgeApi'
export * from './valuationAsOf'

import { instrumentKind, optionType, priceUnit, quantityUnit, settlement } from './instrument'

export const portfolioSelector = z.object({
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  /** Which stored market data to value against (valuationAsOf.ts): omitted = the book's own time. */
  asOf: valuationAsOf.optional(),
})
export type PortfolioSelector = z.input<typeof portfolioSelector>

export const portfolioSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Positions in the portfolio's current book (latest import per account). */
  positions: z.number().int(),
  lastImportAt: z.string().nullable(),
})
export type PortfolioSummary = z.infer<typeof portfolioSummary>

/**
 * One line of the whole book with its valuation and Greeks: a derivative or spot position (`origin`
 * `position`), an account's coin balance (`balance`: collateral or a spot holding, a `spot` exposure of 1
 * coin of delta per coin, valued at the index; USD is cash), a what-if leg (`whatif`: a hypothetical
 * position of a what-if book, id = the leg's id) or the cash such a leg moves (`whatif-cash`: the premium an
 * option leg pays or receives, the price a spot leg pays, in the instrument's price currency — a change of the
 * account's balance, valued like a balance; id = its leg's id). Greeks are null when the line could not be valued.
 */
export const positionRow = z.object({
  /** Row id of the position, of the balance or of the what-if leg (ids of the origins may coincide); holdings summed from spot
   * fills have negative ids (no stored row). */
  id: z.number().int(),
  origin: z.enum(POSITION_ORIGINS),
  venue: z.string(),
  account: z.string(),
  instrument: z.string(),
  /** Canonical instrument id, the ccxt-style unified symbol (`BTC/USD:BTC-200626-9000-C`). */
  symbol: z.string().optional(),
  underlying: z.string(),
  kind: instrumentKind,
  settlement,
  optionType: optionType.nullable(),
  /** Strike in USD. */
  strike: z.number().nullable(),
  /** Expiry, ISO-8601 UTC. */
  expiry: z.string().nullable(),
  /** Signed quantity as a decimal string, in `quantityUnit`. */
  quantity: z.string(),
  quantityUnit,
  /** Entry price as a decimal string, in `priceUnit` (coin for Deribit inverse options); null for balances. */
  entryPrice: z.string().nullable(),
  priceUnit,
  /** Mark price in `priceUnit`, null when the market snapshot lacks it. */
  markPrice: z.number().nullable(),
  /** Where the mark came from: the file's own quote, or a stated derivation. */
  markSource: z.string(),
  /** Mark implied volatility in vol points (options only). */
  markIv: z.number().nullable(),
  /** Forward / underlying price of the expiry in USD (options and futures). */
  forward: z.number().nullable(),
  /** Index price of the underlying in USD. */
  indexPrice: z.number().nullable(),
  /** Market value at mark in USD: quantity × premium for options, quantity × price for spot, 0 for futures
   * and perpetuals (their value is settled as P&L). Coin amounts are valued at the index price. */
  marketValueUsd: z.number().nullable(),
  /** What the line adds to the book's value (equity) in USD: market value of options, spot and balances;
   * a future's unrealized P&L (coin P&L valued at the index). */
  valueUsd: z.number().nullable(),
  /** Unrealized P&L since entry, in USD (coin P&L valued at the index price); null for balances. */
  unrealizedPnlUsd: z.number().nullable(),
  /** USD delta in coin, ∂(USD value)/∂(index): Black-76 forward delta × quantity for options, USD face ÷
   * entry price for inverse futures (the contract plus the coin its P&L holds), quantity for linear futures,
   * spot and coin balances. */
  delta: z.number().nullable(),
  /** The venue's coin delta, as Deribit sums it into an account's delta: inverse options premium-adjusted
   * (delta − mark in coin), inverse futures USD face ÷ mark; equals `delta` otherwise. */
  deltaPremiumAdjusted: z.number().nullable(),
  /** Gamma in coin per USD. */
  gamma: z.number().nullable(),
  /** Vega in USD per vol point. */
  vega: z.number().nullable(),
  /** Theta in USD per calendar day (Black-76, ACT/365). */
  theta: z.number().nullable(),
  /** Why the position was not valued (missing market data, expired…); null when valued. */
  error: z.string().nullable(),
  /** A `whatif-cash` row: what the cash is (the premium or price of a what-if leg, its fee, in which currency). */
  cashNote: z.string().optional(),
})
export type PositionRow = z.infer<typeof positionRow>

/**
 * Greeks summed per underlying, in coin and in USD (coin figures valued at the index price). Figures cover the
 * whole book (`total`: derivatives + balances) unless named `derivatives…` (derivatives only); gamma, vega
 * and theta come from derivatives alone.
 */
export const underlyingTotals = z.object({
  underlying: z.string(),
  indexPrice: z.number(),
  /** Lines of the book on this underlying: positions and balances. */
  positions: z.number().int(),
  /** Lines left out of the totals because they could not be valued (see their `error`). */
  excluded: z.number().int(),
  /** Total USD delta in coin: balances + derivatives. */
  delta: z.number(),
  /** Total delta in USD = delta (coin) × index price. */
  deltaUsd: z.number(),
  /** Coin held as balances (collateral, spot holdings). */
  balance: z.number(),
  /** USD delta of the derivatives only, coin. */
  derivativesDelta: z.number(),
  /** Derivatives-only delta in USD. */
  derivativesDeltaUsd: z.number(),
  /** The derivatives' coin delta as the venue sums it (premium-adjusted; derivativesDelta minus the coin
   * their P&L and premiums hold). */
  deltaPremiumAdjusted: z.number(),
  /** Gamma in coin per USD. */
  gamma: z.number(),
  /** Change of USD delta for a 1% move of the underlying = gamma × index² / 100, in USD. */
  gammaUsdPer1Pct: z.number(),
  /** Vega in USD per vol point. */
  vegaUsd: z.number(),
  /** Vega in coin per vol point (vega USD / index). */
  vegaCoin: z.number(),
  /** Theta in USD per day. */
  thetaUsd: z.number(),
  /** Theta in coin per day (theta USD / index). */
  thetaCoin: z.number(),
  /** Value of the lines on this underlying (equity contribution), USD: total and derivatives only. */
  valueUsd: z.number(),
  derivativesValueUsd: z.number(),
})
export type UnderlyingTotals = z.infer<typeof underlyingTotals>

/** The market snapshot a valuation used: the rule that chose it, the stored snapshots and one index per
 * underlying (schema in stressApi.ts). */
export type ValuationMarket = z.infer<typeof valuationMarket>

export const positionsReport = z.object({
  portfolio: z.string(),
  /** Valuation time: the latest instant of the market data used, ISO-8601 UTC. */
  valuationTime: z.string().nullable(),
  market: valuationMarket,
  positions: z.array(positionRow),
  totals: z.array(underlyingTotals),
  /** The book's value (equity) in USD: total, derivatives only, balances. */
  book: z.object({ valueUsd: z.number(), derivativesValueUsd: z.number(), balancesValueUsd: z.number() }),
})
export type PositionsReport = z.infer<typeof positionsReport>

/** A stored market snapshot a portfolio may be valued against (the valuation-time picker lists them). */
export const marketSnapshotSummary = z.object({
  id: z.number().int(),
  venue: z.string(),
  /** Snapshot instant, ISO-8601 UTC: pass it as `asOf` to value at it. */
  asOf: z.string(),
  file: z.string(),
  format: z.string(),
  /** `shared`: a market import (option chain); `portfolio`: an import of this portfolio. */
  scope: z.enum(['shared', 'portfolio']),
  importedAt: z.string(),
})
export type MarketSnapshotSummary = z.infer<typeof marketSnapshotSummary>

/**
 * A started stress job. `ticket` is the web host's only: a one-job, short-lived secret that opens the job's
 * progress stream (`GET /api/events/stressJob?jobId=…&ticket=…`, server-sent events), since a browser's
 * EventSource cannot send the Authorization header. Other hosts leave it out.
 */
export const startedStressJob = z.object({ jobId: z.string(), ticket: z.string().optional() })
export type StartedStressJob = z.infer<typeof startedStressJob>

/**
 * What a host pushes while a stress job runs (event `stressJob`): its status and progress in scenarios, done
 * and in all, without the result (read it once with getStressJob when `status` is no longer `running`). The
 * last event of a job is the first whose status is not `running`.
 */
export const stressJobEvent = stressJobStatus.omit({ result: true })
export type StressJobEvent = z.infer<typeof stressJobEvent>

/** Every call: its input schema and its output schema. */
export const api = {
  listPortfolios: { input: z.object({}), output: z.array(portfolioSummary) },
  getPositions: { input: portfolioSelector, output: positionsReport },
  listMarketSnapshots: { input: z.object({ portfolio: z.string().min(1).optional() }), output: z.array(marketSnapshotSummary) },
  runStress: { input: stressRequest, output: stressResult },
  startStress: { input: stressRequest, output: startedStressJob },
  getStressJob: { input: z.object({ jobId: z.string() }), output: stressJobStatus },
  cancelStress: { input: z.object({ jobId: z.string() }), output: z.object({ cancelled: z.boolean() }) },
  stressDrillDown: { input: drillDownRequest, output: drillDownResult },
  listScenarioSets: { input: z.object({}), output: z.array(savedSetSummary) },
  getScenarioSet: { input: scenarioSetRef, output: savedSet },
  saveScenarioSet: { input: saveScenarioSetRequest, output: savedSetSummary },
  deleteScenarioSet: { input: scenarioSetRef, output: z.object({ deleted: z.boolean() }) },
  getStressSettings: { input: z.object({}), output: stressSettings },
  saveStressSettings: { input: stressSettings, output: stressSettings },
  ...importCalls,
  ...marginCalls,
  ...surfaceCalls,
  ...portfolioCalls,
  ...varCalls,
  ...greeksCalls,
  ...reportCalls,
  ...whatIfCalls,
  ...profileCalls,
  ...hedgeCalls,
} as const

export type ApiName = keyof typeof api
// Compile-time check that apiNames.ts lists exactly the calls of the contract.
const namesMatch: [ApiName] extends [ApiCallName] ? ([ApiCallName] extends [ApiName] ? true : never) : never = true
void namesMatch
/** What a caller sends (defaults may be omitted). */
export type ApiInput<K extends ApiName> = z.input<(typeof api)[K]['input']>
/** What a handler receives: the input after its schema's parse (defaults filled in). */
export type ApiParsedInput<K extends ApiName> = z.output<(typeof api)[K]['input']>
export type ApiOutput<K extends ApiName> = z.infer<(typeof api)[K]['output']>

/** The typed API the renderer calls (over IPC or HTTP): one async function per call. */
export type RiskdeskApi = { [K in ApiName]: (input: ApiInput<K>) => Promise<ApiOutput<K>> }

/** The service side: one handler per call, receiving validated input (see dispatch in riskdeskApi.ts). */
export type RiskdeskHandlers = { [K in ApiName]: (input: ApiParsedInput<K>) => Promise<ApiOutput<K>> }

export const apiNames: readonly ApiName[] = API_NAMES

