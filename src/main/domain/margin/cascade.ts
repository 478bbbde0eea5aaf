/**
 * Liquidation cascades: an exogenous price path, participants that are closed out when their margin ratio
 * reaches 100 %, and market impact of those close-outs that pushes the price further.
 *
 * Impact model: the square-root law (research note §5.2; Donier & Bonart on Bitcoin metaorders): a
 * metaorder of Q coin against daily volume V moves the price by Y·σ_daily·√(Q/V) (relative). The cascade's
 * forced flow is treated as ONE metaorder built up over the episode: after a cumulative net flow X (coin
 * sold, buys negative) the impact is
 *   I(X) = sign(X) · Y · σ_daily · √(|X| / V)   in log price, permanent,
 *   price = exogenous · exp(−I(X)).
 * Each liquidation adds I(X after) − I(X before); the extra move caused by liquidations is therefore
 * exactly I(X_final) = the sum of the impacts applied (telescoping), and it does not depend on how the
 * close-outs are batched or ordered. (Applying √ impact per order instead would make the result depend on
 * batching: merging two orders lowers √a + √b to √(a+b), so "more leverage" could then *reduce* the move
 * when it merges two liquidation waves — the cumulative form rules that out.) X is summed over the
 * liquidated participants in their input order, so the same set gives the same float64 X whatever the
 * order of the events.
 *
 * Walk. The path's prices are points of a continuous exogenous path: between path[k−1] and path[k] the
 * exogenous price moves monotonically, evenly in log price (the crash path's own shape), unless the step is
 * marked as a gap (`gaps[k]`), in which case it jumps with no trading in between. A participant breaches
 * where h(P) = equity − (maintenance + reserved fee) reaches 0, i.e. where its margin ratio reaches 100 %.
 *  - Step 0: participants already in breach at the start price are closed out there (cause `start`).
 *  - A continuous step is scanned in pieces of at most `scanLogStep` in log price (default 0.25 %, the
 *    liquidation-price solver's own step, solvers.ts). When some participant breaches at the end of a
 *    piece, each breaching participant's crossing inside the piece is solved with Brent (solvers.ts); the
 *    first one reached along the move is closed out AT its crossing price (cause `threshold`; participants
 *    whose crossing is the same price to 1e-12 go with it), the impact of its flow is then applied, and the
 *    walk resumes from that point of the exogenous path with the new cumulative impact. The result
 *    therefore does not depend on how finely the path is stepped (checked at 20, 200 and 2,000 steps).
 *  - A gap step jumps to path[k]; participants in breach there are closed out at that price (cause `gap`).
 *  - After every close-out, the price after its impact is checked again: participants it pushed into breach
 *    are closed out at that price (cause `impact`), and so on until none breaches (the within-step chain).
 * Execution: a participant is closed out at the price where its breach is found — its crossing, the gap
 * price or the post-impact price — and its own flow's impact comes after (the venue's liquidation engine
 * takes the position over there; the slippage of working it off is the market's and the insurance fund's).
 * Its equity there, less the liquidation fee on the closed notional, is its outcome; a negative one is the
 * shortfall an insurance fund or ADL absorbs. A `threshold` close-out happens at equity = maintenance +
 * reserved fee ≥ 0, so it never executes below the bankruptcy price (a shortfall there can only come from a
 * liquidation fee larger than that equity, and the explanation says so); only `start`, `gap` and `impact`
 * close-outs can execute below it, and each outcome names its cause in a sentence. For `gap` and `impact`
 * the crossing the jump went through is solved too (`thresholdPrice`).
 * Limits (stated): a breach band narrower than one scan piece (the margin ratio rising above 100 % and back
 * inside 0.25 % of price, possible with options) is not seen; vol is not shocked along the path; liquidation
 * is full, not incremental (Deribit and Binance liquidate incrementally — an approximation).
 *
 * Monotonicity (tested): when every participant's breach is monotone in price (a breach at P implies one at
 * any lower P: true for long futures, linear or inverse) and all forced flows are sales, then adding a
 * participant, adding leverage (less collateral or a larger position) or a larger impact coefficient can
 * only lower every step's price. The state after step k is the least set S of participants closed under
 * "i ∈ S when the lowest exogenous price so far × exp(−I(X(S))) reaches i's threshold"; each of those
 * changes enlarges the operator, hence the least fixed point, hence X and I(X), and the price falls (the
 * fixed-order float sum of non-negative flows is itself monotone, rounding being monotone). With no
 * participant ever breaching (e.g. unleveraged longs), the price path equals the exogenous path exactly.
 * With mixed flows (short squeezes on a rising path) the walk is still exact and accounted, but no
 * monotonicity is claimed.
 *
 * Float64; prices USD, quantities coin.
 */
