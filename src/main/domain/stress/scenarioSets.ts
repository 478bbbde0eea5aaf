/**
 * Scenario sets: the spot × vol grid, a SPAN-style 16-scenario risk array, a Deribit-portfolio-margin-style
 * matrix, the historical episodes, P&L-vs-spot curves at several horizons, the oracle-lag set and the
 * stablecoin de-peg set.
 */
import type { Range } from '../../../shared/api'
import { oracleLagSchema, scenarioSchema, type Scenario, type ScenarioInput, type ScenarioSet } from '../../../shared/scenario'
import { HISTORICAL_EPISODES } from './historicalEpisodes'
import { rangePoints } from './scenarioGrid'

/** Every field at its schema default: a zero shock. */
export const NEUTRAL_SCENARIO: Scenario = scenarioSchema.parse({ name: 'no shock' })

/** A complete scenario from a partial one, with the schema's defaults (no validation: callers build it). */
export function makeScenario(partial: ScenarioInput & { name: string }): Scenario {
  return {
    ...NEUTRAL_SCENARIO,
    ...(partial as Partial<Scenario>),
    spot: { ...NEUTRAL_SCENARIO.spot, ...partial.spot },
    vol: { ...NEUTRAL_SCENARIO.vol, ...partial.vol },
    oracle: partial.oracle ? oracleLagSchema.parse(partial.oracle) : null,
  } as Scenario
}

const pct = (x: number) => `${x > 0 ? '+' : ''}${Math.round(x * 1e6) / 1e4}%`
const pts = (x: number) => `${x > 0 ? '+' : ''}${x}`

/**
 * Spot × vol grid: every spot shock (percent range) with every vol shock (vol points range), absolute
 * parallel vol shocks, sticky-strike unless `base` says otherwise. Scenario index = row × columns + column.
 * @param base fields shared by every cell (driver, time shift, vol rule, floor…)
 * @throws RangeError for an invalid range
 */
export function gridSet(spotPercent: Range, volPoints: Range, base: Partial<ScenarioInput> = {}): ScenarioSet {
  const spotShocks = rangePoints(spotPercent).map((p) => Math.round(p * 1e10) / 1e12)
  const volShocks = rangePoints(volPoints)
  const scenarios = spotShocks.flatMap((s) =>
    volShocks.map((v) =>
      makeScenario({
        ...base,
        name: `spot ${pct(s)}, vol ${pts(v)}`,
        spot: { ...base.spot, shock: s },
        vol: { ...base.vol, size: v, mode: 'absolute' },
      }),
    ),
  )
  return { name: 'grid', kind: 'grid', description: 'spot × vol grid', scenarios, grid: { spotShocks, volShocks }, curves: null }
}

export interface Span16Params {
  /** Price scan range as a fraction of price (0.15 = ±15 %). */
  priceScanRange: number
  /** Vol scan range, vol points. */
  volScanRange: number
  /** Extreme move as a multiple of the price scan range (CME: 2). */
  extremeMultiple: number
  /** Weight of the two extreme scenarios (CME: 0.35). */
  extremeWeight: number
}

/** Exchange-neutral defaults: ±15 % price, ±20 vol points (a user choice, not an exchange's), CME's 2× / 35 %. */
export const DEFAULT_SPAN16: Span16Params = { priceScanRange: 0.15, volScanRange: 20, extremeMultiple: 2, extremeWeight: 0.35 }

/**
 * The 16 SPAN scenarios (CME, "Components of SPAN"; research/margin-and-stress.md §4.1): price 0, ±1/3, ±2/3,
 * ±3/3 of the scan range, each with vol up and down, then ±extremeMultiple × range with vol unchanged at
 * weight extremeWeight. Scanning risk = the largest weighted loss.
 */
export function span16Set(p: Span16Params = DEFAULT_SPAN16): ScenarioSet {
  const moves = [0, 1 / 3, -1 / 3, 2 / 3, -2 / 3, 1, -1]
  const scenarios: Scenario[] = []
  moves.forEach((m, i) =>
    [1, -1].forEach((v, j) =>
      scenarios.push(
        makeScenario({
          name: `${i * 2 + j + 1}: price ${m === 0 ? '0' : `${m > 0 ? '+' : '−'}${Math.round(Math.abs(m) * 3)}/3`}, vol ${v > 0 ? 'up' : 'down'}`,
          spot: { shock: m * p.priceScanRange },
          vol: { size: v * p.volScanRange, mode: 'absolute' },
        }),
      ),
    ),
  )
  for (const [k, sign] of [[15, 1], [16, -1]] as const)
    scenarios.push(
      makeScenario({
        name: `${k}: extreme ${sign > 0 ? 'up' : 'down'} ${p.extremeMultiple}× range`,
        spot: { shock: sign * p.extremeMultiple * p.priceScanRange },
        weight: p.extremeWeight,
      }),
    )
  return {
    name: 'span16',
    kind: 'span16',
    description: `SPAN-style risk array: price scan ±${p.priceScanRange * 100} %, vol scan ±${p.volScanRange} points`,
    scenarios,
    grid: null,
    curves: null,
  }
}

