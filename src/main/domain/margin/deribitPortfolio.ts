/**
 * Deribit portfolio margin (S:PM, one settlement currency): the risk matrix and its add-ons.
 *
 * Structure [P] (https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin and the
 * private/pme/simulate API, https://docs.deribit.com/api-reference/account-management/private-simulate.md):
 *  - standard table: price moves of ±price_range in `buckets_count` steps per side (9 points for 4), each
 *    under 3 volatility scenarios (up, unchanged, down): 27 cells of portfolio P&L, in the currency;
 *  - extended table: price moves −66%, −33%, +50%, +100%, +200%, +300%, +400%, +500% with vol up only;
 *    only a fraction of the simulated P&L counts, and a dampener applies;
 *  - pnl_offset: a gain in a cell counts × pnl_offset (losses in full) [P + D: the API changelog says
 *    `pre_aggregated_risk_vectors` are before pnl_offset and the dampener; both examples match];
 *  - worst_case = the largest loss over the (aggregated) cells;
 *  - risk_matrix_margin = worst_case + roll_shock + delta_shock + correlation_contingency;
 *  - IM = risk_matrix_margin + spot_margin + mmp_margin + open_orders_margin;
 *  - MM = mm_factor × risk_matrix_margin (0.8): MMP and open-order reservations are not in MM.
 *
 * Documented approximations, each labelled in the result (`parts[].basis = 'approximation'`):
 *  [U] vol shock: σ_up = max(σ·(1 + vol_range_up·(30/DTE)^p), min_vol_for_shock_up),
 *      σ_down = max(σ·(1 − vol_range_down·(30/DTE)^p), 0.0001), p = short_term_vega_power if DTE < 30 else
 *      long_term_vega_power (multiplicative reading: oreome's Deribit-like docs, Paradex's public PM); the
 *      legacy page's absolute reading (vol points) is available as `volShockMode: 'absolute'`. DTE is floored
 *      at `minDteDays` (1 day) [U].
 *  [S] extended weights: P&L at move m counts × extended_table_factor × price_range/|m| (Paradex publishes
 *      exactly these weights; a public reimplementation uses them);
 *  [U] dampener: the weighted loss is reduced by up to (|m|/price_range − 1) × extended_dampener (read as USD,
 *      converted at the index), never turned into a gain;
 *  [D] futures in the extended table contribute their P&L at ±price_range (every extended entry of both API
 *      examples equals the ±range value);
 *  [D/U] roll_shock = Σ over expiries of |net delta| × max(e^(annualised_move_risk·T) − 1, min_annualised_move),
 *      perpetuals at the floor: the floor reproduces both API examples; the term above the floor is a
 *      reimplementation's, not confirmed;
 *  [U] delta_shock = min(max(|Δ|·S − threshold, 0)·|Δ|·m_inc, max_delta_shock·|Δ|·S) ÷ S (a reimplementation's;
 *      0 below USD 20M of delta, as in both examples); pass `addOns.deltaShock` to override;
 *  [U] correlation_contingency: not modelled (0) unless passed in `addOns`;
 *  spot_margin, mmp_margin, open_orders_margin are inputs (order-book and spot-balance reservations).
 *
 * Units: everything in the PM currency (coin for BTC/ETH S:PM; USDC for a USDC S:PM). Inverse positions
 * yield coin P&L, linear ones USD P&L; either is converted at the shocked index when it is not in the PM
 * currency. Float64 throughout (pricing-like; Black-76 revaluation of options).
 */
import { black76PriceGreeksUnchecked } from '../pricing/black76'
import type { DeribitPmParams } from './params/deribit'
import { isUsdLike } from './account'
import { DAYS_PER_YEAR } from '../time'

/** A position as the PM model reads it. */
export interface PmPosition {
  name: string
  kind: 'future' | 'perpetual' | 'option'
  settlement: 'inverse' | 'linear'
  /**
   * Futures/perpetuals: signed size in coin (inverse: USD face ÷ mark, Deribit's `size_currency`).
   * Options: signed contracts (coin).
   */
  sizeCoin: number
  /** Futures mark, or the option's forward (`underlying_price`), USD. */
  underlyingPrice: number
  /** Years to expiry (ACT/365); null for perpetuals. */
  T: number | null
  option?: { type: 'call' | 'put'; strike: number; sigma: number; /** venue mark in its price unit */ mark?: number }
}

export interface PmAddOns {
  /** Spot-balance reservation, PM currency. */
  spotMargin?: number
  /** Market-maker-protection reservation (`mmp_margin`). */
  mmpMargin?: number
  /** Open-orders reservation (`open_orders_margin`). */
  openOrdersMargin?: number
  /** Overrides the modelled [U] figures. */
  correlationContingency?: number
  deltaShock?: number
  rollShock?: number
}

