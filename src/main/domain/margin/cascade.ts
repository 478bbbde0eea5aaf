/**
 * Liquidation cascades: an exogenous price path, participants that are closed out when they breach
 * maintenance margin, and market impact of those close-outs that pushes the price further.
 *
 * Impact model: the square-root law (research note §5.2; Donier & Bonart on Bitcoin metaorders): a
 * metaorder of Q coin against daily volume V moves the price by Y·σ_daily·√(Q/V) (relative). The cascade's
 * forced flow is treated as ONE metaorder built up over the episode: after a cumulative net flow X (coin
 * sold, buys negative) the impact is
 *   I(X) = sign(X) · Y · σ_daily · √(|X| / V)   in log price, permanent,
 *   price_k = exogenous_k · exp(−I(X_k)).
 * Each liquidation adds I(X after) − I(X before); the extra move caused by liquidations is therefore
 * exactly I(X_final) = the sum of the impacts applied (telescoping), and it does not depend on how the
 * close-outs are batched or ordered within a step. (Applying √ impact per order instead would make the
 * result depend on batching: merging two orders lowers √a + √b to √(a+b), so "more leverage" could then
 * *reduce* the move when it merges two liquidation waves — the cumulative form rules that out.)
 *
 * Walk (per step k of the path): at the current price, every participant whose margin ratio is ≥ 100%
 * (maintenance + fee ≥ equity) is closed out entirely; their flow is added, the price recomputed, and the
 * check repeated until no participant breaches (the within-step cascade), then the path moves on. A
 * participant is closed out at the price after its own round's impact (conservative for the participant);
 * its equity there, less the liquidation fee, is its outcome, and a negative one is the shortfall an
 * insurance fund or ADL absorbs. Vol is not shocked along the path; liquidation is full, not incremental
 * (Deribit and Binance liquidate incrementally — an approximation, stated).
 *
 * Monotonicity (tested): when every participant's breach is monotone in price (a breach at P implies one at
 * any lower P: true for long futures, linear or inverse) and all forced flows are sales, then adding a
 * participant, adding leverage (less collateral or a larger position) or a larger impact coefficient can
 * only lower every step's price: by induction over steps and rounds, the set liquidated so far and the
 * cumulative flow can only grow, so I(X) grows and the price falls. With no participant ever breaching
 * (e.g. unleveraged longs), the price path equals the exogenous path exactly. With mixed flows (short
 * squeezes on a rising path) the walk is still exact and accounted, but no monotonicity is claimed.
 *
 * Float64; prices USD, quantities coin.
 */
import type { ImpactParams, LeveragedMarketParams } from './params/cascade'
import { revalueAccount, type MarginAccount, type MarginRule } from './account'

/** Something that can be liquidated along the path. */
export interface CascadeParticipant {
  id: string
  /** `account` for the user's own, `market` for the aggregate open interest. */
  kind: 'account' | 'market'
  /**
   * Coin flow forced by the close-out at price P: positive = sold (long positions), negative = bought
   * (shorts). A number, or a function of the price (an inverse position of USD face Q closes Q ÷ P coin).
   */
  closeOutCoin: number | ((price: number) => number)
  /** Equity and maintenance threshold (MM + reserved fee), USD, at underlying price P (USD). */
  stateAt: (price: number) => { equityUsd: number; maintenanceUsd: number }
  /** Liquidation fee on the closed notional (decimal); default 0. */
  liquidationFeeRate?: number
}

export interface CascadeInput {
  /** Exogenous prices (USD), path[0] the starting price; every price > 0. */
  path: readonly number[]
  participants: readonly CascadeParticipant[]
  impact: ImpactParams
}

export interface CascadeStep {
  step: number
  exogenousPrice: number
  /** Price at the start of the step (exogenous × earlier impact). */
  priceBefore: number
  /** Price after this step's liquidations. */
  priceAfter: number
  /** Ids closed out during the step, in order. */
  liquidated: string[]
  /** Net coin flow of the step (sold positive) and its gross USD notional at execution. */
  liquidatedCoin: number
  liquidatedNotionalUsd: number
  /** Log-price impact applied in this step (positive pushes the price down). */
  impactLog: number
  /** Cumulative impact after the step, log price: ln(exogenous ÷ price). */
  cumulativeImpactLog: number
}