/**
 * What the PM-style matrix reads of a venue's portfolio-margin parameters (Deribit's names; the margin
 * domain's dated table `DERIBIT_PM_PARAMS` supplies them, so both use one table).
 */
export interface PmMatrixParams {
  /** ±price range of the standard table (0.16 = ±16 %). */
  priceRange: number
  /** Buckets per side of 0. */
  bucketsPerSide: number
  /** Relative vol shocks up and down (0.5, 0.25). */
  volRangeUp: number
  volRangeDown: number
  /** Floor of the shocked-up vol, decimal. */
  minVolForShockUp: number
  /** Term-scaling powers below and from `vegaPowerSwitchDays` days to expiry. */
  shortTermVegaPower: number
  longTermVegaPower: number
  vegaPowerSwitchDays: number
  /** Extended-table factor and moves (fractions). */
  extendedTableFactor: number
  extendedMoves: number[]
}

/**
 * Deribit-PM-style matrix: price buckets × vol up / flat / down (term-scaled, relative), plus extended moves
 * weighted extendedTableFactor × priceRange / |move| — Paradex's published weights, as Deribit describes the
 * extended table only as "a fraction"; the extended dampener is not applied (its units are unconfirmed).
 */
export function pmSet(p: PmMatrixParams): ScenarioSet {
  const termScaling = { refDays: 30, powerShort: p.shortTermVegaPower, powerLong: p.longTermVegaPower, splitDays: p.vegaPowerSwitchDays }
  const up = { size: p.volRangeUp, mode: 'relative' as const, termScaling, floor: p.minVolForShockUp * 100 }
  const down = { size: -p.volRangeDown, mode: 'relative' as const, termScaling, floor: 0 }
  const scenarios: Scenario[] = []
  for (let b = -p.bucketsPerSide; b <= p.bucketsPerSide; b++) {
    const s = (b / p.bucketsPerSide) * p.priceRange
    scenarios.push(makeScenario({ name: `price ${pct(s)}, vol up`, spot: { shock: s }, vol: up }))
    scenarios.push(makeScenario({ name: `price ${pct(s)}, vol flat`, spot: { shock: s } }))
    scenarios.push(makeScenario({ name: `price ${pct(s)}, vol down`, spot: { shock: s }, vol: down }))
  }
  for (const m of p.extendedMoves)
    scenarios.push(
      makeScenario({
        name: `extended ${pct(m)}, vol up`,
        spot: { shock: m },
        vol: up,
        weight: Math.min(1, (p.extendedTableFactor * p.priceRange) / Math.abs(m)),
      }),
    )
  return {
    name: 'pm',
    kind: 'pm',
    description: `portfolio-margin-style matrix: ±${p.priceRange * 100} % in ${2 * p.bucketsPerSide + 1} points × vol up/flat/down, and extended moves`,
    scenarios,
    grid: null,
    curves: null,
  }
}

/** The historical episodes (historicalEpisodes.ts) as one set. */
export function historicalSet(): ScenarioSet {
  return {
    name: 'historical',
    kind: 'historical',
    description: 'historical crypto stress episodes (gap moves, spreads ×3)',
    scenarios: HISTORICAL_EPISODES.map((e) => makeScenario(e as ScenarioInput & { name: string })),
    grid: null,
    curves: null,
  }
}

/** A horizon for P&L-vs-spot curves: days that pass, or null for "every option at its own expiry". */
export type Horizon = number | null

export const DEFAULT_HORIZONS: Horizon[] = [0, 1, 7, null]

/** P&L-vs-spot curves: every spot shock at every horizon, vols unchanged. Index = horizon × spots + spot. */
export function horizonsSet(spotPercent: Range, horizons: Horizon[] = DEFAULT_HORIZONS): ScenarioSet {
  const spotShocks = rangePoints(spotPercent).map((p) => Math.round(p * 1e10) / 1e12)
  const scenarios = horizons.flatMap((h) =>
    spotShocks.map((s) =>
      makeScenario({
        name: `spot ${pct(s)}, ${h === null ? 'at expiry' : `+${h} d`}`,
        spot: { shock: s },
        timeShiftDays: h ?? 0,
        atExpiry: h === null,
      }),
    ),
  )
  return { name: 'horizons', kind: 'horizons', description: 'P&L vs spot at several horizons', scenarios, grid: null, curves: { spotShocks, horizons } }
}

