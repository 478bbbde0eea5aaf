/**
 * Raw SVI smile of one expiry in total implied variance w = σ_imp²·T as a function of log-moneyness
 * k = ln(K/F):
 *
 *   w(k) = a + b·(ρ·(k − m) + √((k − m)² + s²))
 *
 * (J. Gatheral, "A parsimonious arbitrage-free implied volatility parameterization with application to the
 * valuation of volatility derivatives", Global Derivatives, Madrid 2004; J. Gatheral, A. Jacquier,
 * "Arbitrage-free SVI volatility surfaces", Quantitative Finance 14 (2014) 59–71.) The SVI parameter
 * usually written σ is `s` here, to keep σ for volatility.
 *
 * Fit: the quasi-explicit method of S. De Marco and C. Martini ("Quasi-explicit calibration of Gatheral's
 * SVI model", Zeliade white paper, 2009): for fixed (m, s), with y = (k − m)/s, w = a + d·y + c·√(y² + 1)
 * is linear in (a, d, c) = (a, b·ρ·s, b·s), so the weighted least-squares problem is solved exactly under
 * the linear constraints |d| ≤ c (|ρ| ≤ 1) and c + |d| ≤ 2s (b·(1 + |ρ|) ≤ 2, Lee's moment bound on the
 * wings' slope: R. Lee, "The moment formula for implied volatility at extreme strikes", Math. Finance 14
 * (2004) 469–480); the outer problem in (m, ln s) is a coarse grid then Nelder–Mead (J. A. Nelder,
 * R. Mead, Computer J. 7 (1965) 308–313). Residuals are weighted so the objective is the sum of squared
 * implied-volatility errors (Δw = 2σT·Δσ).
 *
 * Butterfly arbitrage: Gatheral & Jacquier's density condition
 *   g(k) = (1 − k·w'/(2w))² − (w'²/4)·(1/w + 1/4) + w''/2 ≥ 0  (and w > 0).
 */

/** Raw SVI parameters (total variance; dimensionless). */
export interface SviParams {
  a: number
  b: number
  rho: number
  m: number
  /** SVI's σ (curvature scale in log-moneyness), > 0. */
  s: number
}

/** w(k) for raw SVI. Dimensionless total variance. */
export function sviTotalVariance(p: SviParams, k: number): number {
  const u = k - p.m
  return p.a + p.b * (p.rho * u + Math.sqrt(u * u + p.s * p.s))
}

/** w(k), w'(k), w''(k) for raw SVI (derivatives in k). */
export function sviDerivatives(p: SviParams, k: number): { w: number; w1: number; w2: number } {
  const u = k - p.m
  const r = Math.sqrt(u * u + p.s * p.s)
  return {
    w: p.a + p.b * (p.rho * u + r),
    w1: p.b * (p.rho + u / r),
    w2: (p.b * p.s * p.s) / (r * r * r),
  }
}

/**
 * Gatheral–Jacquier density function g(k) for a smile with total variance w and derivatives w1, w2 in k:
 * g < 0 means a negative risk-neutral density (butterfly arbitrage) at k.
 */
export function butterflyDensity(k: number, w: number, w1: number, w2: number): number {
  const t = 1 - (k * w1) / (2 * w)
  return t * t - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2
}

/** Minimum SVI total variance a + b·s·√(1 − ρ²) (at k = m − ρs/√(1 − ρ²)). */
export function sviMinimumVariance(p: SviParams): number {
  return p.a + p.b * p.s * Math.sqrt(Math.max(0, 1 - p.rho * p.rho))
}

export interface SviFit {
  params: SviParams
  /** Root-mean-square of (model − market) implied vol over the fitted quotes, in vol points. */
  rmseVolPoints: number
  /** The same, weighted by the fit weights squared (equals rmseVolPoints for an unweighted fit). */
  weightedRmseVolPoints: number
  /** Largest |model − market| implied vol, in vol points. */
  maxAbsErrorVolPoints: number
  /** Quotes fitted. */
  n: number
}

/** Solves the small dense system A·x = y (Gaussian elimination, partial pivoting); null if singular. */
function solveDense(A: number[][], y: number[]): number[] | null {
  const n = y.length
  const M = A.map((row, i) => [...row, y[i]!])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r
    if (!(Math.abs(M[piv]![c]!) > 1e-300)) return null
    ;[M[c], M[piv]] = [M[piv]!, M[c]!]
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!
      for (let j = c; j <= n; j++) M[r]![j]! -= f * M[c]![j]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let acc = M[r]![n]!
    for (let j = r + 1; j < n; j++) acc -= M[r]![j]! * x[j]!
    x[r] = acc / M[r]![r]!
  }
  return x
}

/**
 * Weighted least squares of target ≈ Σ_j coef_j·basis_j over the quotes (normal equations; at most three
 * unknowns, well scaled since y ∈ O(1)).
 */
