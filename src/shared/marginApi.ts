/**
 * API schemas of margin, liquidation and cascades (issue 6): the account view, margin under a stress set,
 * the liquidation-cascade simulation, per-account margin settings, and the venue parameter tables.
 *
 * Units and number forms:
 *  - money in an account's **margin currency** (BTC for Deribit BTC or Binance COIN-M BTC accounts, USDT/USDC
 *    for linear ones) and money in USD (fields ending in `Usd`) are **decimal strings**, rounded half-up at
 *    the edge (coins 8 places, USD stablecoins 6, USD equivalents 2); `null` = unknown (the reason is in
 *    the account's `unknown` list);
 *  - prices (index, marks, liquidation and bankruptcy prices) are USD numbers at full float64 precision, so
 *    a caller can revalue exactly at a reported liquidation price;
 *  - ratios are decimals (margin ratio 0.25 = 25 %; ≥ 1 = liquidated); `null` margin ratio = infinite
 *    (equity ≤ 0 with a requirement);
 *  - spot shocks relative (−0.3 = −30 %), daily vol a decimal (0.0307 = 3.07 %), log moves natural logs.
 */
import { z } from 'zod'
import { parseCascadePath } from './cascadePath'
import { valuationAsOf } from './valuationAsOf'
import { venueMarginTerms } from './venueMargin'
import { decimalTextProblem, numberIn, RANGES } from './ranges'
import { gridLimitMessage, gridWithinLimit, stressRequestFields } from './stressApi'

/** Margin rules an account can be valued under (src/main/domain/margin/rules.ts). */
export const MARGIN_RULES = ['deribit-standard', 'deribit-portfolio', 'binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid', 'dydx'] as const
export const marginRuleId = z.enum(MARGIN_RULES)
export type MarginRuleId = z.infer<typeof marginRuleId>

const decimalString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "0.5"')
  .superRefine((s, ctx) => {
    const problem = decimalTextProblem(s, RANGES.amount)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })
/** Decimal string in the account's margin currency; null = unknown. */
const money = z.string().nullable()

/** Per-position margin settings, keyed by the position id of the account view (instrument name; hedge mode `NAME:long`). */
export const positionMarginSettings = z
  .object({
    /** Leverage chosen at the venue (IM = notional ÷ leverage at Binance, Bybit, OKX). */
    leverage: numberIn(RANGES.leverage).optional(),
    /** Isolated margin assigned to the position, decimal string in the margin currency; set = isolated mode. */
    isolatedMargin: decimalString.optional(),
  })
  .strict()
export type PositionMarginSettings = z.infer<typeof positionMarginSettings>

/** What a user sets per margin account (venue, account, margin currency). Everything is optional. */
export const marginAccountSettings = z
  .object({
    /** Rule overriding the venue default (e.g. `deribit-portfolio` for a Deribit S:PM account). */
    rule: marginRuleId.optional(),
    /** Leverage of every position without its own. */
    leverage: numberIn(RANGES.leverage).optional(),
    /** Bybit inverse liquidation formula version; default: the dated table `bybit.inverse.formula`. */
    bybitInverseFormula: z.enum(['v2024-entry-mm', 'v2026-mark-mm']).optional(),
    /** OKX: taker fee rate reserved as liquidation fee in the threshold (0.0005 = 0.05 %). */
    takerFeeRate: z.number().min(0).max(0.1).optional(),
    /** Cascade: liquidation fee on the closed notional (decimal). */
    liquidationFeeRate: z.number().min(0).max(0.5).optional(),
    /**
     * Other currencies counted as collateral (cross-collateral: Binance multi-assets mode, Bybit UTA, OKX
     * multi-currency), each with its haircut (0.05 = valued at 95 %). Default: the margin currency only.
     */
    collateral: z.record(z.string(), z.object({ haircut: z.number().min(0).max(1).default(0) }).strict()).optional(),
    positions: z.record(z.string(), positionMarginSettings).default({}),
  })
  .strict()
export type MarginAccountSettings = z.infer<typeof marginAccountSettings>
export type MarginAccountSettingsInput = z.input<typeof marginAccountSettings>

/** One margin account: a venue account's positions settled in one currency. */
export const marginAccountRef = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  /** Margin (settlement) currency: `BTC`, `USDT`, … */
  marginCurrency: z.string().min(1),
})

export const marginSettingsEntry = marginAccountRef.extend({
  /** `venue/account/CURRENCY`. */
  key: z.string(),
  /** The rule the venue and settlement give by default (null: no model for the venue). */
  defaultRule: marginRuleId.nullable(),
  settings: marginAccountSettings,
  /** Ids of the account's positions (keys of `settings.positions`). */
  positionIds: z.array(z.string()),
})
export type MarginSettingsEntry = z.infer<typeof marginSettingsEntry>

