/**
 * The hedge suggestion as a linear programme (issue 13 item 4): choose quantities of candidate instruments that
 * bring the book's Greeks into target bands at the least trading cost. Pure: the service prices the candidates
 * (one scalar pricer, positionGreeks.ts) and hands the programme to a solver library (HiGHS).
 *
 * Formulation, after Papahristodoulou (2004), "Option strategies with linear programming", EJOR 157:246–256
 * (Greek constraints, a shadow price per constraint) and Horasanlı (2008), "Hedging strategies with linear
 * programming", Applied Mathematics and Computation 199:804–810 (multi-asset delta/gamma/vega neutrality);
 * shared/research/defi-hedging-var-reports.md §6:
 *
 *   variables  b_j ≥ 0, s_j ≥ 0: quantity bought and sold of candidate j (its quantity unit), so the signed
 *              trade is b_j − s_j and its cost is linear in both;
 *   minimise   Σ_j c⁺_j·b_j + c⁻_j·s_j, c = half-spread + fee rate × notional + linearised square-root impact,
 *              USD per unit (the buy and the sell side each at its own entry price);
 *   subject to lower_k − before_k ≤ Σ_j g⁺_kj·b_j + g⁻_kj·s_j ≤ upper_k − before_k  for each target k, where
 *              g⁺ is the greek of one unit bought, g⁻ of one unit sold (signed: g⁻ ≈ −g⁺);
 *              b_j, s_j ≤ cap_j (a share of the daily volume of the liquidity table);
 *              Σ c·(b + s) ≤ max cost (optional); Σ IM per unit·(b + s) ≤ margin budget per account (optional).
 *
 * Impact is the square-root law of liquidityTable.ts (cost Y·σ_d·√(N/V)·N for notional N): convex, so it is
 * linearised as its secant through 0 at a reference size — the size at which the candidate alone would close
 * the widest target gap it can act on (capped) — i.e. the exact impact at that size, an overstatement below
 * it and an understatement above. The rounded legs' impact is reported at their exact size (hedgeService.ts).
 */
import { linearCloseOutCost, optionCloseOutCost, type LiquidityRow } from '../stress/liquidityTable'

/** One target row: a greek of the book (unit in `label`'s greek) and its accepted band. */
export interface HedgeTargetRow {
  /** e.g. `BTC delta`, `BTC vega 7–30d`. */
  label: string
  /** The greek's name in words, for reasons (`delta`, `vega`, `vega 7–30d`…). */
  greekLabel: string
  underlying: string
  before: number
  lower: number
  upper: number
}

/** One side (buy or sell) of a candidate, per unit of its quantity. */
export interface HedgeSide {
  /** Effect of one unit traded on each target row (same order as the targets), signed. */
  greeks: number[]
  /** USD per unit: crossing half the spread. */
  halfSpreadUsd: number
  /** USD per unit: the taker fee (0 when unknown; the service says so). */
  feeUsd: number
  /** USD per unit: linearised square-root impact. */
  impactUsd: number
  /** Largest quantity of this side (units); Infinity when uncapped. */
  cap: number
  /** Initial margin per unit in USD, for the margin budget; null when not linearised. */
  marginUsd: number | null
}

export interface HedgeCandidateColumns {
  /** Instrument label for words (`deribit BTC-PERPETUAL`). */
  label: string
  /** Margin budget key (`venue/account`). */
  account: string
  buy: HedgeSide
  sell: HedgeSide
}

export interface HedgeLimits {
  maxCostUsd?: number
  /** USD the added legs' initial margin may use, per account key. */
  marginBudgetUsd?: ReadonlyMap<string, number>
}

/** What a row or column of the programme stands for, so the solver's answer can be put in words. */
export type HedgeRowRef = { kind: 'target'; target: number } | { kind: 'cost' } | { kind: 'margin'; account: string }
export interface HedgeColumnRef {
  candidate: number
  side: 'buy' | 'sell'
}

/** minimise cᵀx subject to rowLower ≤ Ax ≤ rowUpper, colLower ≤ x ≤ colUpper; A in compressed sparse columns. */
export interface HedgeProgramme {
  numCols: number
  numRows: number
  colCost: Float64Array
  colLower: Float64Array
  colUpper: Float64Array
  rowLower: Float64Array
  rowUpper: Float64Array
  /** CSC: column j's entries are starts[j]…starts[j+1]−1 of indices (rows) and values. */
  starts: Int32Array
  indices: Int32Array
  values: Float64Array
  rows: HedgeRowRef[]
  cols: HedgeColumnRef[]
}

/** Coefficients smaller than this (in a row's unit per unit traded) are structural zeros. */
export const ZERO_GREEK = 1e-12

/** Cost of one unit of a side, USD. */
export const sideCost = (s: HedgeSide): number => s.halfSpreadUsd + s.feeUsd + s.impactUsd

