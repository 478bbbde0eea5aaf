/**
 * API schemas of the hedge suggestion (issue 13 item 4): targets on the whole book's (or a what-if's) Greeks,
 * a set of candidate instruments and limits; the service minimises the trading cost (half-spread × quantity +
 * fee + square-root impact, linearised) subject to the targets as a linear programme, rounds to each venue's
 * contract size and re-checks the targets after rounding.
 *
 * Units: delta in coin of the underlying (`deltaUsd`: USD, delta × index), gamma in coin per USD, vega in USD
 * per vol point; quantities in the instrument's quantity unit (contracts of USD face for inverse
 * futures/perpetuals, coin for options and linear contracts), prices in its price unit, costs in USD.
 *
 * Formulation: Papahristodoulou (2004), "Option strategies with linear programming", and Horasanlı (2008),
 * "Hedging strategies with linear programming"; see the research note on hedging (§6).
 */
import { z } from 'zod'
import { valuationAsOf } from './valuationAsOf'

/** Greeks a target can be set on. `vega` may be limited to one tenor bucket. */
export const HEDGE_GREEKS = ['delta', 'deltaUsd', 'gamma', 'vega'] as const
/** Tenor buckets of vega targets (the labels of greeks --by tenor). */
export const HEDGE_TENORS = ['<7d', '7–30d', '30–90d', '>90d'] as const
/** Candidate kinds. */
export const HEDGE_CANDIDATE_KINDS = ['perpetual', 'future', 'option', 'spot'] as const

export const hedgeTarget = z.object({
  /** Underlying coin (BTC, ETH…); omitted = the book's largest underlying by |delta USD|. */
  underlying: z.string().min(1).optional(),
  greek: z.enum(HEDGE_GREEKS),
  /** Only for `vega`: the tenor bucket the target applies to; omitted = all expiries. */
  tenor: z.enum(HEDGE_TENORS).optional(),
  /** The wanted value, in the greek's unit (module comment). */
  target: z.number().finite(),
  /** Half-width of the accepted band (≥ 0), same unit: the after-value must lie in target ± band. */
  band: z.number().finite().min(0),
})
export type HedgeTarget = z.infer<typeof hedgeTarget>

export const hedgeCandidates = z.object({
  kinds: z.array(z.enum(HEDGE_CANDIDATE_KINDS)).min(1).default(['perpetual', 'future']),
  /** Venues allowed (deribit, binance…); omitted = every venue of the book. */
  venues: z.array(z.string().min(1)).optional(),
  /** Accounts allowed to trade, `venue/account`; omitted = each venue's first account in the book. */
  accounts: z.array(z.string().min(1)).optional(),
  /** Explicit instruments (venue names); when given, only these (still filtered by kinds). */
  instruments: z.array(z.string().min(1)).optional(),
  /** Options and futures: days to expiry from the valuation instant, inclusive. */
  minDays: z.number().min(0).max(3650).optional(),
  maxDays: z.number().min(0).max(3650).optional(),
  /** Options: strike ÷ index price, inclusive (e.g. 0.8…1.2). */
  minMoneyness: z.number().positive().optional(),
  maxMoneyness: z.number().positive().optional(),
})
export type HedgeCandidates = z.infer<typeof hedgeCandidates>

export const hedgeRequest = z.object({
  portfolio: z.string().min(1).optional(),
  /** Hedge the what-if book (book + its legs) instead of the plain book. */
  whatIf: z.string().min(1).optional(),
  asOf: valuationAsOf.optional(),
  targets: z.array(hedgeTarget).min(1).max(32),
  candidates: hedgeCandidates.default({ kinds: ['perpetual', 'future'] }),
  /** Refuse solutions costing more (USD). */
  maxCostUsd: z.number().positive().optional(),
  /** Cap each instrument's |quantity| at the liquidity table's size for the venue (default on). */
  liquidityCaps: z.boolean().default(true),
  /** The size cap: this share (%) of the liquidity table's daily volume of the underlying (futures, perpetuals and
   * spot: their daily volume; options: the options' daily notional), per instrument and side. */
  maxParticipationPct: z.number().gt(0).max(100).default(10),
  /** Largest initial margin the added legs may use, % of each trading account's available balance (0–100); each
   * leg's IM is linearised as the venue rule's IM of the leg alone at its reference size (hedgeService.ts). */
  maxMarginUsePct: z.number().min(0).max(100).optional(),
})
export type HedgeRequest = z.input<typeof hedgeRequest>

/** One greek target before and after the hedge. */
export const hedgeTargetCheck = z.object({
  /** e.g. `BTC delta`, `BTC vega 7–30d`. */
  label: z.string(),
  underlying: z.string(),
  greek: z.enum(HEDGE_GREEKS),
  tenor: z.enum(HEDGE_TENORS).nullable(),
  /** In the greek's unit. */
  before: z.number(),
  /** With the rounded legs. */
  after: z.number(),
  lower: z.number(),
  upper: z.number(),
  met: z.boolean(),
})
export type HedgeTargetCheck = z.infer<typeof hedgeTargetCheck>

export const hedgeLeg = z.object({
  venue: z.string(),
  account: z.string(),
  /** The venue's instrument name (what addWhatIfLeg takes). */
  instrument: z.string(),
  kind: z.enum(HEDGE_CANDIDATE_KINDS),
  /** Signed decimal string after rounding to the contract size, in `quantityUnit`. */
  quantity: z.string(),
  quantityUnit: z.string(),
  /** The LP's unrounded quantity, same unit. */
  lpQuantity: z.number(),
  /** Entry price assumed (mark ± half-spread), decimal string in `priceUnit`. */
  price: z.string(),
  priceUnit: z.string(),
  /** USD costs of the rounded leg. */
  halfSpreadUsd: z.number(),
  feeUsd: z.number(),
  impactUsd: z.number(),
  costUsd: z.number(),
})
export type HedgeLeg = z.infer<typeof hedgeLeg>

export const hedgeResult = z.object({
  portfolio: z.string(),
  whatIf: z.string().nullable(),
  valuationTime: z.string().nullable(),
  /** `optimal`: legs meet every target after rounding; `rounded-off`: the LP met them but rounding broke one
   * (see targets[].met); `infeasible`: no solution, `reason` says which constraint cannot be met. */
  status: z.enum(['optimal', 'rounded-off', 'infeasible']),
  /** Null unless infeasible; e.g. "BTC vega cannot move with the allowed candidates (perpetual): none has vega". */
  reason: z.string().nullable(),
  legs: z.array(hedgeLeg),
  /** USD: the LP's optimum (unrounded) and the rounded legs' total. */
  lpCostUsd: z.number().nullable(),
  costUsd: z.number(),
  targets: z.array(hedgeTargetCheck),
  /** Constraints binding at the optimum, in words (a band edge, a size cap, the margin or cost limit). */
  binding: z.array(z.string()),
  candidatesConsidered: z.number().int(),
  /** Candidates left out and why (no quote, expired, no contract size…), and other assumptions. */
  notes: z.array(z.string()),
  /** Solver time, ms: the LP and the warm re-solves of rounding (HiGHS). */
  solveMs: z.number(),
})
export type HedgeResult = z.infer<typeof hedgeResult>

export const hedgeCalls = {
  suggestHedge: { input: hedgeRequest, output: hedgeResult },
} as const
