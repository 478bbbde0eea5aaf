/**
 * Packs valued positions into the structure-of-arrays layout of `revaluationKernel.ts`, over shared
 * memory, computing each option's base Black-76 price once.
 */
import type { Instrument } from '../../shared/instrument'
import { black76PriceUnchecked } from '../domain/pricing/black76'
import type { PricingInputs } from '../domain/valuation/marketInputs'
import {
  KIND_INVERSE_FUTURE,
  KIND_INVERSE_OPTION,
  KIND_LINEAR_FUTURE,
  KIND_LINEAR_OPTION,
  KIND_SPOT,
  type PackedBook,
} from '../domain/stress/revaluationKernel'
import { sharedFloat64 } from './sharedArrays'

/** A position ready for the engine: quantity in the instrument's quantity unit, inputs resolved. */
export interface EnginePosition {
  instrument: Instrument
  quantity: number
  inputs: PricingInputs
}

export interface PackedBookWithUnderlyings {
  book: PackedBook
  /** Underlying names; `book.underlyingId` indexes into this list. */
  underlyings: string[]
}

function kindCode(instrument: Instrument): number {
  const inverse = instrument.settlement === 'inverse'
  switch (instrument.kind) {
    case 'option':
      return inverse ? KIND_INVERSE_OPTION : KIND_LINEAR_OPTION
    case 'future':
    case 'perpetual':
      return inverse ? KIND_INVERSE_FUTURE : KIND_LINEAR_FUTURE
    case 'spot':
      return KIND_SPOT
  }
}

/** Packs positions in the given order (the order the kernel sums them in). */
export function packBook(positions: readonly EnginePosition[]): PackedBookWithUnderlyings {
  const n = positions.length
  const underlyings = [...new Set(positions.map((p) => p.instrument.underlying))].sort()
  const book: PackedBook = {
    n,
    kind: sharedFloat64(n),
    quantity: sharedFloat64(n),
    isCall: sharedFloat64(n),
    strike: sharedFloat64(n),
    T: sharedFloat64(n),
    underlying0: sharedFloat64(n),
    index0: sharedFloat64(n),
    sigma0: sharedFloat64(n),
    price0: sharedFloat64(n),
    underlyingId: sharedFloat64(n),
    nUnderlyings: underlyings.length,
  }
  positions.forEach((p, i) => {
    const { instrument, inputs } = p
    book.kind[i] = kindCode(instrument)
    book.quantity[i] = p.quantity
    book.underlying0[i] = inputs.underlying
    book.index0[i] = inputs.index
    book.underlyingId[i] = underlyings.indexOf(instrument.underlying)
    if (instrument.kind === 'option') {
      const isCall = instrument.optionType === 'call'
      book.isCall[i] = isCall ? 1 : 0
      book.strike[i] = instrument.strike!
      book.T[i] = inputs.T!
      book.sigma0[i] = inputs.sigma!
      book.price0[i] = black76PriceUnchecked(isCall, inputs.underlying, instrument.strike!, inputs.T!, inputs.sigma!)
    }
  })
  return { book, underlyings }
}
