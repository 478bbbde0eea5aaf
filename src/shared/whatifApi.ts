/**
 * API schemas of what-if books (issue 13): named sandboxes on a portfolio whose legs — hypothetical positions
 * in instruments of the book's market snapshot — are valued on top of the whole book, never touching imported
 * positions. `getWhatIf` returns every figure before (the book), after (book + legs) and the change.
 *
 * Units: quantity in the instrument's quantity unit (contracts of USD face for inverse futures/perpetuals, coin
 * for options), prices in its price unit (coin for Deribit inverse options, USD otherwise), fees in USD; Greeks
 * as the positions report (delta coin, gamma coin per USD, vega USD per vol point, theta USD per day); margin
 * money as decimal strings in the account's margin currency; stress P&L in USD.
 */
import { z } from 'zod'
import { decimalTextProblem, RANGES, type NumberRange } from './ranges'
import { greeksBucket } from './greeksApi'
import { liquidationLevels } from './marginApi'
import { valuationAsOf } from './valuationAsOf'
import { spotRange, volRange } from './stressApi'
import { varFactor, varMethod, varRequest } from './varApi'

const whatIfName = z.string().trim().min(1).max(100)

const decimalIn = (r: NumberRange) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "0.5"')
    .superRefine((s, ctx) => {
      const problem = decimalTextProblem(s, r)
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
    })

export const whatIfSummary = z.object({
  name: z.string(),
  portfolio: z.string(),
  legs: z.number().int(),
  /** ISO-8601 UTC. */
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type WhatIfSummary = z.infer<typeof whatIfSummary>

export const whatIfLeg = z.object({
  id: z.number().int(),
  venue: z.string(),
  account: z.string(),
  /** The venue's instrument name. */
  instrument: z.string(),
  symbol: z.string(),
  kind: z.string(),
  /** Signed decimal string, in `quantityUnit`. */
  quantity: z.string(),
  quantityUnit: z.string(),
  /** Decimal string, in `priceUnit`. */
  entryPrice: z.string(),
  priceUnit: z.string(),
  /** Where the entry price came from: `given`, `ask`/`bid` (mark ± half the bid/ask spread), or `mark` (no quotes). */
  priceSource: z.string(),
  /** USD, decimal string; null when the account's taker fee rate is not known. */
  feeUsd: z.string().nullable(),
  feeSource: z.string(),
  /**
   * The cash the trade moves in the account's balance, fee aside: an option's premium or a spot trade's price,
   * quantity × entry price (negative when paid), decimal string in `currency` (the price currency: BTC for
   * Deribit's inverse options); null for futures and perpetuals (no cash at the trade).
   */
  cash: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  /**
   * A custom option (strike or expiry the venue does not list), priced off the fitted vol surface: its terms and
   * the surface vol when it was added (its `priceSource` is `surface` when no price was given); null for a
   * listed instrument.
   */
  custom: z
    .object({
      /** USD. */
      strike: z.number(),
      /** ISO-8601 UTC, at the venue's expiry hour. */
      expiry: z.string(),
      optionType: z.enum(['call', 'put']),
      /** Vol points. */
      surfaceVol: z.number(),
      /** Which surface gave the vol, and where on it (slice, interpolation, flat wing). */
      note: z.string(),
    })
    .nullable(),
})
export type WhatIfLeg = z.infer<typeof whatIfLeg>

export const listWhatIfsRequest = z.object({ portfolio: z.string().min(1).optional() })
export const createWhatIfRequest = z.object({
  name: whatIfName,
  /** Portfolio the what-if sits on; omitted = the most recently imported. */
  portfolio: z.string().min(1).optional(),
})
export const renameWhatIfRequest = z.object({ from: whatIfName, to: whatIfName })
export const deleteWhatIfRequest = z.object({ name: whatIfName })

/**
 * A custom option: the venue's name of an option it does not list (`BTC-26JUN20-9500-C`), or its terms. Priced
 * off the vol surface fitted to the book's latest chain of that venue and underlying.
 */
export const customOptionRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    underlying: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,20}$/, 'a coin such as BTC')
      .optional(),
    /** USD. */
    strike: decimalIn(RANGES.price)
      .refine((s) => Number(s) > 0, 'a strike above 0')
      .optional(),
    /** YYYY-MM-DD (UTC); the venue's expiry hour is added (Deribit 08:00 UTC). */
    expiry: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
      .optional(),
    optionType: z.enum(['call', 'put']).optional(),
    /** Deribit only: the USDC-settled (linear) option instead of the inverse one. */
    linear: z.boolean().optional(),
  })
  .refine(
    (c) => (c.name !== undefined) !== (c.underlying !== undefined || c.strike !== undefined || c.expiry !== undefined || c.optionType !== undefined),
    'give either the name (BTC-26JUN20-9500-C) or the terms (underlying, strike, expiry, optionType)',
  )
  .refine(
    (c) => c.name !== undefined || (c.underlying !== undefined && c.strike !== undefined && c.expiry !== undefined && c.optionType !== undefined),
    'the terms of a custom option are all four of underlying, strike, expiry and optionType',
  )