export interface CascadeOutcome {
  id: string
  kind: 'account' | 'market'
  liquidated: boolean
  step: number | null
  /** Price at which the breach was found, and at which the close-out executed (USD). */
  triggerPrice: number | null
  executionPrice: number | null
  /** Signed coin closed. */
  closedCoin: number
  /** Equity at the trigger price and after the close-out (fee deducted), USD. */
  equityAtTriggerUsd: number | null
  equityAfterUsd: number | null
  /** max(−equity after, 0), USD. */
  shortfallUsd: number
}

export interface CascadeResult {
  steps: CascadeStep[]
  exogenousFinalPrice: number
  finalPrice: number
  /** Σ of the impacts applied = ln(exogenous final ÷ final) (log price; positive = further down). */
  extraMoveLog: number
  /** The same as a relative price change: final ÷ exogenous final − 1 (negative = further down). */
  extraMoveRelative: number
  /** Net coin sold and gross USD notional closed over the whole path. */
  totalLiquidatedCoin: number
  totalLiquidatedNotionalUsd: number
  totalShortfallUsd: number
  outcomes: CascadeOutcome[]
}

/** Thrown for an empty or non-positive path, or bad impact parameters. */
export class CascadeInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'CascadeInputError'
  }
}

/** Log-price impact of a cumulative net flow X (coin sold) : sign(X)·Y·σ·√(|X|/V). */
export function cumulativeImpactLog(netCoinSold: number, impact: ImpactParams): number {
  if (netCoinSold === 0) return 0
  return Math.sign(netCoinSold) * impact.Y * impact.dailyVol * Math.sqrt(Math.abs(netCoinSold) / impact.dailyVolumeCoin)
}

/**
 * Relative impact of one metaorder by the square-root law, Y·σ_daily·√(Q/V) (research note §5.2: σ 3%,
 * Q/V 1%, Y 1 → 0.30%).
 * @throws CascadeInputError for negative inputs or V ≤ 0.
 */
export function squareRootImpact(quantity: number, dailyVolume: number, dailyVol: number, Y = 1): number {
  if (!(quantity >= 0) || !(dailyVolume > 0) || !(dailyVol >= 0) || !(Y >= 0)) throw new CascadeInputError('square-root impact needs Q ≥ 0, V > 0, σ ≥ 0, Y ≥ 0')
  return Y * dailyVol * Math.sqrt(quantity / dailyVolume)
}

/**
 * Walks the path (module comment) and reports each step and each participant's outcome.
 * @throws CascadeInputError for an empty path, a non-positive price, V ≤ 0 or negative Y/σ, or duplicate ids.
 */
