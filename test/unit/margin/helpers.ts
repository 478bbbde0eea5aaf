/**
 * Builders for margin tests: instruments, positions, accounts, and a seeded pseudo-random generator for the
 * property tests (deterministic: a failure reproduces).
 */
import type { MarginAccount, MarginInstrument, MarginPosition } from '../../../src/main/domain/margin/account'

export function linearFuture(name: string, underlying = 'BTC', kind: 'future' | 'perpetual' = 'perpetual'): MarginInstrument {
  return { name, kind, settlement: 'linear', underlying, quantityUnit: 'coin', priceUnit: 'usd', strike: null, optionType: null }
}

export function inverseFuture(name: string, underlying = 'BTC', kind: 'future' | 'perpetual' = 'perpetual'): MarginInstrument {
  return { name, kind, settlement: 'inverse', underlying, quantityUnit: 'usd', priceUnit: 'usd', strike: null, optionType: null }
}

export function inverseOption(name: string, strike: number, optionType: 'call' | 'put', underlying = 'BTC'): MarginInstrument {
  return { name, kind: 'option', settlement: 'inverse', underlying, quantityUnit: 'coin', priceUnit: 'coin', strike, optionType }
}

/** A futures position marked at `mark` with index = mark. */
export function futurePosition(
  instrument: MarginInstrument,
  quantity: number,
  entryPrice: number,
  mark: number,
  extra: Partial<MarginPosition> = {},
): MarginPosition {
  return { id: instrument.name, instrument, quantity, entryPrice, market: { index: mark, underlying: mark, sigma: null, T: null }, ...extra }
}

export function account(
  marginCurrency: string,
  collateral: number,
  positions: MarginPosition[],
  extra: Partial<MarginAccount> = {},
): MarginAccount {
  return { venue: 'test', name: 'acct', marginCurrency, collateral: [{ currency: marginCurrency, amount: collateral }], positions, ...extra }
}

/** Mulberry32, a small seeded PRNG in [0, 1) (shared with the benchmarks). */
export { seededRandom as rng } from '../../../bench/syntheticBook'

/** Relative difference |a − b| / |b|. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b)
}
