/**
 * API schemas of the stress engine: runs, progress jobs, drill-down, saved scenario sets, settings.
 * Units: spot shocks relative (−0.3 = −30 %), vol shocks in vol points, P&L in USD unless named coin.
 */
import { z } from 'zod'
import { MAX_GRID_CELLS, numberIn, RANGES, type NumberRange } from './ranges'
import { POSITION_ORIGINS } from './positionOrigin'
import { scenarioSchema, scenarioSetSchema } from './scenario'
import { valuationAsOf } from './valuationAsOf'

/** An evenly spaced range: from, to (inclusive) and step, all in the range's unit (finite numbers). */
export const range = z
  .object({ from: z.number(), to: z.number(), step: z.number().positive() })
  .refine((r) => r.to >= r.from, { message: 'range: "to" must be ≥ "from"' })
  .refine((r) => (r.to - r.from) / r.step <= 10_000, { message: 'range: more than 10,000 steps' })
export type Range = z.infer<typeof range>

/** A range whose ends lie inside the field's documented range (shared/ranges.ts). */
function rangeIn(r: NumberRange) {
  return z
    .object({ from: numberIn(r), to: numberIn(r), step: z.number().positive().finite() })
    .refine((x) => x.to >= x.from, { message: 'range: "to" must be ≥ "from"' })
    .refine((x) => (x.to - x.from) / x.step <= 10_000, { message: 'range: more than 10,000 steps' })
}
/** Spot shocks in percent: each end > −100 % and ≤ +1000 %. */
export const spotRange = rangeIn(RANGES.spotShockPercent)
/** Vol shocks in vol points: each end within ±1000 points. */
export const volRange = rangeIn(RANGES.volShockPoints)

/** Scenarios a range holds (both ends included). */
export const rangeSteps = (r: Range): number => Math.floor((r.to - r.from) / r.step + 1e-9) + 1

/** Default stress grid (issue "Foundation"): spot −50 %…+50 % step 5 %, vol −30…+50 points step 10. */
export const DEFAULT_SPOT_RANGE: Range = { from: -50, to: 50, step: 5 }
export const DEFAULT_VOL_RANGE: Range = { from: -30, to: 50, step: 10 }
/** Vol floor applied after a vol shock in grid scenarios, vol points. */
export const VOL_FLOOR_POINTS = 1

/** The built-in scenario sets, with the label every view shows for them. */
export const builtinSet = z.enum(['grid', 'span16', 'pm', 'historical', 'horizons', 'oracle-lag', 'stablecoin-depeg'])
export type BuiltinSet = z.infer<typeof builtinSet>
export const BUILTIN_SETS = builtinSet.options
export const BUILTIN_SET_LABELS: Record<BuiltinSet, string> = {
  grid: 'Spot × vol grid',
  span16: 'SPAN 16 scenarios',
  pm: 'Portfolio-margin matrix',
  historical: 'Historical episodes',
  horizons: 'P&L vs spot by horizon',
  'oracle-lag': 'Oracle lag (±10 %, oracle behind)',
  'stablecoin-depeg': 'Stablecoin de-peg (USDC, USDT)',
}
export const AGGREGATIONS = ['position', 'instrument', 'underlying', 'expiry', 'account', 'venue'] as const
export type Aggregation = (typeof AGGREGATIONS)[number]

/** True when a grid of these ranges (defaults where omitted) holds at most MAX_GRID_CELLS scenarios. */
export function gridWithinLimit(r: { spot?: Range; vol?: Range }): boolean {
  return rangeSteps(r.spot ?? DEFAULT_SPOT_RANGE) * rangeSteps(r.vol ?? DEFAULT_VOL_RANGE) <= MAX_GRID_CELLS
}
export const gridLimitMessage = `a spot × vol grid holds at most ${MAX_GRID_CELLS.toLocaleString('en-US')} scenarios (spot steps × vol steps): use coarser steps`

