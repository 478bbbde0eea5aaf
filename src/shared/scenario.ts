/**
 * The scenario model: a named set of shocks applied together (DESIGN.md §3). Serialisable (stored in SQLite,
 * sent over IPC/HTTP, saved as JSON by users) and validated with these zod schemas wherever it is received.
 *
 * Units: spot moves are relative (−0.3 = −30%); vol shocks are vol points (absolute mode, 10 = +10 points)
 * or fractions of the vol (relative mode, 0.5 = +50% of the current vol); the vol floor is in vol points;
 * time shifts in calendar days; the basis shock in annualised decimal (0.05 = +5%/year); funding as a
 * decimal rate per 8 hours (0.0001 = 0.01%/8h); an oracle lag in seconds, a mark-vs-oracle gap in percent; a
 * stablecoin's value in USD per coin (0.97 = a 3 % de-peg).
 */
import { z } from 'zod'
import { isStablecoin, USD_STABLECOINS } from './currencies'
import { numberIn, RANGES } from './ranges'

/** Vol-shock size scaling with days to expiry: size × (refDays / DTE)^power (Deribit/OKX PM style). */
export const termScalingSchema = z.object({
  /** Reference days to expiry at which the size applies unscaled (Deribit PM: 30). */
  refDays: z.number().positive().max(3650),
  /** Power for options with DTE < splitDays (Deribit PM short_term_vega_power: 0.30). */
  powerShort: z.number().min(0).max(3),
  /** Power for options with DTE ≥ splitDays (Deribit PM long_term_vega_power: 0.13). */
  powerLong: z.number().min(0).max(3),
  /** DTE that separates short from long term, days (Deribit PM: 30). */
  splitDays: z.number().positive().max(3650),
})
export type TermScaling = z.infer<typeof termScalingSchema>

export const volShockSchema = z.object({
  /** Absolute: vol points; relative: fraction of the current vol. Either way within ±1000 (the mode's check below narrows relative). */
  size: numberIn(RANGES.volShockPoints).default(0),
  /** Sizes per underlying, overriding `size`. */
  byUnderlying: z.record(z.string(), numberIn(RANGES.volShockPoints)).default({}),
  mode: z.enum(['absolute', 'relative']).default('absolute'),
  /** Null: parallel (the same shock for every expiry). */
  termScaling: termScalingSchema.nullable().default(null),
  /** Minimum vol after the shock, vol points. */
  floor: numberIn(RANGES.volPoints).default(1),
  /**
   * How vols move with spot: `sticky-strike` keeps each strike's vol; `sticky-moneyness` (sticky-delta)
   * keeps the smile in K/F, so a strike's vol becomes the pre-move vol at its new moneyness.
   */
  rule: z.enum(['sticky-strike', 'sticky-moneyness']).default('sticky-strike'),
}).superRefine((v, ctx) => {
  // A relative shock is a fraction of the vol: −1 (vol to 0) … +10 (eleven times the vol).
  if (v.mode !== 'relative') return
  for (const [path, x] of [[['size'], v.size], ...Object.entries(v.byUnderlying).map(([k, y]) => [['byUnderlying', k], y])] as Array<[string[], number]>) {
    const r = RANGES.volShockRelative
    if (x < r.min || x > r.max) ctx.addIssue({ code: 'custom', path, message: `expected ${r.what} from ${r.min} to ${r.max} ${r.unit}` })
  }
})
export type VolShock = z.infer<typeof volShockSchema>

/**
 * Oracle lag (docs/margin.md "Oracle lag"): venues that mark and liquidate on an oracle-based price (the dated
 * table of domain/margin/oracleVenues.ts: Hyperliquid, dYdX v4) see the market through an oracle that is
 * behind it. Path rule: the scenario's market move runs linearly over `moveSeconds` and ends at the scenario's
 * instant; the oracle shows the market price of `lagSeconds` earlier, so it has made the fraction
 * max(0, 1 − lagSeconds ÷ moveSeconds) of the move; the venue's mark is that oracle price × (1 + markGapPercent
 * ÷ 100). Venues that mark on their own index (Deribit, Binance, Bybit, OKX) follow the market. The book's USD
 * value (stress P&L) always uses the market move; margin and liquidation use the price each venue uses.
 */
