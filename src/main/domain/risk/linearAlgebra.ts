/** Small dense matrices (a few risk factors) as arrays of rows. */

export type Matrix = number[][]

/**
 * Lower-triangular L with L·Lᵀ = A for a symmetric positive semi-definite A. A zero pivot (a factor with no
 * variance, or one that is a combination of others) gives a zero column, so semi-definite matrices work.
 * @throws RangeError when A is not positive semi-definite (a pivot below −1e-12 × the diagonal's scale)
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.length
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  const scale = Math.max(...a.map((r, i) => Math.abs(r[i]!)), 0)
  for (let j = 0; j < n; j++) {
    let d = a[j]![j]!
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2
    if (d < -1e-12 * scale) throw new RangeError(`the covariance matrix is not positive semi-definite (pivot ${j}: ${d})`)
    const ljj = d > 1e-15 * scale ? Math.sqrt(d) : 0
    l[j]![j] = ljj
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!
      l[i]![j] = ljj === 0 ? 0 : s / ljj
    }
  }
  return l
}

/** Sample covariance about zero-free means (divisor T − 1) of T observations of m factors (rows = observations). */
export function covariance(rows: readonly (readonly number[])[]): Matrix {
  const t = rows.length
  const m = rows[0]?.length ?? 0
  const mean = new Array<number>(m).fill(0)
  for (const r of rows) for (let j = 0; j < m; j++) mean[j]! += r[j]! / t
  const c: Matrix = Array.from({ length: m }, () => new Array<number>(m).fill(0))
  for (const r of rows)
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) c[i]![j]! += ((r[i]! - mean[i]!) * (r[j]! - mean[j]!)) / (t - 1)
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) c[i]![j] = c[j]![i]!
  return c
}

export const matVec = (a: Matrix, x: readonly number[]): number[] => a.map((r) => r.reduce((s, v, j) => s + v * x[j]!, 0))
export const dot = (x: readonly number[], y: readonly number[]): number => x.reduce((s, v, j) => s + v * y[j]!, 0)
