/**
 * Degrees of freedom of a multivariate Student-t for the joint daily factor moves, by maximum likelihood.
 *
 * The moves x_t (m factors) are taken with zero mean and covariance Σ (the sample covariance of the window),
 * so the t's scale matrix is Σ(ν − 2)/ν and only ν is fitted (profile likelihood):
 *   ℓ(ν) = T[lnΓ((ν+m)/2) − lnΓ(ν/2) − (m/2)ln((ν − 2)π)] − ((ν + m)/2) Σₜ ln(1 + dₜ²/(ν − 2)) + const,
 * dₜ² = xₜᵀΣ⁻¹xₜ (e.g. McNeil, Frey & Embrechts, Quantitative Risk Management, 2005, §3.2.1).
 * ν is searched over (2, 1000] (BFGS on ln(ν − 2), numeric.uncmin); 1000 means the data show no fat tails.
 */
import gammaln from '@stdlib/math-base-special-gammaln'
import numeric from 'numeric'
import { cholesky, type Matrix } from './linearAlgebra'

export const MAX_DEGREES_OF_FREEDOM = 1000

/** dₜ² of each observation against Σ (factors with zero variance are left out of the distance). */
export function mahalanobisSquared(rows: readonly (readonly number[])[], sigma: Matrix): number[] {
  const l = cholesky(sigma)
  const m = sigma.length
  return rows.map((x) => {
    const y = new Array<number>(m).fill(0)
    let d2 = 0
    for (let i = 0; i < m; i++) {
      let s = x[i]!
      for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!
      y[i] = l[i]![i]! === 0 ? 0 : s / l[i]![i]!
      d2 += y[i]! ** 2
    }
    return d2
  })
}

/** Effective dimension: factors with a non-zero pivot. */
function rank(sigma: Matrix): number {
  return cholesky(sigma).filter((r, i) => r[i]! > 0).length
}

/**
 * Fitted ν of the multivariate t, and the log-likelihood at it.
 * @throws RangeError for fewer than 10 observations
 */
export function fitStudentTDegrees(rows: readonly (readonly number[])[], sigma: Matrix): { df: number; logLikelihood: number } {
  if (rows.length < 10) throw new RangeError(`fitting Student-t degrees of freedom needs at least 10 observations, got ${rows.length}`)
  const d2 = mahalanobisSquared(rows, sigma)
  const m = rank(sigma)
  const t = rows.length
  const ll = (nu: number) => {
    let s = 0
    for (const d of d2) s += Math.log1p(d / (nu - 2))
    return t * (gammaln((nu + m) / 2) - gammaln(nu / 2) - (m / 2) * Math.log((nu - 2) * Math.PI)) - ((nu + m) / 2) * s
  }
  const toNu = (y: number) => Math.min(2 + Math.exp(y), MAX_DEGREES_OF_FREEDOM)
  const best = numeric.uncmin((x: number[]) => -ll(toNu(x[0]!)), [Math.log(4)], 1e-12, undefined, 500)
  const df = toNu(best.solution[0]!)
  return { df, logLikelihood: ll(df) }
}