export interface PmOptions {
  /** [U] multiplicative (default) or absolute vol shocks. */
  volShockMode?: 'multiplicative' | 'absolute'
  /** DTE floor in days for the vol-shock scaling; default 1. */
  minDteDays?: number
}

export interface PmInput {
  /** PM currency: `BTC`, `ETH`, or `USDC`. */
  currency: string
  /** Index price of the underlying, USD. */
  index: number
  positions: readonly PmPosition[]
  params: DeribitPmParams
  addOns?: PmAddOns
  options?: PmOptions
}

export type PmBasis = 'published' | 'derived' | 'approximation' | 'input'

export interface PmPart {
  name: string
  value: number
  basis: PmBasis
  note: string
}

export interface PmExtendedCell {
  move: number
  weight: number
  /** Unweighted portfolio P&L at the move (vol up). */
  pnl: number
  weighted: number
  /** Loss reduction available from the dampener (PM currency). */
  dampener: number
  /** What the cell contributes to the worst case (≤ 0 means a loss). */
  contribution: number
}

export interface PmResult {
  currency: string
  /** Price shocks of the standard table (fractions), ascending. */
  priceShocks: number[]
  volScenarios: ['up', 'unchanged', 'down']
  /** Portfolio P&L per cell before pnl_offset: [price row][vol column], PM currency. */
  preAggregated: number[][]
  /** After pnl_offset (gains × pnl_offset). */
  aggregated: number[][]
  extended: PmExtendedCell[]
  worstCase: number
  /** Where the worst case occurs. */
  worstCell: { table: 'standard' | 'extended'; priceShock: number; vol: 'up' | 'unchanged' | 'down' } | null
  rollShock: number
  deltaShock: number
  correlationContingency: number
  riskMatrixMargin: number
  spotMargin: number
  mmpMargin: number
  openOrdersMargin: number
  initialMargin: number
  maintenanceMargin: number
  /** Every component with its provenance (published structure, derived, approximation, input). */
  parts: PmPart[]
  /** Approximations that affected this result (empty when only published structure was used). */
  approximations: string[]
}

/** Thrown for inputs outside the model's domain. */
export class PmInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'PmInputError'
  }
}

/** Vol-shock multiplier (30/DTE)^p of the Deribit PM model [U multiplicative reading]. */
export function pmVolShockScale(dteDays: number, params: DeribitPmParams): number {
  const p = dteDays < params.vegaPowerSwitchDays ? params.shortTermVegaPower : params.longTermVegaPower
  return Math.pow(params.vegaPowerSwitchDays / dteDays, p)
}

/**
 * Shocked vols of an option with `dteDays` days to expiry and vol σ (decimal) [U, see module comment].
 * @returns { up, down } as decimals
 */
export function pmShockedVols(
  sigma: number,
  dteDays: number,
  params: DeribitPmParams,
  mode: 'multiplicative' | 'absolute' = 'multiplicative',
): { up: number; down: number } {
  const k = pmVolShockScale(dteDays, params)
  if (mode === 'absolute')
    return {
      up: Math.max(sigma + params.volRangeUp * k, params.minVolForShockUp),
      down: Math.max(sigma - params.volRangeDown * k, 0.0001),
    }
  return {
    up: Math.max(sigma * (1 + params.volRangeUp * k), params.minVolForShockUp),
    down: Math.max(sigma * (1 - params.volRangeDown * k), 0.0001),
  }
}

/** Extended-table weight of a move m: extended_table_factor × price_range ÷ |m| [S]. */
export function pmExtendedWeight(move: number, params: DeribitPmParams): number {
  return (params.extendedTableFactor * params.priceRange) / Math.abs(move)
}

const scratch = new Float64Array(4)

/**
 * The Deribit portfolio margin of one currency's positions.
 * @param input.index USD; positions' sizes in coin (futures: Deribit `size_currency`; options: contracts)
 * @returns every figure in the PM currency (coin for BTC/ETH S:PM): the 9 × 3 matrix before and after
 *   pnl_offset, the extended cells, worst case, add-ons, IM, MM, and each part's provenance
 * @throws PmInputError for a non-positive index, an option without its inputs, or a non-finite size.
 */