export function simulateCascade(input: CascadeInput): CascadeResult {
  const { path, participants, impact } = input
  if (path.length === 0) throw new CascadeInputError('empty price path')
  if (path.some((p) => !(p > 0) || !Number.isFinite(p))) throw new CascadeInputError('every path price must be finite and > 0')
  if (!(impact.dailyVolumeCoin > 0) || !(impact.Y >= 0) || !(impact.dailyVol >= 0)) throw new CascadeInputError('impact needs V > 0, Y ≥ 0, σ ≥ 0')
  const ids = new Set<string>()
  for (const p of participants) {
    if (ids.has(p.id)) throw new CascadeInputError(`duplicate participant id ${p.id}`)
    ids.add(p.id)
  }
  const outcomes = new Map<string, CascadeOutcome>(
    participants.map((p) => [
      p.id,
      { id: p.id, kind: p.kind, liquidated: false, step: null, triggerPrice: null, executionPrice: null, closedCoin: 0, equityAtTriggerUsd: null, equityAfterUsd: null, shortfallUsd: 0 },
    ]),
  )
  let alive = [...participants]
  let X = 0
  let totalNotional = 0
  const steps: CascadeStep[] = []
  const priceOf = (exo: number) => exo * Math.exp(-cumulativeImpactLog(X, impact))
  for (let k = 0; k < path.length; k++) {
    const exo = path[k]!
    const logBefore = cumulativeImpactLog(X, impact)
    const priceBefore = priceOf(exo)
    const liquidated: string[] = []
    let stepCoin = 0
    let stepNotional = 0
    for (;;) {
      const P = priceOf(exo)
      const breached: { p: CascadeParticipant; equity: number }[] = []
      for (const p of alive) {
        const s = p.stateAt(P)
        if (s.maintenanceUsd >= s.equityUsd) breached.push({ p, equity: s.equityUsd })
      }
      if (breached.length === 0) break
      const flows = breached.map(({ p }) => (typeof p.closeOutCoin === 'function' ? p.closeOutCoin(P) : p.closeOutCoin))
      for (const f of flows) X += f
      const exec = priceOf(exo)
      breached.forEach(({ p, equity }, i) => {
        const coin = flows[i]!
        const notional = Math.abs(coin) * exec
        const after = p.stateAt(exec).equityUsd - (p.liquidationFeeRate ?? 0) * notional
        const o = outcomes.get(p.id)!
        o.liquidated = true
        o.step = k
        o.triggerPrice = P
        o.executionPrice = exec
        o.closedCoin = coin
        o.equityAtTriggerUsd = equity
        o.equityAfterUsd = after
        o.shortfallUsd = Math.max(-after, 0)
        liquidated.push(p.id)
        stepCoin += coin
        stepNotional += notional
      })
      const gone = new Set(breached.map((b) => b.p))
      alive = alive.filter((p) => !gone.has(p))
    }
    const logAfter = cumulativeImpactLog(X, impact)
    totalNotional += stepNotional
    steps.push({
      step: k,
      exogenousPrice: exo,
      priceBefore,
      priceAfter: priceOf(exo),
      liquidated,
      liquidatedCoin: stepCoin,
      liquidatedNotionalUsd: stepNotional,
      impactLog: logAfter - logBefore,
      cumulativeImpactLog: logAfter,
    })
  }
  const exoFinal = path[path.length - 1]!
  const extraMoveLog = cumulativeImpactLog(X, impact)
  const all = [...outcomes.values()]
  return {
    steps,
    exogenousFinalPrice: exoFinal,
    finalPrice: priceOf(exoFinal),
    extraMoveLog,
    extraMoveRelative: Math.expm1(-extraMoveLog),
    totalLiquidatedCoin: X,
    totalLiquidatedNotionalUsd: totalNotional,
    totalShortfallUsd: all.reduce((a, o) => a + o.shortfallUsd, 0),
    outcomes: all,
  }
}

/**
 * A crash path: `steps` steps from `start` to start × (1 + totalMove), evenly in log price (`geometric`,
 * default) or in price (`linear`). Returns steps + 1 prices, path[0] = start.
 * @throws CascadeInputError for start ≤ 0, totalMove ≤ −1, or steps < 1.
 */
export function crashPath(start: number, totalMove: number, steps: number, shape: 'geometric' | 'linear' = 'geometric'): number[] {
  if (!(start > 0) || !(totalMove > -1) || !(steps >= 1) || !Number.isInteger(steps)) throw new CascadeInputError('crash path needs start > 0, move > −100%, integer steps ≥ 1')
  const out: number[] = []
  for (let k = 0; k <= steps; k++)
    out.push(shape === 'linear' ? start * (1 + (totalMove * k) / steps) : start * Math.pow(1 + totalMove, k / steps))
  return out
}

/**
 * A historical path rescaled to start at `start`: start × closes[k] ÷ closes[0] (the episode's relative
 * moves applied to today's price).
 * @throws CascadeInputError for an empty list or a non-positive close.
 */