/** The stress request's fields (without the grid-size check, so other requests can pick from them). */
export const stressRequestFields = z.object({
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  /** Which stored market data to value against (valuationAsOf.ts): omitted = the book's own time. */
  asOf: valuationAsOf.optional(),
  /** A built-in set (grid, span16, pm, historical, horizons, oracle-lag, stablecoin-depeg) or the name of a saved scenario set. */
  set: z.string().min(1).default('grid'),
  /** Grid and horizons: relative spot shocks in percent, e.g. {from: −50, to: 50, step: 5}. */
  spot: spotRange.optional(),
  /** Grid: absolute vol shocks in vol points, e.g. {from: −30, to: 50, step: 10}. */
  vol: volRange.optional(),
  /** Days that pass in every scenario (added to the scenario's own time shift); horizons set: ignored. */
  horizonDays: numberIn(RANGES.horizonDays).optional(),
  /** Horizons set: days per curve, null = at each option's expiry; default [0, 1, 7, null]. */
  horizons: z.array(numberIn(RANGES.horizonDays).nullable()).min(1).max(12).optional(),
  /** Vol rule for every scenario, overriding the set's own. */
  volRule: z.enum(['sticky-strike', 'sticky-moneyness']).optional(),
  /** Subtract close-out (liquidity-gap) costs. */
  liquidity: z.boolean().default(false),
  /** Aggregation of the per-group P&L series. */
  by: z.enum(AGGREGATIONS).default('underlying'),
  /** Worker threads for this run; default: the process's pool. */
  workers: z.number().int().min(1).max(64).optional(),
})
export const stressRequest = stressRequestFields.refine(gridWithinLimit, { message: gridLimitMessage, path: ['spot'] })
export type StressRequest = z.input<typeof stressRequest>
export type StressRequestParsed = z.infer<typeof stressRequest>

const scenarioRow = z.object({
  name: z.string(),
  description: z.string(),
  source: z.string(),
  weight: z.number(),
  /** Net P&L of the whole book (derivatives + balances; after liquidity cost when on), USD: the change of its
   * USD value. */
  pnlUsd: z.number(),
  /** Net P&L of the derivatives only, USD. */
  derivativesPnlUsd: z.number(),
  /** P&L per underlying in its own coin: the change of the value of the lines on it measured in that coin
   * (inverse contracts: their coin P&L; a coin balance: 0). */
  pnlCoin: z.record(z.string(), z.number()),
  /** The whole book's P&L measured in each coin of the book: its value after the scenario in that coin less
   * its value now in that coin (what a coin-denominated fund gains or loses), per coin. */
  bookPnlInCoin: z.record(z.string(), z.number()),
  /** Delta-gamma-vega-theta estimate, USD. */
  taylorUsd: z.number(),
  /** Close-out cost included in pnlUsd, USD (0 when liquidity is off). */
  liquidityUsd: z.number(),
  /** Relative spot move per underlying of the book. */
  spotShocks: z.record(z.string(), z.number()),
})

/** The market snapshot of a valuation (api.ts `valuationMarket`; declared here to keep api.ts → stressApi.ts one way). */
export const valuationMarket = z.object({
  rule: z.enum(['book', 'requested', 'latest']),
  cutoff: z.string(),
  snapshots: z.array(
    z.object({ id: z.number().int(), venue: z.string(), asOf: z.string(), file: z.string(), format: z.string(), scope: z.enum(['shared', 'portfolio']), quotesUsed: z.number().int() }),
  ),
  indices: z.array(z.object({ underlying: z.string(), price: z.number(), time: z.string().nullable(), source: z.string() })),
  notes: z.array(z.string()),
})

