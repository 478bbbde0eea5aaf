/**
 * Deterministic synthetic books for benchmarks: crypto-like inverse options (T from 1 hour to 2 years,
 * σ 20%–200%, K/F 0.5–2) from a seeded generator, so every run measures the same work.
 */
import { parseDeribitInstrument } from '../src/main/domain/instruments/deribitInstrument'
import { black76PriceUnchecked } from '../src/main/domain/pricing/black76'
import type { EnginePosition } from '../src/main/engine/packBook'

/** Mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `n` inverse BTC option positions around a forward of 50,000 USD, each marked at its Black-76 value in coin. */
export function syntheticOptionBook(n: number, seed = 42): EnginePosition[] {
  const rand = seededRandom(seed)
  const call = parseDeribitInstrument('BTC-26JUN20-10000-C')
  const put = parseDeribitInstrument('BTC-26JUN20-10000-P')
  const F = 50_000
  return Array.from({ length: n }, () => {
    const isCall = rand() < 0.5
    const strike = Math.round(F * 0.5 * 4 ** rand())
    const T = (1 / 8760) * (2 * 8760) ** rand()
    const sigma = 0.2 + 1.8 * rand()
    return {
      instrument: { ...(isCall ? call : put), strike },
      quantity: Math.round((rand() - 0.5) * 200) / 10 || 1,
      inputs: { index: F * 0.999, underlying: F, sigma, T, mark: black76PriceUnchecked(isCall, F, strike, T, sigma) / F, markSource: 'synthetic', asOfMs: 0 },
    }
  })
}