export function historicalPath(closes: readonly number[], start: number): number[] {
  if (closes.length === 0 || closes.some((c) => !(c > 0)) || !(start > 0)) throw new CascadeInputError('historical path needs positive closes and start')
  return closes.map((c) => (start * c) / closes[0]!)
}

/**
 * Participants of the aggregate leveraged market at price P0 (params/cascade.ts): per leverage bucket, one
 * isolated long and one isolated short of linear futures opened at P0, margin = notional ÷ leverage,
 * MM = notional at P × MMR. Long bucket liquidates at P0·(1 − 1/L)/(1 − MMR).
 * @throws CascadeInputError for P0 ≤ 0.
 */
export function marketParticipants(m: LeveragedMarketParams, P0: number): CascadeParticipant[] {
  if (!(P0 > 0)) throw new CascadeInputError('market participants need a price > 0')
  const open = m.openInterestCoin * (1 - m.excludedShare)
  const out: CascadeParticipant[] = []
  for (const b of m.buckets) {
    for (const side of ['long', 'short'] as const) {
      const q = open * (side === 'long' ? m.leveragedLongShare : m.leveragedShortShare) * b.share
      if (!(q > 0)) continue
      const margin = (q * P0) / b.leverage
      const dir = side === 'long' ? 1 : -1
      out.push({
        id: `market:${side}:${b.leverage}x`,
        kind: 'market',
        closeOutCoin: dir * q,
        stateAt: (P) => ({ equityUsd: margin + dir * q * (P - P0), maintenanceUsd: q * P * m.maintenanceMarginRate }),
      })
    }
  }
  return out
}

/**
 * Participants from one of the user's accounts along one underlying: the cross part (if it holds positions
 * on the underlying) and each isolated position on it, revalued by the account model at every price.
 * Close-out flow: the positions' coin delta at the trigger price (inverse futures: USD face ÷ price;
 * options: delta-equivalent [approximation: an option close-out is not a spot trade]). Positions on other
 * underlyings stay at their current prices and are not closed (their P&L and MM still count in equity).
 * @param liquidationFeeRate fee on the closed notional (decimal), e.g. Deribit's 0.75% for BTC futures
 * @throws MarginInputError (account.ts) when the account cannot be valued.
 */
export function accountParticipants(account: MarginAccount, rule: MarginRule, underlying: string, liquidationFeeRate = 0): CascadeParticipant[] {
  const onUnderlying = account.positions.filter((p) => p.instrument.underlying === underlying)
  if (onUnderlying.length === 0) return []
  const index0 = onUnderlying[0]!.market.index
  const at = (P: number) => revalueAccount(account, rule, { spot: { [underlying]: P / index0 - 1 } })
  const out: CascadeParticipant[] = []
  const crossIds = new Set(onUnderlying.filter((p) => p.isolatedMargin === undefined).map((p) => p.id))
  if (crossIds.size > 0)
    out.push({
      id: `${account.venue}:${account.name}`,
      kind: 'account',
      liquidationFeeRate,
      closeOutCoin: (P) => at(P).positions.filter((r) => crossIds.has(r.id)).reduce((a, r) => a + r.deltaCoin, 0),
      stateAt: (P) => {
        const v = at(P)
        return { equityUsd: v.equityUsd, maintenanceUsd: (v.maintenanceMargin + v.liquidationFee) * v.marginCurrencyUsd }
      },
    })
  for (const p of onUnderlying) {
    if (p.isolatedMargin === undefined) continue
    const row = (P: number) => {
      const v = at(P)
      return { v, r: v.positions.find((x) => x.id === p.id)! }
    }
    out.push({
      id: `${account.venue}:${account.name}:${p.id}`,
      kind: 'account',
      liquidationFeeRate,
      closeOutCoin: (P) => row(P).r.deltaCoin,
      stateAt: (P) => {
        const { v, r } = row(P)
        return { equityUsd: r.isolatedEquity! * v.marginCurrencyUsd, maintenanceUsd: (r.maintenanceMargin! + r.liquidationFee!) * v.marginCurrencyUsd }
      },
    })
  }
  return out
}