export type CustomOptionRequest = z.input<typeof customOptionRequest>

export const addWhatIfLegRequest = z.object({
  whatIf: whatIfName,
  /**
   * The venue's instrument name (BTC-PERPETUAL, BTC-26JUN20-9000-C): an instrument of the stored market data.
   * Omitted only for a custom option (`custom`).
   */
  instrument: z.string().trim().min(1).max(200).optional(),
  /** A custom option instead of a listed instrument. */
  custom: customOptionRequest.optional(),
  /** Venue of the instrument; needed only when several venues list the name. */
  venue: z.string().trim().min(1).max(50).optional(),
  /** Signed, in the instrument's quantity unit; not zero. */
  quantity: decimalIn(RANGES.quantity).refine((s) => Number(s) !== 0, 'a quantity other than 0'),
  /** Entry price in the instrument's price unit; omitted = the mark ± half the bid/ask spread (the mark when no quotes). */
  price: decimalIn(RANGES.price).optional(),
  /** Account at the venue; omitted = the portfolio's only account there. */
  account: z.string().trim().min(1).max(100).optional(),
}).refine((r) => (r.instrument === undefined) !== (r.custom === undefined), 'give either an instrument of the market data or a custom option, not both')
export type AddWhatIfLegRequest = z.input<typeof addWhatIfLegRequest>

export const removeWhatIfLegRequest = z.object({ whatIf: whatIfName, legId: z.number().int().positive() })
export const resizeWhatIfLegRequest = z.object({
  whatIf: whatIfName,
  legId: z.number().int().positive(),
  quantity: decimalIn(RANGES.quantity).refine((s) => Number(s) !== 0, 'a quantity other than 0 (remove the leg instead)'),
})

export const whatIfLegResult = z.object({ whatIf: whatIfSummary, leg: whatIfLeg })

export const getWhatIfRequest = z.object({
  name: whatIfName,
  asOf: valuationAsOf.optional(),
  /** Stress: a built-in set (grid, span16, pm, historical, horizons) or a saved set's name. */
  set: z.string().min(1).default('grid'),
  spot: spotRange.optional(),
  vol: volRange.optional(),
  /** Subtract close-out (liquidity-gap) costs in the stress figures. */
  liquidity: z.boolean().default(false),
})
export type GetWhatIfRequest = z.input<typeof getWhatIfRequest>

/** Per underlying, the Greeks of the whole book (balances included in delta and value, as the positions report). */
export const whatIfGreeks = z.object({
  underlying: z.string(),
  /** Coin. */
  delta: z.number(),
  /** USD (delta × index). */
  deltaUsd: z.number(),
  /** Coin per USD. */
  gamma: z.number(),
  /** USD per 1 % move, (Γ·S²)/100. */
  gammaUsdPer1Pct: z.number(),
  /** USD per vol point. */
  vegaUsd: z.number(),
  /** USD per calendar day. */
  thetaUsd: z.number(),
  /** USD. */
  valueUsd: z.number(),
})
export type WhatIfGreeks = z.infer<typeof whatIfGreeks>

export const whatIfBucket = greeksBucket.omit({ lines: true, excluded: true }).extend({ by: z.enum(['expiry', 'tenor', 'strike']) })
export type WhatIfBucket = z.infer<typeof whatIfBucket>

export const whatIfMargin = z.object({
  /** `venue/account/CURRENCY`. */
  key: z.string(),
  marginCurrency: z.string(),
  status: z.string(),
  /** Decimal strings in the margin currency; null = unknown (see the margin view's `unknown`). */
  equity: z.string().nullable(),
  initialMargin: z.string().nullable(),
  maintenanceMargin: z.string().nullable(),
  availableBalance: z.string().nullable(),
  /** MM ÷ equity (the venues' margin ratio); null = unknown. */
  marginRatio: z.number().nullable(),
  liquidation: z.array(liquidationLevels),
  unknown: z.array(z.string()),
})
export type WhatIfMargin = z.infer<typeof whatIfMargin>

export const whatIfFigures = z.object({
  valuationTime: z.string().nullable(),
  /** USD: the whole book's value (positions, balances and legs valued). */
  valueUsd: z.number(),
  greeks: z.array(whatIfGreeks),
  buckets: z.array(whatIfBucket),
  stress: z.object({
    set: z.string(),
    scenarios: z.number().int(),
    /** Lowest weighted whole-book P&L of the set, USD; null for an empty book. */
    worst: z.object({ name: z.string(), pnlUsd: z.number(), weightedPnlUsd: z.number() }).nullable(),
  }),
  margin: z.array(whatIfMargin),
  /** Lines that could not be valued, with the reason (left out of every total). */
  excluded: z.array(z.object({ instrument: z.string(), reason: z.string() })),
})
export type WhatIfFigures = z.infer<typeof whatIfFigures>