function weightedLs(basis: Float64Array[], target: Float64Array, weight: Float64Array): number[] | null {
  const p = basis.length
  const A: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0))
  const y = new Array<number>(p).fill(0)
  for (let i = 0; i < target.length; i++) {
    const wi = weight[i]!
    for (let r = 0; r < p; r++) {
      const br = basis[r]![i]! * wi
      y[r]! += br * target[i]!
      for (let c = r; c < p; c++) A[r]![c]! += br * basis[c]![i]!
    }
  }
  for (let r = 0; r < p; r++) for (let c = 0; c < r; c++) A[r]![c] = A[c]![r]!
  return solveDense(A, y)
}

interface InnerResult {
  a: number
  d: number
  c: number
  sse: number
}

/**
 * Inner problem of the quasi-explicit method for fixed (m, s): min Σ ω_i (a + d·y_i + c·z_i − w_i)² over
 * the polygon |d| ≤ c ≤ 2s − |d|, a free. The optimum of this convex QP lies in the interior, on one of
 * the four edges, or at one of the four vertices; every candidate is solved and the best feasible kept.
 */
function innerFit(k: Float64Array, w: Float64Array, omega: Float64Array, m: number, s: number): InnerResult | null {
  const n = k.length
  const y = new Float64Array(n)
  const z = new Float64Array(n)
  const one = new Float64Array(n).fill(1)
  for (let i = 0; i < n; i++) {
    y[i] = (k[i]! - m) / s
    z[i] = Math.sqrt(y[i]! * y[i]! + 1)
  }
  const tol = 1e-12 * s
  let best: InnerResult | null = null
  const consider = (a: number, d: number, c: number) => {
    if (!(Math.abs(d) <= c + tol && c + Math.abs(d) <= 2 * s + tol)) return
    let sse = 0
    for (let i = 0; i < n; i++) {
      const r = a + d * y[i]! + c * z[i]! - w[i]!
      sse += omega[i]! * r * r
    }
    if (best === null || sse < best.sse) best = { a, d, c, sse }
  }
  // Interior.
  const full = weightedLs([one, y, z], w, omega)
  if (full) consider(full[0]!, full[1]!, full[2]!)
  // Edges: (c, d) = (c0 + e·uc, d0 + e·ud), e in [e0, e1]; model a + c0·z + d0·y + e·(uc·z + ud·y).
  const edges: Array<[number, number, number, number, number, number]> = [
    // c = d, d ∈ [0, s]
    [0, 0, 1, 1, 0, s],
    // c = −d, d ∈ [−s, 0]
    [0, 0, -1, 1, -s, 0],
    // c = 2s − d, d ∈ [0, s]
    [2 * s, 0, -1, 1, 0, s],
    // c = 2s + d, d ∈ [−s, 0]
    [2 * s, 0, 1, 1, -s, 0],
  ]
  const u = new Float64Array(n)
  const tgt = new Float64Array(n)
  for (const [c0, d0, uc, ud, e0, e1] of edges) {
    for (let i = 0; i < n; i++) {
      u[i] = uc * z[i]! + ud * y[i]!
      tgt[i] = w[i]! - c0 * z[i]! - d0 * y[i]!
    }
    const sol = weightedLs([one, u], tgt, omega)
    if (sol && sol[1]! >= e0 && sol[1]! <= e1) consider(sol[0]!, d0 + ud * sol[1]!, c0 + uc * sol[1]!)
  }
  // Vertices (c, d): a alone.
  for (const [c, d] of [
    [0, 0],
    [s, s],
    [s, -s],
    [2 * s, 0],
  ] as const) {
    let num = 0
    let den = 0
    for (let i = 0; i < n; i++) {
      num += omega[i]! * (w[i]! - c * z[i]! - d * y[i]!)
      den += omega[i]!
    }
    consider(num / den, d, c)
  }
  return best
}

/** Nelder–Mead in two dimensions (standard coefficients 1, 2, ½, ½). */
function nelderMead2(f: (x: number, y: number) => number, x0: number, y0: number, dx: number, dy: number, iterations: number): { x: number; y: number; f: number } {
  let pts: Array<[number, number, number]> = [
    [x0, y0, f(x0, y0)],
    [x0 + dx, y0, f(x0 + dx, y0)],
    [x0, y0 + dy, f(x0, y0 + dy)],
  ]
  for (let it = 0; it < iterations; it++) {
    pts.sort((p, q) => p[2] - q[2])
    const [b, g, w] = pts as [[number, number, number], [number, number, number], [number, number, number]]
    if (Math.abs(w[2] - b[2]) <= 1e-15 * (Math.abs(b[2]) + 1e-30) && it > 20) break
    const cx = (b[0] + g[0]) / 2
    const cy = (b[1] + g[1]) / 2
    const rx = cx + (cx - w[0])
    const ry = cy + (cy - w[1])
    const fr = f(rx, ry)
    if (fr < b[2]) {
      const ex = cx + 2 * (cx - w[0])
      const ey = cy + 2 * (cy - w[1])
      const fe = f(ex, ey)
      pts = fe < fr ? [b, g, [ex, ey, fe]] : [b, g, [rx, ry, fr]]
    } else if (fr < g[2]) {
      pts = [b, g, [rx, ry, fr]]
    } else {
      const outside = fr < w[2]
      const kx = outside ? cx + 0.5 * (rx - cx) : cx + 0.5 * (w[0] - cx)
      const ky = outside ? cy + 0.5 * (ry - cy) : cy + 0.5 * (w[1] - cy)
      const fk = f(kx, ky)
      if (fk < (outside ? fr : w[2])) pts = [b, g, [kx, ky, fk]]
      else {
        const sx = (p: [number, number, number]): [number, number, number] => {
          const nx = b[0] + 0.5 * (p[0] - b[0])
          const ny = b[1] + 0.5 * (p[1] - b[1])
          return [nx, ny, f(nx, ny)]
        }
        pts = [b, sx(g), sx(w)]
      }
    }
  }
  pts.sort((p, q) => p[2] - q[2])
  return { x: pts[0]![0], y: pts[0]![1], f: pts[0]![2] }
}