export const marginSettingsList = z.object({ portfolio: z.string(), accounts: z.array(marginSettingsEntry) })
export type MarginSettingsList = z.infer<typeof marginSettingsList>

export const saveMarginSettingsRequest = marginAccountRef.extend({
  portfolio: z.string().min(1).optional(),
  settings: marginAccountSettings,
})
export type SaveMarginSettingsRequest = z.input<typeof saveMarginSettingsRequest>

/** How the daily σ of distances to liquidation is chosen: `auto` = stored daily price history when there is
 * a series of ≥ 60 closes for the underlying, else the liquidity table. */
export const SIGMA_SOURCES = ['auto', 'liquidity', 'history'] as const

export const marginRequest = z.object({
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  /** Which stored market data to value against, and the date whose venue tables apply (valuationAsOf.ts);
   * default: the book's own time, with the tables of its valuation date. */
  asOf: valuationAsOf.optional(),
  /** A user's venue-rules document `{"format": "riskdesk-margin-params/1", "tables": {…}}` (docs/margin.md). */
  venueRules: z.unknown().optional(),
  sigma: z.enum(SIGMA_SOURCES).default('auto'),
})
export type MarginRequest = z.input<typeof marginRequest>
export type MarginRequestParsed = z.infer<typeof marginRequest>

/** A dated table entry a figure was computed from. */
export const usedTable = z.object({
  id: z.string(),
  asOf: z.string(),
  dateBasis: z.string(),
  sources: z.array(z.string()),
  note: z.string().nullable(),
  /** The as-of date precedes every entry: the earliest entry was used (the parameters are younger). */
  beforeFirstEntry: z.boolean(),
})

/** A price where a threshold is reached, with the distance from the current index. */
export const thresholdPoint = z.object({
  /** Index price of the underlying there, USD. */
  indexPrice: z.number(),
  /** Price ÷ current price. */
  factor: z.number(),
  /** Each position's own price there (futures mark / option forward), USD, by position id. */
  prices: z.record(z.string(), z.number()),
  /** (price − current) ÷ current, percent. */
  distancePercent: z.number(),
  /** |ln(price ÷ current)| ÷ daily σ. */
  dailySigmas: z.number(),
})
export type ThresholdPoint = z.infer<typeof thresholdPoint>

/** Liquidation and bankruptcy prices along one underlying, nearest below and above the current price. */
export const liquidationLevels = z.object({
  underlying: z.string(),
  /** `cross`, or the id of an isolated position. */
  scope: z.string(),
  indexPrice: z.number(),
  /** Daily σ used for the distances, and where it comes from. */
  dailyVol: z.number(),
  dailyVolSource: z.string(),
  alreadyBreached: z.boolean(),
  below: thresholdPoint.nullable(),
  above: thresholdPoint.nullable(),
  bankruptcyBelow: thresholdPoint.nullable(),
  bankruptcyAbove: thresholdPoint.nullable(),
  /** Why a side could not be solved, if so. */
  note: z.string().nullable(),
})
export type LiquidationLevels = z.infer<typeof liquidationLevels>

export const marginPositionRow = z.object({
  id: z.string(),
  instrument: z.string(),
  underlying: z.string(),
  kind: z.string(),
  settlement: z.string(),
  /** Decimal string in `quantityUnit` (coin, or USD face for inverse futures). */
  quantity: z.string(),
  quantityUnit: z.string(),
  entryPrice: z.string(),
  /** Mark in the instrument's price unit (coin for inverse options). */
  mark: z.number(),
  isolated: z.boolean(),
  leverage: z.number().nullable(),
  /** Where the leverage comes from: position setting, account setting, the venue's imported snapshot, or none. */
  leverageSource: z.enum(['position', 'account', 'venue file', 'none']),
  /** Unrealized P&L in the settlement currency (decimal string) and that currency. */
  unrealizedPnl: money,
  settlementCurrency: z.string(),
  /** What the position adds to equity, margin currency. */
  equityContribution: money,
  notionalUsd: money,
  /** Signed delta, coin. */
  deltaCoin: z.number(),
  /** Null under a portfolio rule (the requirement is the account's) or when unknown. */
  initialMargin: money,
  maintenanceMargin: money,
  /** Isolated positions: isolated margin + own P&L, and (MM + fee) ÷ that. */
  isolatedEquity: money,
  isolatedMarginRatio: z.number().nullable(),
  liquidation: liquidationLevels.nullable(),
  /** The venue's own terms and figures from the imported snapshot (liquidation price, IM, MM), to compare with ours. */
  venue: venueMarginTerms.nullable(),
})
export type MarginPositionRow = z.infer<typeof marginPositionRow>

