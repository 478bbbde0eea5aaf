/**
 * The scenario model: a named set of shocks applied together (DESIGN.md §3). Serialisable (stored in SQLite,
 * sent over IPC/HTTP, saved as JSON by users) and validated with these zod schemas wherever it is received.
 *
 * Units: spot moves are relative (−0.3 = −30%); vol shocks are vol points (absolute mode, 10 = +10 points)
 * or fractions of the vol (relative mode, 0.5 = +50% of the current vol); the vol floor is in vol points;
 * time shifts in calendar days; the basis shock in annualised decimal (0.05 = +5%/year); funding as a
 * decimal rate per 8 hours (0.0001 = 0.01%/8h).
 */
import { z } from 'zod'

/** Vol-shock size scaling with days to expiry: size × (refDays / DTE)^power (Deribit/OKX PM style). */
export const termScalingSchema = z.object({
  /** Reference days to expiry at which the size applies unscaled (Deribit PM: 30). */
  refDays: z.number().positive(),
  /** Power for options with DTE < splitDays (Deribit PM short_term_vega_power: 0.30). */
  powerShort: z.number().min(0).max(3),
  /** Power for options with DTE ≥ splitDays (Deribit PM long_term_vega_power: 0.13). */
  powerLong: z.number().min(0).max(3),
  /** DTE that separates short from long term, days (Deribit PM: 30). */
  splitDays: z.number().positive(),
})
export type TermScaling = z.infer<typeof termScalingSchema>

export const volShockSchema = z.object({
  /** Absolute: vol points; relative: fraction of the current vol. */
  size: z.number().default(0),
  /** Sizes per underlying, overriding `size`. */
  byUnderlying: z.record(z.string(), z.number()).default({}),
  mode: z.enum(['absolute', 'relative']).default('absolute'),
  /** Null: parallel (the same shock for every expiry). */
  termScaling: termScalingSchema.nullable().default(null),
  /** Minimum vol after the shock, vol points. */
  floor: z.number().min(0).default(1),
  /**
   * How vols move with spot: `sticky-strike` keeps each strike's vol; `sticky-moneyness` (sticky-delta)
   * keeps the smile in K/F, so a strike's vol becomes the pre-move vol at its new moneyness.
   */
  rule: z.enum(['sticky-strike', 'sticky-moneyness']).default('sticky-strike'),
})
export type VolShock = z.infer<typeof volShockSchema>

export const scenarioSchema = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(2000).default(''),
  /** Where the numbers come from (historical episodes: the data source). */
  source: z.string().max(2000).default(''),
  spot: z
    .object({
      /** Underlying whose move `shock` is; others follow by the beta table unless given in byUnderlying. */
      driver: z.string().min(1).default('BTC'),
      /** Relative move of the driver, > −1. */
      shock: z.number().gt(-1).default(0),
      /** Explicit relative moves per underlying, overriding the beta rule. */
      byUnderlying: z.record(z.string(), z.number().gt(-1)).default({}),
    })
    .default({ driver: 'BTC', shock: 0, byUnderlying: {} }),
  vol: volShockSchema.default({ size: 0, byUnderlying: {}, mode: 'absolute', termScaling: null, floor: 1, rule: 'sticky-strike' }),
  /** Calendar days that pass (theta decay, expiries, funding). */
  timeShiftDays: z.number().min(0).max(3650).default(0),
  /** Value every option at its own expiry (intrinsic value at the shocked forward) instead of shifting time. */
  atExpiry: z.boolean().default(false),
  /** Futures basis shock, annualised decimal: a dated future's price moves by the factor exp(b·T). */
  basisShock: z.number().gt(-1).lt(1).default(0),
  /** Perpetual funding rate per 8 h accrued over the time shift (positive: longs pay); null = none. */
  fundingRate8h: z.number().gt(-0.1).lt(0.1).nullable().default(null),
  /** Bid/ask spread multiple during the scenario (1 = normal), used when the run includes liquidity costs. */
  spreadWidening: z.number().min(0).max(100).default(1),
  /** The move is a gap: the price jumps to the shocked level with no fills in between (for liquidation). */
  gap: z.boolean().default(true),
  /** Weight of the scenario's loss in a scenario set's requirement (SPAN extreme moves: 0.35). */
  weight: z.number().min(0).max(1).default(1),
})
export type Scenario = z.infer<typeof scenarioSchema>
export type ScenarioInput = z.input<typeof scenarioSchema>

/** A named list of scenarios; grids also carry their axes so views can draw a matrix and a surface. */
export const scenarioSetSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['grid', 'span16', 'pm', 'historical', 'custom', 'horizons']),
  description: z.string().default(''),
  scenarios: z.array(scenarioSchema).min(1).max(20_000),
  /** For grids: scenario index = row × volShocks.length + column. Spot shocks relative, vol shocks in points. */
  grid: z.object({ spotShocks: z.array(z.number()), volShocks: z.array(z.number()) }).nullable().default(null),
  /** For horizon curves: index = horizon × spotShocks.length + spot; a null horizon = at each option's expiry. */
  curves: z.object({ spotShocks: z.array(z.number()), horizons: z.array(z.number().nullable()) }).nullable().default(null),
})
export type ScenarioSet = z.infer<typeof scenarioSetSchema>
