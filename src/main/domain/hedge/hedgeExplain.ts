/**
 * The hedge programme's answer in the user's words: why targets cannot be met (infeasible), and which
 * constraints bind at the optimum — the rows and columns whose dual value is not zero, i.e. whose shadow cost
 * (USD per unit of the greek, Papahristodoulou 2004 §3) says what relaxing them would save.
 *
 * Infeasibility is explained from the cheapest test that names a cause:
 *  1. a target outside its band that no allowed candidate moves at all ("BTC vega cannot move with the
 *     allowed candidates (perpetual): none has vega");
 *  2. a target whose gap exceeds what every candidate together can move within its size caps;
 *  3. otherwise the caller re-solves without the cost cap or the margin budget (hedgeService.ts) and, if that
 *     is feasible, names the limit; else the targets cannot be met together.
 */
import { fmt } from '../../../shared/format'
import { targetGap, ZERO_GREEK, type HedgeCandidateColumns, type HedgeProgramme, type HedgeTargetRow } from './hedgeProblem'

export interface TargetWords extends HedgeTargetRow {
  /** Decimals the greek is written with (delta 4, vega 0…). */
  digits: number
}

const band = (t: TargetWords) => `${fmt(t.lower, t.digits)}…${fmt(t.upper, t.digits)}`

/**
 * Cause 1 of the module comment, or null.
 * @param kinds the candidate kinds allowed, in words (`perpetual`, `perpetual, future`)
 */
export function unmovableTarget(targets: readonly TargetWords[], candidates: readonly HedgeCandidateColumns[], kinds: string): string | null {
  for (const [k, t] of targets.entries()) {
    if (targetGap(t) === 0) continue
    const moves = candidates.some((c) => Math.abs(c.buy.greeks[k] ?? 0) >= ZERO_GREEK || Math.abs(c.sell.greeks[k] ?? 0) >= ZERO_GREEK)
    if (moves) continue
    const none = candidates.length === 0 ? 'there are none' : `none has ${t.greekLabel}`
    return `${t.underlying} ${t.greekLabel} cannot move with the allowed candidates (${kinds}): ${none}; it is ${fmt(t.before, t.digits)}, the band is ${band(t)}`
  }
  return null
}

/** Cause 2 of the module comment, or null: a band the candidates cannot reach even at every size cap. */
export function unreachableTarget(targets: readonly TargetWords[], candidates: readonly HedgeCandidateColumns[]): string | null {
  for (const [k, t] of targets.entries()) {
    const gap = targetGap(t)
    if (gap === 0) continue
    let reach = 0
    for (const c of candidates)
      for (const s of [c.buy, c.sell]) {
        const g = s.greeks[k] ?? 0
        if (Math.sign(g) === Math.sign(gap)) reach += Math.abs(g) * s.cap
      }
    if (reach < Math.abs(gap))
      return `${t.label} band ${band(t)} cannot be reached within the size caps: it is ${fmt(t.before, t.digits)}, and the candidates together can move it by at most ${fmt(Math.sign(gap) * reach, t.digits)} (${fmt(gap, t.digits)} needed)`
  }
  return null
}

export interface LpSolution {
  colValue: ArrayLike<number>
  rowValue: ArrayLike<number>
  colDual: ArrayLike<number>
  rowDual: ArrayLike<number>
}

/**
 * The constraints binding at the optimum, in words: target band edges, the cost cap, margin budgets and size
 * caps with a non-zero dual value (shadow cost in USD per unit of the constraint).
 */
export function bindingConstraints(p: HedgeProgramme, s: LpSolution, targets: readonly TargetWords[], candidates: readonly HedgeCandidateColumns[]): string[] {
  const out: string[] = []
  const atBound = (x: number, lo: number, hi: number) => {
    const tol = 1e-7 * Math.max(1, Math.abs(lo), Math.abs(hi))
    return Number.isFinite(lo) && Math.abs(x - lo) <= tol ? 'lower' : Number.isFinite(hi) && Math.abs(x - hi) <= tol ? 'upper' : null
  }
  p.rows.forEach((ref, i) => {
    const dual = s.rowDual[i] ?? 0
    const edge = atBound(s.rowValue[i] ?? 0, p.rowLower[i]!, p.rowUpper[i]!)
    if (edge === null || Math.abs(dual) < 1e-9) return
    if (ref.kind === 'target') {
      const t = targets[ref.target]!
      const value = edge === 'lower' ? t.lower : t.upper
      out.push(`${t.label} at the ${edge} edge of its band (${fmt(value, t.digits)}): shadow cost ${fmt(Math.abs(dual), 2)} USD per unit of ${t.greekLabel}`)
    } else if (ref.kind === 'cost') out.push(`the cost cap (${fmt(p.rowUpper[i]!, 2)} USD): shadow cost ${fmt(Math.abs(dual), 4)} per USD`)
    else out.push(`the initial-margin budget of ${ref.account} (${fmt(p.rowUpper[i]!, 2)} USD): shadow cost ${fmt(Math.abs(dual), 4)} per USD`)
  })
  p.cols.forEach((ref, j) => {
    const cap = p.colUpper[j]!
    // A cap of 0 is a side that cannot be traded (an empty side of the book), not a size limit.
    if (!Number.isFinite(cap) || !(cap > 0) || Math.abs((s.colValue[j] ?? 0) - cap) > 1e-7 * Math.max(1, cap) || Math.abs(s.colDual[j] ?? 0) < 1e-9) return
    out.push(`the size cap of ${candidates[ref.candidate]!.label} (${ref.side}, ${fmt(cap, 4)} units)`)
  })
  return out
}