/** after − before; a row on one side only counts as 0 on the other. Margin money as decimal strings. */
export const whatIfChange = z.object({
  valueUsd: z.number(),
  greeks: z.array(whatIfGreeks),
  buckets: z.array(whatIfBucket),
  /** Change of the worst-case P&L (the worst scenario may differ before and after), USD. */
  stressWorstPnlUsd: z.number().nullable(),
  margin: z.array(
    z.object({
      key: z.string(),
      marginCurrency: z.string(),
      equity: z.string().nullable(),
      initialMargin: z.string().nullable(),
      maintenanceMargin: z.string().nullable(),
      availableBalance: z.string().nullable(),
      marginRatio: z.number().nullable(),
    }),
  ),
})
export type WhatIfChange = z.infer<typeof whatIfChange>

export const whatIfReport = z.object({
  whatIf: whatIfSummary,
  legs: z.array(whatIfLeg),
  before: whatIfFigures,
  after: whatIfFigures,
  change: whatIfChange,
  /** What the what-if assumed (netting of legs into positions, fees not known…). */
  notes: z.array(z.string()),
})
export type WhatIfReport = z.infer<typeof whatIfReport>

/** The what-if book as net positions (the portfolio's current positions with the legs netted in), the rows of a
 * generic positions CSV (venue, account, instrument, quantity, entry_price, note). */
export const whatIfPositions = z.object({
  whatIf: z.string(),
  portfolio: z.string(),
  positions: z.array(
    z.object({ venue: z.string(), account: z.string(), instrument: z.string(), quantity: z.string(), entryPrice: z.string(), note: z.string() }),
  ),
  /** Legs netted into positions, positions closed by a leg (left out), realized P&L. */
  notes: z.array(z.string()),
})
export type WhatIfPositions = z.infer<typeof whatIfPositions>

/**
 * VaR and ES of the what-if book before and after its legs (docs/whatif.md): the VaR request's method, window,
 * horizon, confidence and Monte Carlo paths and seed, minus the portfolio (the what-if's) and the grouping.
 */
export const getWhatIfVarRequest = varRequest.omit({ portfolio: true, by: true }).extend({ name: whatIfName })
export type GetWhatIfVarRequest = z.input<typeof getWhatIfVarRequest>

/** One side's VaR and ES: positive USD losses over the horizon at the confidence. */
export const whatIfVarSide = z.object({
  var: z.number(),
  es: z.number(),
  /** USD, the side's value now. */
  valueUsd: z.number(),
  /** Lines revalued. */
  positions: z.number().int(),
})

export const whatIfVarResult = z.object({
  whatIf: whatIfSummary,
  valuationTime: z.string().nullable(),
  method: varMethod,
  model: z.string().nullable(),
  confidence: z.number(),
  horizonDays: z.number().int(),
  window: z.object({ first: z.string(), last: z.string(), returns: z.number().int(), gaps: z.array(z.string()) }),
  factors: z.array(varFactor),
  /** Scenarios or paths revalued, the same ones on both sides (0 for parametric). */
  scenarios: z.number().int(),
  seed: z.number().int().nullable(),
  fitted: z.record(z.string(), z.number()).nullable(),
  before: whatIfVarSide,
  after: whatIfVarSide,
  /** after − before: the legs' incremental VaR and ES together, USD (positive = the legs add risk). */
  change: z.object({ var: z.number(), es: z.number() }),
  /**
   * Per leg: its incremental VaR / ES alone (VaR of the book with this leg only − VaR of the book) and its Euler
   * component in the after book (its share of the after VaR / ES); null when the leg could not be valued.
   */
  legs: z.array(
    z.object({
      legId: z.number().int(),
      instrument: z.string(),
      account: z.string(),
      incrementalVar: z.number().nullable(),
      incrementalEs: z.number().nullable(),
      componentVar: z.number().nullable(),
      componentEs: z.number().nullable(),
    }),
  ),
  workers: z.number().int(),
  elapsedMs: z.number(),
  excluded: z.array(z.object({ instrument: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
})
export type WhatIfVarResult = z.infer<typeof whatIfVarResult>

export const whatIfCalls = {
  getWhatIfVar: { input: getWhatIfVarRequest, output: whatIfVarResult },
  listWhatIfs: { input: listWhatIfsRequest, output: z.array(whatIfSummary) },
  getWhatIf: { input: getWhatIfRequest, output: whatIfReport },
  createWhatIf: { input: createWhatIfRequest, output: whatIfSummary },
  addWhatIfLeg: { input: addWhatIfLegRequest, output: whatIfLegResult },
  resizeWhatIfLeg: { input: resizeWhatIfLegRequest, output: whatIfLegResult },
  removeWhatIfLeg: { input: removeWhatIfLegRequest, output: z.object({ whatIf: whatIfSummary, removed: z.number().int() }) },
  deleteWhatIf: { input: deleteWhatIfRequest, output: z.object({ deleted: whatIfSummary }) },
  renameWhatIf: { input: renameWhatIfRequest, output: whatIfSummary },
  duplicateWhatIf: { input: renameWhatIfRequest, output: whatIfSummary },
  getWhatIfPositions: { input: deleteWhatIfRequest, output: whatIfPositions },
} as const