export const stressResult = z.object({
  runId: z.number().int(),
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  set: z.object({ name: z.string(), kind: z.string(), description: z.string() }),
  liquidity: z.boolean(),
  by: z.enum(AGGREGATIONS),
  scenarios: z.array(scenarioRow),
  /** The scenario with the largest weighted loss of the whole book and the line contributing most to it. */
  worst: z
    .object({
      index: z.number().int(),
      name: z.string(),
      pnlUsd: z.number(),
      weightedPnlUsd: z.number(),
      driver: z.object({ instrument: z.string(), account: z.string(), pnlUsd: z.number() }).nullable(),
    })
    .nullable(),
  /** The scenario with the largest weighted loss of the derivatives alone (null with no derivative). */
  worstDerivatives: z.object({ index: z.number().int(), name: z.string(), pnlUsd: z.number(), weightedPnlUsd: z.number() }).nullable(),
  /** P&L per group of the requested aggregation, one value per scenario. */
  groups: z.array(z.object({ key: z.string(), pnlUsd: z.array(z.number()) })),
  /** Grid sets: rows = spot shocks (relative), columns = vol shocks (points); pnlUsd[row][column]. */
  spotShocks: z.array(z.number()).nullable(),
  volShocks: z.array(z.number()).nullable(),
  pnlUsd: z.array(z.array(z.number())).nullable(),
  /** Grid sets: derivatives-only USD P&L, [row][column]. */
  derivativesPnlUsd: z.array(z.array(z.number())).nullable(),
  /** Grid sets: coin P&L per underlying, [row][column]. */
  pnlCoin: z.record(z.string(), z.array(z.array(z.number()))).nullable(),
  /** Horizons set: pnlUsd[horizon][spot]. */
  curves: z
    .object({
      spotShocks: z.array(z.number()),
      horizons: z.array(z.number().nullable()),
      pnlUsd: z.array(z.array(z.number())),
      derivativesPnlUsd: z.array(z.array(z.number())),
    })
    .nullable(),
  /** Lines revalued: positions and balances (`balances` of them). */
  positions: z.number().int(),
  balances: z.number().int(),
  /** The book's value now (equity), USD: whole book and derivatives only. */
  valueUsd: z.number(),
  derivativesValueUsd: z.number(),
  /** The market snapshot the run valued against (as the positions report gives it). */
  market: valuationMarket,
  scenarioCount: z.number().int(),
  workers: z.number().int(),
  elapsedMs: z.number(),
  /** Positions left out of the run and why. */
  excluded: z.array(z.object({ instrument: z.string(), reason: z.string() })),
  /** Positions whose P&L was not finite in some scenarios (left out of those totals). */
  badPositions: z.array(z.object({ instrument: z.string(), account: z.string(), scenarios: z.number().int() })),
  /** Assumptions the run had to make (missing betas, liquidity fallback rows, no smile…). */
  assumptions: z.array(z.string()),
})
export type StressResult = z.infer<typeof stressResult>

export const stressJobStatus = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Scenarios done and in all. */
  done: z.number().int(),
  total: z.number().int(),
  result: stressResult.nullable(),
  error: z.string().nullable(),
})
export type StressJobStatus = z.infer<typeof stressJobStatus>

export const drillDownRequest = z.object({ request: stressRequest, scenario: z.number().int().min(0) })
export const drillDownResult = z.object({
  scenario: z.string(),
  positions: z.array(
    z.object({
      instrument: z.string(),
      account: z.string(),
      venue: z.string(),
      underlying: z.string(),
      origin: z.enum(POSITION_ORIGINS),
      /** Net P&L, USD. */
      pnlUsd: z.number(),
      taylorUsd: z.number(),
      liquidityUsd: z.number(),
    }),
  ),
})
export type DrillDownResult = z.infer<typeof drillDownResult>

export const savedSet = scenarioSetSchema.pick({ name: true, description: true, scenarios: true })
export const savedSetSummary = z.object({ name: z.string(), description: z.string(), scenarios: z.number().int(), updatedAt: z.string() })
export const saveScenarioSetRequest = z.object({ set: savedSet })
export const scenarioSetRef = z.object({ name: z.string().min(1) })
export const singleScenario = scenarioSchema

/** User-editable stress settings: the beta table and the liquidity table. */
export const stressSettings = z.object({
  betas: z.record(z.string(), z.record(z.string(), numberIn(RANGES.beta))),
  liquidity: z.object({
    asOf: z.string(),
    impactY: numberIn(RANGES.impactY),
    rows: z.record(
      z.string(),
      z.object({
        halfSpread: numberIn(RANGES.halfSpread),
        optionHalfSpreadVolPoints: numberIn(RANGES.volPoints),
        futuresVolumeUsd: numberIn(RANGES.volumeUsd),
        optionsVolumeUsd: numberIn(RANGES.volumeUsd),
        dailyVol: numberIn(RANGES.dailyVol),
      }),
    ),
  }),
})
export type StressSettings = z.infer<typeof stressSettings>