export const collateralRow = z.object({
  currency: z.string(),
  /** Imported balance, decimal string in `currency`. */
  amount: z.string(),
  /** Counted in the account's equity. */
  counted: z.boolean(),
  haircut: z.number(),
  /** Value in the margin currency (after haircut), null when not counted. */
  value: money,
  /** USD per unit of `currency` at the current index. */
  usdPrice: z.number().nullable(),
  note: z.string().nullable(),
})

export const marginAccountReport = marginAccountRef.extend({
  key: z.string(),
  rule: z.object({ id: z.string(), label: z.string(), source: z.enum(['venue default', 'settings']) }).nullable(),
  tables: z.array(usedTable),
  /** ok: every figure known; incomplete: some are unknown (see `unknown`); error: the account could not be valued. */
  status: z.enum(['ok', 'incomplete', 'error']),
  error: z.string().nullable(),
  /** USD per unit of margin currency at the current index (1 for stablecoins). */
  marginCurrencyUsd: z.number().nullable(),
  collateral: z.array(collateralRow),
  /** Collateral counted, margin currency (isolated margins taken out). */
  collateralValue: money,
  equity: money,
  equityUsd: money,
  initialMargin: money,
  maintenanceMargin: money,
  /** Liquidation fee reserved in the threshold (OKX); 0 elsewhere. */
  liquidationFee: money,
  marginRatio: z.number().nullable(),
  availableBalance: money,
  liquidated: z.boolean().nullable(),
  /** Σ isolated equity, margin currency. */
  isolatedEquity: money,
  /** Figures that are unknown, each with its reason and what to import or set. */
  unknown: z.array(z.string()),
  positions: z.array(marginPositionRow),
  /** Cross liquidation and bankruptcy prices per underlying of the cross positions. */
  liquidation: z.array(liquidationLevels),
  /**
   * Exchange-neutral SPAN-style figure: the largest weighted equity loss over the stress engine's 16 SPAN
   * scenarios (price 0, ±1/3, ±2/3, ±1 of a ±15 % scan range with vol ±20 points; ±2× range at 35 %), margin
   * currency; no spread credits or short-option minimum. Null when the account cannot be valued.
   */
  spanScanRisk: money,
  /** The rule's documented approximations. */
  approximations: z.array(z.string()),
  /** Assumptions made for this account. */
  assumptions: z.array(z.string()),
  /** Portfolio rules: their own breakdown (Deribit PM risk matrix). */
  portfolioDetail: z.unknown().optional(),
})
export type MarginAccountReport = z.infer<typeof marginAccountReport>

/**
 * Riskdesk's liquidation price for one position, to set beside the venue's: on the side the position loses
 * toward (a long's below, a short's above), the position's own levels when isolated, else the account's for
 * its underlying. Index price, USD; null when there is none on that side or it is unknown.
 */
export function liquidationPriceFor(a: MarginAccountReport, p: MarginPositionRow): number | null {
  const levels = p.liquidation ?? a.liquidation.find((l) => l.underlying === p.underlying) ?? null
  if (levels === null) return null
  return (p.quantity.startsWith('-') ? levels.above : levels.below)?.indexPrice ?? null
}

export const marginReport = z.object({
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  /** Date the venue parameter tables were selected for, and how it was chosen. */
  asOf: z.string(),
  asOfBasis: z.enum(['requested', 'valuation date', 'today']),
  venueRules: z.enum(['built-in', 'built-in + user file']),
  accounts: z.array(marginAccountReport),
  /** Positions left out of margin (not valued, spot), with the reason. */
  excluded: z.array(z.object({ venue: z.string(), account: z.string(), instrument: z.string(), reason: z.string() })),
  assumptions: z.array(z.string()),
})
export type MarginReport = z.infer<typeof marginReport>

/** Margin under a stress set: the stress request's set fields plus the margin request's. */
export const marginStressRequest = stressRequestFields
  .pick({ set: true, spot: true, vol: true, horizonDays: true, horizons: true, volRule: true })
  .extend(marginRequest.shape)
  .refine(gridWithinLimit, { message: gridLimitMessage, path: ['spot'] })
export type MarginStressRequest = z.input<typeof marginStressRequest>
export type MarginStressRequestParsed = z.infer<typeof marginStressRequest>

