/**
 * Monte Carlo scenarios of the risk factors, written straight into the stress kernel's packed scenarios.
 *
 * A path is h daily moves x_d = L·z_d·√((ν − 2)/W_d), z_d ~ N(0, I), W_d ~ χ²_ν (a multivariate Student-t with
 * ν degrees of freedom and covariance Σ = LLᵀ; ν = ∞: normal), summed over the h days of the horizon — the
 * path itself is scaled, not the 1-day figure by √h. The spot factor's sum is a log return (spot shock
 * e^{Σx} − 1), the vol factor's a change in decimal vol (written in vol points, absolute). Paths come in blocks
 * of PATHS_PER_BLOCK, each from its own stream (randomStreams.ts), so any split over workers gives the same
 * scenarios.
 */
import type { PackedScenarios } from '../stress/revaluationKernel'
import { daysToYears } from '../time'
import { blockStream, PATHS_PER_BLOCK } from './randomStreams'

export interface MonteCarloModel {
  /** Factors. */
  m: number
  /** Cholesky factor of the daily covariance, row-major m × m. */
  cholesky: number[]
  /** Degrees of freedom; Infinity for normal moves. */
  df: number
  horizonDays: number
  /** Per underlying of the packed book: its spot factor (−1: never moves, e.g. a stablecoin without history),
   * and its vol factor or −1. */
  spotFactor: number[]
  volFactor: number[]
  /** Vol floor after the shock, decimal. */
  volFloor: number
}

export const blockCount = (paths: number): number => Math.ceil(paths / PATHS_PER_BLOCK)

/**
 * Writes the paths of blocks [fromBlock, toBlock) (of `paths` in all) into `sc`: spot and vol shocks per
 * underlying, the horizon as time shift, everything else neutral.
 */
export function fillPathBlocks(model: MonteCarloModel, seed: number, paths: number, fromBlock: number, toBlock: number, sc: PackedScenarios): void {
  const { m, cholesky: L, df, horizonDays } = model
  const nu = sc.nUnderlyings
  const z = new Float64Array(m)
  const x = new Float64Array(m)
  const dt = daysToYears(horizonDays)
  for (let b = fromBlock; b < toBlock; b++) {
    const stream = blockStream(seed, b, df)
    const end = Math.min(paths, (b + 1) * PATHS_PER_BLOCK)
    for (let k = b * PATHS_PER_BLOCK; k < end; k++) {
      x.fill(0)
      for (let d = 0; d < horizonDays; d++) {
        for (let i = 0; i < m; i++) z[i] = stream.normal()
        const scale = Number.isFinite(df) ? Math.sqrt((df - 2) / stream.chiSquare()) : 1
        for (let i = 0; i < m; i++) {
          let s = 0
          for (let j = 0; j <= i; j++) s += L[i * m + j]! * z[j]!
          x[i]! += s * scale
        }
      }
      for (let u = 0; u < nu; u++) {
        const sf = model.spotFactor[u]!
        sc.spotShock[k * nu + u] = sf < 0 ? 0 : Math.expm1(x[sf]!)
        const vf = model.volFactor[u]!
        sc.volSize[k * nu + u] = vf < 0 ? 0 : 100 * x[vf]!
      }
      sc.volRelative[k] = 0
      sc.volFloor[k] = model.volFloor
      sc.dtYears[k] = dt
      sc.spreadWidening[k] = 1
    }
  }
}
