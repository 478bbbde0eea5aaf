/**
 * Seeded, reproducible random streams for Monte Carlo: one stream per block of paths, so a path's draws depend
 * only on the seed and its block, never on which worker runs it or how many workers there are.
 *
 * Block b's generator is xoroshiro128+ (pure-rand) seeded with the run's seed and jumped b times (each jump
 * moves 2⁶⁴ draws ahead, so blocks never overlap: Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2021). Uniforms are 53-bit doubles (pure-rand uniformFloat64); normals by inversion,
 * Φ⁻¹(u) (pricing/normal.ts, accurate to a few ulp; 0 is redrawn), and χ² variates from stdlib's sampler
 * (@stdlib/random-base-chisquare, Marsaglia–Tsang gamma) driven by the same stream.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import chisquare from '@stdlib/random-base-chisquare'
import { normCdfInverse } from '../pricing/normal'

/** Paths per block: each block has its own stream. */
export const PATHS_PER_BLOCK = 1024

export interface BlockStream {
  normal(): number
  /** A χ² variate with `df` degrees of freedom. */
  chiSquare(): number
}

/**
 * The stream of block `block` under `seed`.
 * @param seed a whole number in [0, 2³²)
 * @param df χ² degrees of freedom for `chiSquare` (Infinity: chiSquare is not used)
 */
export function blockStream(seed: number, block: number, df: number): BlockStream {
  const rng = xoroshiro128plus(seed | 0)
  for (let b = 0; b < block; b++) rng.jump()
  const prng = () => uniformFloat64(rng)
  const n = () => {
    let u = uniformFloat64(rng)
    while (u === 0) u = uniformFloat64(rng)
    return normCdfInverse(u)
  }
  const c = Number.isFinite(df) ? chisquare.factory(df, { prng }) : () => NaN
  return { normal: n, chiSquare: c }
}