export const oracleLagSchema = z.object({
  /** Seconds the oracle is behind the market (Hyperliquid publishes about every 3 s). */
  lagSeconds: numberIn(RANGES.oracleLagSeconds),
  /** Seconds the market move takes (linear path ending at the scenario's instant); default 60. */
  moveSeconds: numberIn(RANGES.moveSeconds).default(60),
  /** The oracle-marked venue's mark against its oracle, percent (+1: the mark 1 % above the oracle). */
  markGapPercent: numberIn(RANGES.markGapPercent).default(0),
  /** Venues the lag applies to (e.g. `["hyperliquid"]`); null = every venue of the oracle-venue table. */
  venues: z.array(z.string().min(1).max(40)).max(20).nullable().default(null),
})
export type OracleLag = z.infer<typeof oracleLagSchema>

export const scenarioSchema = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(2000).default(''),
  /** Where the numbers come from (historical episodes: the data source). */
  source: z.string().max(2000).default(''),
  spot: z
    .object({
      /** Underlying whose move `shock` is; others follow by the beta table unless given in byUnderlying. */
      driver: z.string().min(1).default('BTC'),
      /** Relative move of the driver, > −1 (−100 %) and ≤ 10 (+1000 %). */
      shock: numberIn(RANGES.spotShock).default(0),
      /** Explicit relative moves per underlying, overriding the beta rule. */
      byUnderlying: z.record(z.string(), numberIn(RANGES.spotShock)).default({}),
    })
    .default({ driver: 'BTC', shock: 0, byUnderlying: {} }),
  vol: volShockSchema.default({ size: 0, byUnderlying: {}, mode: 'absolute', termScaling: null, floor: 1, rule: 'sticky-strike' }),
  /** Calendar days that pass (theta decay, expiries, funding). */
  timeShiftDays: numberIn(RANGES.horizonDays).default(0),
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
  /** Oracle lag of oracle-marked venues (see oracleLagSchema); null = every venue's mark follows the market. */
  oracle: oracleLagSchema.nullable().default(null),
  /**
   * USD value per coin of USD stablecoins under the scenario, e.g. `{ USDC: 0.97 }` (a 3 % de-peg): balances in
   * them and accounts margined in them are valued at it. Unnamed stablecoins stay at par. The same move may not
   * also be given as `spot.byUnderlying`.
   */
  stablecoins: z.record(z.string(), numberIn(RANGES.stablecoinUsd)).default({}),
}).superRefine((s, ctx) => {
  for (const c of Object.keys(s.stablecoins))
    if (c !== c.toUpperCase() || !isStablecoin(c))
      ctx.addIssue({ code: 'custom', path: ['stablecoins', c], message: `expected a USD stablecoin in capitals (${[...USD_STABLECOINS].join(', ')}): USD itself never moves, and coins move by spot` })
    else if (s.spot.byUnderlying[c] !== undefined)
      ctx.addIssue({ code: 'custom', path: ['stablecoins', c], message: `${c} is moved twice: by spot.byUnderlying and by stablecoins; give its value once (stablecoins: USD per coin)` })
})
export type Scenario = z.infer<typeof scenarioSchema>
export type ScenarioInput = z.input<typeof scenarioSchema>

/** A named list of scenarios; grids also carry their axes so views can draw a matrix and a surface. */
export const scenarioSetSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['grid', 'span16', 'pm', 'historical', 'custom', 'horizons', 'oracle', 'depeg']),
  description: z.string().default(''),
  scenarios: z.array(scenarioSchema).min(1).max(20_000),
  /** For grids: scenario index = row × volShocks.length + column. Spot shocks relative, vol shocks in points. */
  grid: z.object({ spotShocks: z.array(numberIn(RANGES.spotShock)), volShocks: z.array(numberIn(RANGES.volShockPoints)) }).nullable().default(null),
  /** For horizon curves: index = horizon × spotShocks.length + spot; a null horizon = at each option's expiry. */
  curves: z.object({ spotShocks: z.array(numberIn(RANGES.spotShock)), horizons: z.array(numberIn(RANGES.horizonDays).nullable()) }).nullable().default(null),
})
export type ScenarioSet = z.infer<typeof scenarioSetSchema>