export const marginStressCell = z.object({
  equity: z.string(),
  equityUsd: z.string(),
  maintenanceMargin: z.string(),
  initialMargin: money,
  marginRatio: z.number().nullable(),
  liquidated: z.boolean(),
  /** Beyond equity: what an insurance fund or auto-deleveraging would absorb. */
  shortfall: z.string(),
  shortfallUsd: z.string(),
  /** Isolated positions liquidated in the scenario. */
  isolatedLiquidated: z.array(z.string()),
  /**
   * The price this account's venue marks and liquidates on in the scenario: `market` (its mark follows its own
   * index, which moves with the market) or `oracle` (an oracle-marked venue under the scenario's oracle lag).
   */
  priceBasis: z.enum(['market', 'oracle']),
  /** Relative move per coin of that price (−0.1 = −10 %); the scenario's market move when `priceBasis` is `market`. */
  priceMoves: z.record(z.string(), z.number()),
})
export type MarginStressCell = z.infer<typeof marginStressCell>

export const marginStressResult = z.object({
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  asOf: z.string(),
  set: z.object({ name: z.string(), kind: z.string(), description: z.string() }),
  /** Columns: one per margin account. */
  accounts: z.array(
    z.object({ key: z.string(), venue: z.string(), account: z.string(), marginCurrency: z.string(), rule: z.string().nullable(), note: z.string().nullable() }),
  ),
  /** Rows: one per scenario. */
  scenarios: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      /** Relative spot move per underlying and collateral coin. */
      spotShocks: z.record(z.string(), z.number()),
      /** The vol shock as the scenario states it, e.g. `+20 pts`, `+50 % term-scaled`. */
      volShock: z.string(),
      days: z.number(),
      weight: z.number(),
      /** Why the scenario's cells are empty, if so. */
      notValued: z.string().nullable(),
    }),
  ),
  /** Grid sets: rows = spot shocks, columns = vol shocks; scenario index = row × columns + column. */
  grid: z.object({ spotShocks: z.array(z.number()), volShocks: z.array(z.number()) }).nullable(),
  /** The accounts at the current market (zero shock), one per account. */
  current: z.array(marginStressCell.nullable()),
  /** cells[scenario][account]; null when the account or scenario cannot be valued. */
  cells: z.array(z.array(marginStressCell.nullable())),
  assumptions: z.array(z.string()),
})
export type MarginStressResult = z.infer<typeof marginStressResult>

/**
 * A cascade request. Every default of the cascade lives here, once (`.default` below, read back as
 * `cascadeDefaults`), and the CLI, the web host and the Margin view all use it:
 *  - underlying `BTC`;
 *  - path `crash:-40%` walked in `steps` = 20 steps (a path spec that names its own steps keeps them);
 *  - the leveraged market ON: a cascade is the market's forced selling, and leaving out the documented
 *    default market (`cascade.market.<UNDERLYING>`) would report the user's own impact only, the shallower
 *    answer; an underlying without that table fails with a clear message until it is added or `market` is off;
 *  - impact Y, daily σ and daily volume from the tables (stress settings' liquidity table; the market table's
 *    volume), unless overridden here.
 */
export const cascadeRequest = z.object({
  portfolio: z.string().min(1).optional(),
  /** Underlying whose price path is walked. */
  underlying: z.string().min(1).default('BTC'),
  /**
   * `crash:MOVE%[:STEPS]` (a fall evenly in log price, e.g. `crash:-40%`), `gap:MOVE%` (one jump with no
   * trading in between: a gap step), `historical:NAME[:STEPS]` (a historical episode of the stress engine:
   * its move of the underlying as a crash path), or `history:FROM:TO` (stored daily closes of the underlying
   * between two dates, rescaled to today's price).
   */
  path: z
    .string()
    .min(1)
    .superRefine((spec, ctx) => {
      // The syntax is refused here (invalid input, 4xx on the web host); data the path names is the service's.
      const r = parseCascadePath(spec)
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message })
    })
    .default('crash:-40%'),
  /** Steps of a `crash:` or `historical:` path that names none (integer 1…10,000). */
  steps: z.number().int().min(1).max(10_000).default(20),
  /** Include the documented default leveraged market (`cascade.market.<UNDERLYING>` table). */
  market: z.boolean().default(true),
  asOf: valuationAsOf.optional(),
  venueRules: z.unknown().optional(),
  /** Impact overrides: Y, daily σ (decimal), daily volume in coin. */
  impactY: numberIn(RANGES.impactY).optional(),
  dailyVol: numberIn(RANGES.dailyVol).optional(),
  dailyVolumeCoin: numberIn(RANGES.dailyVolumeCoin).optional(),
})
/** The cascade defaults (underlying, path, steps, market), read from the schema: the one place they live. */
export const cascadeDefaults = cascadeRequest.parse({})
export type CascadeRequest = z.input<typeof cascadeRequest>
export type CascadeRequestParsed = z.infer<typeof cascadeRequest>