import type { ImpactParams, LeveragedMarketParams } from './params/cascade'
import { revalueAccount, type AccountValuation, type MarginAccount, type MarginRule } from './account'
import { brentRoot } from './solvers'

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
  /**
   * gaps[k] = true: the move from path[k − 1] to path[k] is a jump with no trading in between (a gap
   * scenario); absent or false: a continuous move. gaps[0] must be false; length ≤ path length.
   */
  gaps?: readonly boolean[]
  participants: readonly CascadeParticipant[]
  impact: ImpactParams
  /** Largest piece of a continuous step scanned for breaches, in log price; default 0.0025 (0.25 %). */
  scanLogStep?: number
}

export interface CascadeStep {
  step: number
  exogenousPrice: number
  /** The move into this step is a gap (no trading between path[k − 1] and path[k]). */
  gap: boolean
  /** Exogenous price of the step × the impact accumulated before the step (USD). */
  priceBefore: number
  /** Price at the end of the step, after its liquidations (USD). */
  priceAfter: number
  /** Ids closed out during the step (between path[k − 1] and path[k]), in order. */
  liquidated: string[]
  /** Net coin flow of the step (sold positive) and its gross USD notional at execution. */
  liquidatedCoin: number
  liquidatedNotionalUsd: number
  /** Log-price impact applied in this step (positive pushes the price down). */
  impactLog: number
  /** Cumulative impact after the step, log price: ln(exogenous ÷ price). */
  cumulativeImpactLog: number
}

/**
 * Why a participant was closed out where it was:
 *  - `threshold`: the price reached its margin-ratio-100 % crossing inside a continuous step, solved;
 *    executed at that crossing (never below its bankruptcy price);
 *  - `gap`: a step marked as a gap jumped through its threshold; executed at the price after the jump;
 *  - `impact`: the impact of other close-outs just before pushed the price through its threshold; executed
 *    at the price after that impact;
 *  - `start`: already in breach at the path's start price; executed there.
 */
export type CascadeCause = 'start' | 'threshold' | 'gap' | 'impact'