export function deribitPortfolioMargin(input: PmInput): PmResult {
  const { currency, index, positions, params } = input
  if (!(index > 0)) throw new PmInputError(`index ${index}: expected > 0`)
  const mode = input.options?.volShockMode ?? 'multiplicative'
  const minDte = input.options?.minDteDays ?? 1
  const addOns = input.addOns ?? {}
  const currencyIsUsd = isUsdLike(currency)
  for (const p of positions) {
    if (!Number.isFinite(p.sizeCoin) || !(p.underlyingPrice > 0)) throw new PmInputError(`${p.name}: bad size or underlying price`)
    if (p.kind === 'option' && (!p.option || !(p.option.strike > 0) || !(p.option.sigma > 0) || p.T === null))
      throw new PmInputError(`${p.name}: an option needs strike, vol > 0 and T`)
  }
  const approximations = new Set<string>()
  const hasOptions = positions.some((p) => p.kind === 'option')

  // P&L of one position, in the PM currency, for price shock s and vol choice.
  const pnl = (p: PmPosition, s: number, vol: 'up' | 'unchanged' | 'down'): number => {
    const S1 = index * (1 + s)
    let native: number // coin for inverse, USD for linear
    if (p.kind === 'option') {
      const o = p.option!
      const F0 = p.underlyingPrice
      const F1 = F0 * (1 + s)
      const dte = Math.max(p.T! * DAYS_PER_YEAR, minDte)
      const shocked = pmShockedVols(o.sigma, dte, params, mode)
      const sigma1 = vol === 'up' ? shocked.up : vol === 'down' ? shocked.down : o.sigma
      black76PriceGreeksUnchecked(o.type === 'call', F0, o.strike, p.T!, o.sigma, 1, scratch, 0)
      const v0 = scratch[0]!
      black76PriceGreeksUnchecked(o.type === 'call', F1, o.strike, p.T!, sigma1, 1, scratch, 0)
      const v1 = scratch[0]!
      native = p.settlement === 'inverse' ? p.sizeCoin * (v1 / F1 - v0 / F0) : p.sizeCoin * (v1 - v0)
    } else {
      native = p.settlement === 'inverse' ? p.sizeCoin * (1 - 1 / (1 + s)) : p.sizeCoin * p.underlyingPrice * s
    }
    if (p.settlement === 'inverse') return currencyIsUsd ? native * S1 : native
    return currencyIsUsd ? native : native / S1
  }
  const portfolioPnl = (s: number, vol: 'up' | 'unchanged' | 'down', futuresShock = s) => {
    let total = 0
    for (const p of positions) total += pnl(p, p.kind === 'option' ? s : futuresShock, vol)
    return total
  }

  const n = params.bucketsPerSide
  const priceShocks: number[] = []
  for (let i = -n; i <= n; i++) priceShocks.push((params.priceRange * i) / n)
  const vols = ['up', 'unchanged', 'down'] as const
  const preAggregated = priceShocks.map((s) => vols.map((v) => portfolioPnl(s, v)))
  const offset = params.pnlOffset[currency] ?? 0
  const aggregated = preAggregated.map((row) => row.map((x) => (x > 0 ? x * offset : x)))

  let worst = 0
  let worstCell: PmResult['worstCell'] = null
  aggregated.forEach((row, i) =>
    row.forEach((x, j) => {
      if (-x > worst) {
        worst = -x
        worstCell = { table: 'standard', priceShock: priceShocks[i]!, vol: vols[j]! }
      }
    }),
  )

  const extended: PmExtendedCell[] = params.extendedMoves.map((m) => {
    const clamp = Math.sign(m) * Math.min(Math.abs(m), params.priceRange)
    const pnlM = portfolioPnl(m, 'up', clamp)
    const weight = pmExtendedWeight(m, params)
    const weighted = weight * pnlM
    const dampUsd = Math.max(Math.abs(m) / params.priceRange - 1, 0) * (params.extendedDampener[currency] ?? 0)
    const dampener = currencyIsUsd ? dampUsd : dampUsd / index
    const contribution = weighted < 0 ? Math.min(weighted + dampener, 0) : weighted
    return { move: m, weight, pnl: pnlM, weighted, dampener, contribution }
  })
  for (const c of extended) {
    if (-c.contribution > worst) {
      worst = -c.contribution
      worstCell = { table: 'extended', priceShock: c.move, vol: 'up' }
    }
  }
  if (hasOptions) {
    approximations.add(`vol shock (${mode} reading of (30/DTE)^p scaling) [U]`)
    if (extended.some((c) => c.weighted < 0)) approximations.add('extended-table weights [S] and dampener units [U]')
  }

  // Roll shock per expiry group (perpetuals at the floor).
  const groups = new Map<string, { T: number | null; delta: number }>()
  for (const p of positions) {
    const key = p.T === null ? 'perpetual' : p.T.toPrecision(12)
    const g = groups.get(key) ?? { T: p.T, delta: 0 }
    g.delta += deltaOf(p)
    groups.set(key, g)
  }
  let rollShockModel = 0
  let rollAboveFloor = false
  for (const g of groups.values()) {
    let move = params.minAnnualisedMove
    if (g.T !== null) {
      const m = Math.expm1(params.annualisedMoveRisk * g.T)
      if (m > move) {
        move = m
        rollAboveFloor = true
      }
    }
    rollShockModel += Math.abs(g.delta) * move * (currencyIsUsd ? index : 1)
  }
  const rollShock = addOns.rollShock ?? rollShockModel
  if (addOns.rollShock === undefined && rollAboveFloor) approximations.add('roll shock above the min_annualised_move floor [U]')

  const totalDelta = [...groups.values()].reduce((a, g) => a + g.delta, 0)
  const deltaUsd = Math.abs(totalDelta) * index
  const deltaShockUsd = Math.min(
    Math.max(deltaUsd - params.deltaTotalLiqShockThreshold, 0) * Math.abs(totalDelta) * params.mInc,
    params.maxDeltaShock * deltaUsd,
  )
  const deltaShockModel = currencyIsUsd ? deltaShockUsd : deltaShockUsd / index
  const deltaShock = addOns.deltaShock ?? deltaShockModel
  if (addOns.deltaShock === undefined && deltaShockModel > 0) approximations.add('delta shock above USD threshold [U]')
  const correlationContingency = addOns.correlationContingency ?? 0

  const riskMatrixMargin = worst + rollShock + deltaShock + correlationContingency
  const spotMargin = addOns.spotMargin ?? 0
  const mmpMargin = addOns.mmpMargin ?? 0
  const openOrdersMargin = addOns.openOrdersMargin ?? 0
  const initialMargin = riskMatrixMargin + spotMargin + mmpMargin + openOrdersMargin
  const maintenanceMargin = params.mmFactor * riskMatrixMargin

  const worstBasis: PmBasis = hasOptions || (worstCell as PmResult['worstCell'])?.table === 'extended' ? 'approximation' : 'published'
  const parts: PmPart[] = [
    { name: 'worst_case', value: worst, basis: worstBasis, note: worstBasis === 'published' ? 'standard table of futures: closed-form P&L' : 'involves [U]/[S] vol-shock or extended-table rules' },
    { name: 'roll_shock', value: rollShock, basis: addOns.rollShock !== undefined ? 'input' : rollAboveFloor ? 'approximation' : 'derived', note: 'Σ |net delta per expiry| × max(e^(amr·T) − 1, min_annualised_move)' },
    { name: 'delta_shock', value: deltaShock, basis: addOns.deltaShock !== undefined ? 'input' : deltaShockModel > 0 ? 'approximation' : 'derived', note: '0 below the USD delta threshold' },
    { name: 'correlation_contingency', value: correlationContingency, basis: addOns.correlationContingency !== undefined ? 'input' : 'approximation', note: 'not modelled: 0 unless given' },
    { name: 'risk_matrix_margin', value: riskMatrixMargin, basis: 'published', note: 'worst_case + roll_shock + delta_shock + correlation_contingency' },
    { name: 'spot_margin', value: spotMargin, basis: 'input', note: 'spot-balance reservation' },
    { name: 'mmp_margin', value: mmpMargin, basis: 'input', note: 'market-maker-protection reservation' },
    { name: 'open_orders_margin', value: openOrdersMargin, basis: 'input', note: 'open-orders reservation' },
    { name: 'initial_margin', value: initialMargin, basis: 'published', note: 'risk_matrix_margin + spot + mmp + open orders' },
    { name: 'maintenance_margin', value: maintenanceMargin, basis: 'published', note: `mm_factor ${params.mmFactor} × risk_matrix_margin` },
  ]
  if (addOns.correlationContingency === undefined) approximations.add('correlation contingency not modelled (0) [U]')

  return {
    currency,
    priceShocks,
    volScenarios: ['up', 'unchanged', 'down'],
    preAggregated,
    aggregated,
    extended,
    worstCase: worst,
    worstCell,
    rollShock,
    deltaShock,
    correlationContingency,
    riskMatrixMargin,
    spotMargin,
    mmpMargin,
    openOrdersMargin,
    initialMargin,
    maintenanceMargin,
    parts,
    approximations: [...approximations],
  }

  function deltaOf(p: PmPosition): number {
    if (p.kind !== 'option') return p.sizeCoin
    const o = p.option!
    black76PriceGreeksUnchecked(o.type === 'call', p.underlyingPrice, o.strike, p.T!, o.sigma, 1, scratch, 0)
    const d = scratch[1]!
    // Inverse options: premium-adjusted coin delta Δ − V/F [U: which delta Deribit's roll shock uses].
    return p.settlement === 'inverse' ? p.sizeCoin * (d - scratch[0]! / p.underlyingPrice) : p.sizeCoin * d
  }
}