export const cascadeResult = z.object({
  portfolio: z.string(),
  underlying: z.string(),
  asOf: z.string(),
  /** Index price the path starts from, USD. */
  startPrice: z.number(),
  path: z.object({ spec: z.string(), kind: z.enum(['crash', 'gap', 'historical', 'history']), description: z.string(), source: z.string(), steps: z.number().int() }),
  market: z.object({ included: z.boolean(), participants: z.number().int(), table: usedTable.nullable() }),
  impact: z.object({
    Y: z.number(),
    dailyVol: z.number(),
    dailyVolumeCoin: z.number(),
    sources: z.object({ Y: z.string(), dailyVol: z.string(), dailyVolumeCoin: z.string() }),
  }),
  steps: z.array(
    z.object({
      step: z.number().int(),
      exogenousPrice: z.number(),
      /** The move into this step is a gap (a jump with no trading in between). */
      gap: z.boolean(),
      priceBefore: z.number(),
      priceAfter: z.number(),
      liquidated: z.array(z.string()),
      /** Net coin sold in the step (buys negative) and gross USD notional closed, decimal strings. */
      liquidatedCoin: z.string(),
      liquidatedNotionalUsd: z.string(),
      /** Log-price impact of the step (positive pushes the price down) and cumulative. */
      impactLog: z.number(),
      cumulativeImpactLog: z.number(),
    }),
  ),
  exogenousFinalPrice: z.number(),
  finalPrice: z.number(),
  /** Σ impacts = ln(exogenous final ÷ final); and final ÷ exogenous final − 1. */
  extraMoveLog: z.number(),
  extraMoveRelative: z.number(),
  totalLiquidatedCoin: z.string(),
  totalLiquidatedNotionalUsd: z.string(),
  totalShortfallUsd: z.string(),
  outcomes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['account', 'market']),
      /** Margin account key for the user's own. */
      account: z.string().nullable(),
      liquidated: z.boolean(),
      step: z.number().int().nullable(),
      /** Price where the breach was found and the close-out executed (the same), USD. */
      triggerPrice: z.number().nullable(),
      executionPrice: z.number().nullable(),
      /**
       * Why it was closed out there: `threshold` (its margin ratio reached 100 % inside a continuous step,
       * solved; executed at that price, never below bankruptcy), `gap` (a gap step jumped through it),
       * `impact` (other close-outs' impact pushed the price through it), `start` (in breach at the start).
       */
      cause: z.enum(['start', 'threshold', 'gap', 'impact']).nullable(),
      /** The cause as a sentence with the prices involved. */
      explanation: z.string().nullable(),
      /** Price where its margin ratio reached 100 %, USD (for gap and impact: inside the jump); null if unknown. */
      thresholdPrice: z.number().nullable(),
      /** Executed where its equity was negative (below its bankruptcy price). */
      belowBankruptcy: z.boolean(),
      closedCoin: z.string(),
      equityAtTriggerUsd: z.string().nullable(),
      equityAfterUsd: z.string().nullable(),
      shortfallUsd: z.string(),
      /** Equity at the path's end, USD, for participants never liquidated (null for the market). */
      equityEndUsd: z.string().nullable(),
    }),
  ),
  /** The user's accounts left out of the cascade, and why. */
  skipped: z.array(z.object({ key: z.string(), reason: z.string() })),
  assumptions: z.array(z.string()),
})
export type CascadeResult = z.infer<typeof cascadeResult>

export const marginParamsDocument = z.object({ format: z.string(), tables: z.record(z.string(), z.array(z.unknown())) })

/** The margin calls of the API contract (merged into `api` in api.ts). */
export const marginCalls = {
  getMargin: { input: marginRequest, output: marginReport },
  getMarginStress: { input: marginStressRequest, output: marginStressResult },
  runCascade: { input: cascadeRequest, output: cascadeResult },
  listMarginSettings: { input: z.object({ portfolio: z.string().min(1).optional() }), output: marginSettingsList },
  saveMarginSettings: { input: saveMarginSettingsRequest, output: marginSettingsEntry },
  getMarginParams: { input: z.object({}), output: marginParamsDocument },
} as const