export interface CascadeOutcome {
  id: string
  kind: 'account' | 'market'
  liquidated: boolean
  step: number | null
  /**
   * Price at which the breach was found (USD), and at which the close-out executed: the same price (the
   * participant's own impact comes after its close-out).
   */
  triggerPrice: number | null
  executionPrice: number | null
  /** Why it was closed out there (`CascadeCause`), and the same as a sentence with the prices involved. */
  cause: CascadeCause | null
  explanation: string | null
  /**
   * Price at which its margin ratio reached 100 % (USD): the execution price for `threshold`; for `gap` and
   * `impact` the crossing inside the jump that closed it out (null if the jump does not bracket one);
   * null for `start`.
   */
  thresholdPrice: number | null
  /** Equity at execution was negative: closed out below its bankruptcy price. */
  belowBankruptcy: boolean
  /** Signed coin closed. */
  closedCoin: number
  /** Equity at the execution price and after the close-out (liquidation fee deducted), USD. */
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

/** Thrown for an empty or non-positive path, bad gap marks, bad impact parameters or a participant that cannot be valued. */
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

/** Default largest piece of a continuous step scanned for breaches (log price). */
export const CASCADE_SCAN_LOG_STEP = 0.0025
/** Crossings this close (relative) are one event. */
const SAME_EVENT = 1e-12

const usd2 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * Walks the path (module comment) and reports each step and each participant's outcome.
 * @throws CascadeInputError for an empty path, a non-positive price, a gap mark on step 0 or beyond the
 *   path, V ≤ 0 or negative Y/σ, scanLogStep ≤ 0, duplicate ids, or a participant whose state is not finite.
 */
export function simulateCascade(input: CascadeInput): CascadeResult {
  const { path, participants, impact } = input
  const gaps = input.gaps ?? []
  const scanLogStep = input.scanLogStep ?? CASCADE_SCAN_LOG_STEP
  if (path.length === 0) throw new CascadeInputError('empty price path')
  if (path.some((p) => !(p > 0) || !Number.isFinite(p))) throw new CascadeInputError('every path price must be finite and > 0')
  if (gaps.length > path.length) throw new CascadeInputError(`${gaps.length} gap marks for a path of ${path.length} prices`)
  if (gaps[0]) throw new CascadeInputError('step 0 (the start price) cannot be a gap')
  if (!(impact.dailyVolumeCoin > 0) || !(impact.Y >= 0) || !(impact.dailyVol >= 0)) throw new CascadeInputError('impact needs V > 0, Y ≥ 0, σ ≥ 0')
  if (!(scanLogStep > 0) || !Number.isFinite(scanLogStep)) throw new CascadeInputError('scanLogStep must be > 0')
  const ids = new Set<string>()
  for (const p of participants) {
    if (ids.has(p.id)) throw new CascadeInputError(`duplicate participant id ${p.id}`)
    ids.add(p.id)
  }
  const n = participants.length
  const outcomes: CascadeOutcome[] = participants.map((p) => ({
    id: p.id,
    kind: p.kind,
    liquidated: false,
    step: null,
    triggerPrice: null,
    executionPrice: null,
    cause: null,
    explanation: null,
    thresholdPrice: null,
    belowBankruptcy: false,
    closedCoin: 0,
    equityAtTriggerUsd: null,
    equityAfterUsd: null,
    shortfallUsd: 0,
  }))
  const alive: boolean[] = participants.map(() => true)
  const flows = new Float64Array(n)
  /** Net coin sold so far, summed in participant order (module comment: same set → same float). */
  const netFlow = () => {
    let s = 0
    for (let i = 0; i < n; i++) if (!alive[i]) s += flows[i]!
    return s
  }
  const h = (i: number, P: number): number => {
    const s = participants[i]!.stateAt(P)
    const v = s.equityUsd - s.maintenanceUsd
    if (!Number.isFinite(v)) throw new CascadeInputError(`participant ${participants[i]!.id}: equity or maintenance not finite at ${P} USD`)
    return v
  }
  const equityAt = (i: number, P: number) => participants[i]!.stateAt(P).equityUsd
  /** A sign change of g on the segment between two prices (g(breached) ≤ 0 < g(safe)), else null. */
  const crossingOn = (g: (P: number) => number, breached: number, safe: number): number | null => {
    if (breached === safe || !(g(safe) > 0) || g(breached) > 0) return null
    return brentRoot(g, breached, safe)
  }

  let X = 0
  let totalNotional = 0
  let k = 0
  let liquidated: string[] = []
  let stepCoin = 0
  let stepNotional = 0
  const steps: CascadeStep[] = []

  /** Closes out participant i at price P (flows added to X by the caller, after the whole wave). */
  const closeOut = (i: number, P: number, cause: CascadeCause, thresholdPrice: number | null, why: string) => {
    const p = participants[i]!
    const coin = typeof p.closeOutCoin === 'function' ? p.closeOutCoin(P) : p.closeOutCoin
    if (!Number.isFinite(coin)) throw new CascadeInputError(`participant ${p.id}: close-out flow not finite at ${P} USD`)
    const notional = Math.abs(coin) * P
    const equity = equityAt(i, P)
    const fee = (p.liquidationFeeRate ?? 0) * notional
    const after = equity - fee
    const o = outcomes[i]!
    o.liquidated = true
    o.step = k
    o.triggerPrice = P
    o.executionPrice = P
    o.cause = cause
    o.thresholdPrice = thresholdPrice
    o.belowBankruptcy = equity < 0
    o.closedCoin = coin
    o.equityAtTriggerUsd = equity
    o.equityAfterUsd = after
    o.shortfallUsd = Math.max(-after, 0)
    let sentence = why
    if (equity < 0) sentence += `; equity there ${usd2(equity)} USD: below its bankruptcy price`
    else if (after < 0) sentence += `; the liquidation fee (${usd2(fee)} USD) exceeds the ${usd2(equity)} USD of equity left there`
    o.explanation = `${sentence}.`
    alive[i] = false
    flows[i] = coin
    liquidated.push(p.id)
    stepCoin += coin
    stepNotional += notional
  }

  const through = (threshold: number | null) => (threshold === null ? 'through its threshold' : `through its liquidation price ${usd2(threshold)} USD`)

  /**
   * Waves of close-outs pushed by impact: at exogenous level e, after close-outs executed at `from` by the
   * participants `by`, the price after their impact is checked, and so on until no participant breaches.
   */
  const settle = (e: number, from: number, by: string[]) => {
    X = netFlow()
    for (;;) {
      const P = e * Math.exp(-cumulativeImpactLog(X, impact))
      const hit: number[] = []
      for (let i = 0; i < n; i++) if (alive[i] && h(i, P) <= 0) hit.push(i)
      if (hit.length === 0) return
      const names = by.length <= 3 ? by.join(', ') : `${by.slice(0, 3).join(', ')} and ${by.length - 3} more`
      for (const i of hit) {
        const t = crossingOn((x) => h(i, x), P, from)
        closeOut(i, P, 'impact', t, `step ${k}: the impact of the close-out of ${names} moved the price from ${usd2(from)} to ${usd2(P)} USD, ${through(t)}; closed out at ${usd2(P)} USD`)
      }
      X = netFlow()
      from = P
      by = hit.map((i) => participants[i]!.id)
    }
  }

  for (k = 0; k < path.length; k++) {
    const exo = path[k]!
    const logBefore = cumulativeImpactLog(X, impact)
    const priceBefore = exo * Math.exp(-logBefore)
    liquidated = []
    stepCoin = 0
    stepNotional = 0
    const gap = k > 0 && gaps[k] === true
    if (k === 0 || gap) {
      const f = Math.exp(-cumulativeImpactLog(X, impact))
      const P = exo * f
      const from = k === 0 ? P : path[k - 1]! * f
      const hit: number[] = []
      for (let i = 0; i < n; i++) if (alive[i] && h(i, P) <= 0) hit.push(i)
      for (const i of hit) {
        if (k === 0) closeOut(i, P, 'start', null, `already at or beyond its maintenance threshold at the path's start price ${usd2(P)} USD; closed out there`)
        else {
          const t = crossingOn((x) => h(i, x), P, from)
          closeOut(i, P, 'gap', t, `step ${k} gaps from ${usd2(from)} to ${usd2(P)} USD with no trading in between, ${through(t)}; closed out at ${usd2(P)} USD`)
        }
      }
      if (hit.length > 0) settle(exo, P, hit.map((i) => participants[i]!.id))
    } else {
      // A continuous step from path[k − 1] to path[k], scanned in pieces of ≤ scanLogStep.
      const eA = path[k - 1]!
      const L = Math.log(exo / eA)
      const pieces = Math.max(1, Math.ceil(Math.abs(L) / scanLogStep - 1e-9))
      let eCur = eA
      for (let j = 1; j <= pieces; j++) {
        const eEnd = j === pieces ? exo : eA * Math.exp((L * j) / pieces)
        for (;;) {
          const f = Math.exp(-cumulativeImpactLog(X, impact))
          const pCur = eCur * f
          const pEnd = eEnd * f
          const crossings: { i: number; c: number; d: number }[] = []
          for (let i = 0; i < n; i++) {
            if (!alive[i] || h(i, pEnd) > 0) continue
            const c = h(i, pCur) <= 0 ? pCur : brentRoot((x) => h(i, x), pEnd, pCur)
            crossings.push({ i, c, d: Math.abs(Math.log(c / pCur)) })
          }
          if (crossings.length === 0) break
          const first = crossings.reduce((a, b) => (b.d < a.d ? b : a))
          const group = crossings.filter((x) => Math.abs(Math.log(x.c / first.c)) <= SAME_EVENT)
          for (const { i, c } of group)
            closeOut(i, c, 'threshold', c, `step ${k}: the price reached its liquidation price ${usd2(c)} USD between ${usd2(eA * f)} and ${usd2(exo * f)} USD; closed out there`)
          eCur = first.c / f
          settle(eCur, first.c, group.map((x) => participants[x.i]!.id))
        }
        eCur = eEnd
      }
    }
    X = netFlow()
    const logAfter = cumulativeImpactLog(X, impact)
    totalNotional += stepNotional
    steps.push({
      step: k,
      exogenousPrice: exo,
      gap,
      priceBefore,
      priceAfter: exo * Math.exp(-logAfter),
      liquidated,
      liquidatedCoin: stepCoin,
      liquidatedNotionalUsd: stepNotional,
      impactLog: logAfter - logBefore,
      cumulativeImpactLog: logAfter,
    })
  }
  const exoFinal = path[path.length - 1]!
  const extraMoveLog = cumulativeImpactLog(X, impact)
  return {
    steps,
    exogenousFinalPrice: exoFinal,
    finalPrice: exoFinal * Math.exp(-extraMoveLog),
    extraMoveLog,
    extraMoveRelative: Math.expm1(-extraMoveLog),
    totalLiquidatedCoin: X,
    totalLiquidatedNotionalUsd: totalNotional,
    totalShortfallUsd: outcomes.reduce((a, o) => a + o.shortfallUsd, 0),
    outcomes,
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
  // One-entry cache: the walk asks for the state and the close-out flow at the same price in a row.
  let lastP = NaN
  let last: AccountValuation | null = null
  const at = (P: number): AccountValuation => {
    if (P !== lastP || last === null) {
      last = revalueAccount(account, rule, { spot: { [underlying]: P / index0 - 1 } })
      lastP = P
    }
    return last
  }
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