/**
 * Fits raw SVI to one expiry's implied vols.
 * @param k log-moneyness ln(K/F) per quote (length n ≥ 5)
 * @param iv implied vols per quote, decimal
 * @param T years to expiry, > 0
 * @param weights optional weight per quote on its implied-vol error (default 1: the objective is the plain
 *   sum of squared vol errors)
 * @returns the parameters and the fit quality in vol points
 * @throws RangeError for fewer than 5 quotes, non-finite inputs or T ≤ 0
 */
export function fitSvi(k: ArrayLike<number>, iv: ArrayLike<number>, T: number, weights?: ArrayLike<number>): SviFit {
  const n = k.length
  if (n < 5 || iv.length !== n) throw new RangeError(`SVI needs at least 5 quotes with a vol each, got ${n}`)
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`T = ${T}: expected years to expiry > 0`)
  const kk = new Float64Array(n)
  const w = new Float64Array(n)
  const omega = new Float64Array(n)
  let kMin = Infinity
  let kMax = -Infinity
  for (let i = 0; i < n; i++) {
    const ki = k[i]!
    const si = iv[i]!
    if (!Number.isFinite(ki) || !(si > 0) || !Number.isFinite(si)) throw new RangeError(`quote ${i}: k = ${ki}, iv = ${si}`)
    kk[i] = ki
    w[i] = si * si * T
    // Δw = 2σT·Δσ: weight 1/(2σT)² makes the objective Σ Δσ².
    omega[i] = (weights ? weights[i]! * weights[i]! : 1) / (4 * si * si * T * T)
    kMin = Math.min(kMin, ki)
    kMax = Math.max(kMax, ki)
  }
  const span = Math.max(kMax - kMin, 1e-4)
  const objective = (m: number, lnS: number): number => {
    const s = Math.exp(lnS)
    const r = innerFit(kk, w, omega, m, s)
    if (!r) return Infinity
    // Reject negative total variance anywhere (w_min = a + √(c² − d²)).
    const wMin = r.a + Math.sqrt(Math.max(0, r.c * r.c - r.d * r.d))
    if (!(wMin > 0)) return 1e300
    return r.sse
  }
  // Coarse grid over m ∈ [kMin − span/2, kMax + span/2], s ∈ [span/1000, 4·span] (log-spaced).
  const seeds: Array<{ m: number; lnS: number; f: number }> = []
  for (let i = 0; i <= 20; i++) {
    const m = kMin - span / 2 + (i / 20) * 2 * span
    for (let j = 0; j <= 14; j++) {
      const lnS = Math.log(span / 1000) + (j / 14) * Math.log(4000)
      seeds.push({ m, lnS, f: objective(m, lnS) })
    }
  }
  seeds.sort((p, q) => p.f - q.f)
  let best = { x: seeds[0]!.m, y: seeds[0]!.lnS, f: seeds[0]!.f }
  for (const seed of seeds.slice(0, 4)) {
    const r = nelderMead2(objective, seed.m, seed.lnS, span / 20, 0.3, 400)
    if (r.f < best.f) best = r
  }
  const s = Math.exp(best.y)
  const inner = innerFit(kk, w, omega, best.x, s)!
  const params: SviParams = { a: inner.a, b: inner.c / s, rho: inner.c > 0 ? inner.d / inner.c : 0, m: best.x, s }
  let sse = 0
  let wsse = 0
  let wsum = 0
  let maxAbs = 0
  for (let i = 0; i < n; i++) {
    const model = Math.sqrt(Math.max(sviTotalVariance(params, kk[i]!), 0) / T)
    const e = (model - iv[i]!) * 100
    const wi = weights ? weights[i]! * weights[i]! : 1
    sse += e * e
    wsse += wi * e * e
    wsum += wi
    maxAbs = Math.max(maxAbs, Math.abs(e))
  }
  return { params, rmseVolPoints: Math.sqrt(sse / n), weightedRmseVolPoints: Math.sqrt(wsse / wsum), maxAbsErrorVolPoints: maxAbs, n }
}
