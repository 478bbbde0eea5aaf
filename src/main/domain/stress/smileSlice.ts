/**
 * One expiry's smile as the stress engine and margin-under-stress read it for sticky-moneyness: a raw-SVI
 * slice (Gatheral 2004; fitted by pricing/volSurface/svi.ts) with flat wings beyond the quoted range.
 */

/** Raw-SVI total-variance slice w(k) = a + b(ρ(k−m) + √((k−m)² + ς²)), k = ln(K/F), clamped to [kLo, kHi]; vol = √(w/T). */
export interface SmileSlice {
  a: number
  b: number
  rho: number
  m: number
  /** SVI's ς (curvature scale in log-moneyness), > 0. */
  sigma: number
  /** Slice time to expiry, years. */
  T: number
  /** Quoted log-moneyness range; the smile is flat beyond it. */
  kLo: number
  kHi: number
}

/** Vol of a smile slice at log-moneyness k = ln(K/F) (flat wings beyond [kLo, kHi]), decimal. */
export function smileVol(s: SmileSlice, k: number): number {
  const kc = k < s.kLo ? s.kLo : k > s.kHi ? s.kHi : k
  const x = kc - s.m
  const w = s.a + s.b * (s.rho * x + Math.sqrt(x * x + s.sigma * s.sigma))
  return Math.sqrt((w > 0 ? w : 0) / s.T)
}