/** How far a target's current value lies outside its band (0 inside), in the greek's unit, signed toward the band. */
export function targetGap(t: Pick<HedgeTargetRow, 'before' | 'lower' | 'upper'>): number {
  if (t.before < t.lower) return t.lower - t.before
  if (t.before > t.upper) return t.upper - t.before
  return 0
}

/**
 * The reference size (units) at which a side's impact is linearised: the quantity that alone would close the
 * widest gap it moves toward its band, at most its cap; 0 when it moves none toward its band.
 */
export function referenceUnits(greeks: readonly number[], targets: readonly Pick<HedgeTargetRow, 'before' | 'lower' | 'upper'>[], cap: number): number {
  let units = 0
  targets.forEach((t, k) => {
    const gap = targetGap(t)
    const g = greeks[k] ?? 0
    if (gap === 0 || Math.abs(g) < ZERO_GREEK || Math.sign(g) !== Math.sign(gap)) return
    units = Math.max(units, gap / g)
  })
  return Math.min(units, cap)
}

/**
 * Square-root impact per unit, USD, linearised as the secant at `refUnits` (module comment): futures,
 * perpetuals and spot on their notional, options on their delta-equivalent notional (liquidityTable.ts).
 * @param notionalUsdPerUnit USD notional of one unit (futures: face or coin × mark; options: coin × index)
 * @param deltaNotionalUsdPerUnit options: |delta per unit| × index, USD
 */
export function linearisedImpactPerUnit(
  kind: 'linear' | 'option',
  refUnits: number,
  notionalUsdPerUnit: number,
  deltaNotionalUsdPerUnit: number,
  row: LiquidityRow,
  impactY: number,
): number {
  if (!(refUnits > 0)) return 0
  const cost = kind === 'option' ? optionCloseOutCost(0, refUnits * deltaNotionalUsdPerUnit, row, impactY, 0) : linearCloseOutCost(refUnits * notionalUsdPerUnit, row, impactY, 0)
  return cost / refUnits
}

/**
 * Builds the programme of the module comment.
 * @param targets the target rows (bands in the greek's unit)
 * @param candidates one entry per candidate, its buy and sell sides
 * @throws RangeError for a non-finite coefficient, cost or bound (the service only passes finite figures)
 */
export function buildHedgeProgramme(targets: readonly HedgeTargetRow[], candidates: readonly HedgeCandidateColumns[], limits: HedgeLimits = {}): HedgeProgramme {
  const rows: HedgeRowRef[] = targets.map((_, k) => ({ kind: 'target', target: k }))
  const rowLower: number[] = targets.map((t) => t.lower - t.before)
  const rowUpper: number[] = targets.map((t) => t.upper - t.before)
  let costRow = -1
  if (limits.maxCostUsd !== undefined) {
    costRow = rows.length
    rows.push({ kind: 'cost' })
    rowLower.push(-Infinity)
    rowUpper.push(limits.maxCostUsd)
  }
  const marginRow = new Map<string, number>()
  for (const [account, budget] of limits.marginBudgetUsd ?? []) {
    marginRow.set(account, rows.length)
    rows.push({ kind: 'margin', account })
    rowLower.push(-Infinity)
    rowUpper.push(budget)
  }
  const cols: HedgeColumnRef[] = []
  const colCost: number[] = []
  const colUpper: number[] = []
  const starts: number[] = [0]
  const indices: number[] = []
  const values: number[] = []
  const finite = (x: number, what: string) => {
    if (!Number.isFinite(x)) throw new RangeError(`hedge programme: ${what} is not a finite number (${x})`)
    return x
  }
  candidates.forEach((c, j) => {
    for (const side of ['buy', 'sell'] as const) {
      const s = c[side]
      cols.push({ candidate: j, side })
      const cost = finite(sideCost(s), `the cost of ${side}ing ${c.label}`)
      colCost.push(cost)
      colUpper.push(s.cap)
      targets.forEach((_, k) => {
        const g = finite(s.greeks[k] ?? 0, `${targets[k]!.label} of ${c.label}`)
        if (Math.abs(g) < ZERO_GREEK) return
        indices.push(k)
        values.push(g)
      })
      if (costRow >= 0 && cost !== 0) {
        indices.push(costRow)
        values.push(cost)
      }
      const m = marginRow.get(c.account)
      if (m !== undefined && s.marginUsd !== null && s.marginUsd !== 0) {
        indices.push(m)
        values.push(finite(s.marginUsd, `the margin of ${c.label}`))
      }
      starts.push(indices.length)
    }
  })
  return {
    numCols: cols.length,
    numRows: rows.length,
    colCost: Float64Array.from(colCost),
    colLower: new Float64Array(cols.length),
    colUpper: Float64Array.from(colUpper),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    starts: Int32Array.from(starts),
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
    rows,
    cols,
  }
}