/** The oracle-lag set's move: ±10 % of the BTC driver (others by the beta table) within this many seconds. */
export const ORACLE_LAG_MOVE = 0.1
export const ORACLE_LAG_MOVE_SECONDS = 60
/** Oracle lags of the set, seconds: 0 (in step, the reference), 3 (Hyperliquid's publication interval), 30 and 300 (a stalled feed). */
export const ORACLE_LAGS_SECONDS = [0, 3, 30, 300] as const

const lagText = (s: number) => (s === 0 ? 'in step' : s >= 60 ? `${s / 60} min behind` : `${s} s behind`)

/**
 * "oracle lag": a −10 % and a +10 % move of BTC (others by the beta table) within 60 s, each with the oracle of
 * the oracle-marked venues (domain/margin/oracleVenues.ts: Hyperliquid, dYdX v4) in step, 3 s, 30 s and 5 min
 * behind, mark = oracle. By the path rule (scenario.ts) the oracle has made 100 %, 95 %, 50 % and 0 % of the
 * move; venues marking on their own index (Deribit, Binance, Bybit, OKX) see the whole move. The stress P&L
 * (the book's USD value) is the same in every row of one direction: it uses the market move.
 */
export function oracleLagSet(): ScenarioSet {
  const source =
    'Oracle published about every 3 s and mark rules: Hyperliquid docs hypercore/oracle, trading/robust-price-indices (research note defi-hedging-var-reports.md §1b); ' +
    'dYdX v4 margins at the oracle price (docs.dydx.exchange/concepts-trading/margin). The 10 % move within 60 s and the 30 s / 5 min lags are stress choices, not observed values.'
  const scenarios: Scenario[] = []
  for (const sign of [-1, 1])
    for (const lag of ORACLE_LAGS_SECONDS)
      scenarios.push(
        makeScenario({
          name: `BTC ${pct(sign * ORACLE_LAG_MOVE)} in ${ORACLE_LAG_MOVE_SECONDS} s, oracle ${lagText(lag)}`,
          description: `Market ${pct(sign * ORACLE_LAG_MOVE)} within ${ORACLE_LAG_MOVE_SECONDS} s; oracle-marked venues margin on an oracle ${lagText(lag)} (it has made ${Math.round(Math.max(0, 1 - lag / ORACLE_LAG_MOVE_SECONDS) * 100)} % of the move), mark = oracle; other venues on the market.`,
          source,
          spot: { driver: 'BTC', shock: sign * ORACLE_LAG_MOVE },
          oracle: { lagSeconds: lag, moveSeconds: ORACLE_LAG_MOVE_SECONDS, markGapPercent: 0, venues: null },
        }),
      )
  return {
    name: 'oracle-lag',
    kind: 'oracle',
    description: `±${ORACLE_LAG_MOVE * 100} % within ${ORACLE_LAG_MOVE_SECONDS} s with the oracle of oracle-marked venues (Hyperliquid, dYdX) in step, 3 s, 30 s and 5 min behind`,
    scenarios,
    grid: null,
    curves: null,
  }
}

/** De-peg levels of the stablecoin set, USD per coin (issue 16 item 4). */
export const DEPEG_LEVELS = [0.97, 0.9] as const

/**
 * "stablecoin de-peg": USDC and USDT each to 0.97 and to 0.90 USD, no price move. Balances in the stablecoin and
 * accounts margined in it lose value in USD; requirements stay in USD, so their margin ratio rises.
 */
export function stablecoinDepegSet(): ScenarioSet {
  const source =
    'Levels 0.97 and 0.90 are stress choices (issue 16 item 4). Precedent: USDC traded near 0.88 USD on 11 March 2023 after Circle disclosed 3.3 bn USD of its reserves at the failed Silicon Valley Bank (Circle statement, 10–11 March 2023).'
  const scenarios = (['USDC', 'USDT'] as const).flatMap((coin) =>
    DEPEG_LEVELS.map((usd) =>
      makeScenario({
        name: `${coin} at ${usd.toFixed(2)} USD`,
        description: `${coin} de-pegs to ${usd.toFixed(2)} USD (${pct(usd - 1)}); no other price moves.`,
        source,
        stablecoins: { [coin]: usd },
      }),
    ),
  )
  return { name: 'stablecoin-depeg', kind: 'depeg', description: 'USDC and USDT each at 0.97 and 0.90 USD, no price move', scenarios, grid: null, curves: null }
}
