/**
 * Packs valued positions into the structure-of-arrays book of revaluationKernel.ts over shared memory,
 * computing once per position what every scenario reuses: the base Black-76 price, the Taylor coefficients,
 * the liquidity parameters and the smile slice.
 */
import type { Instrument } from '../../shared/instrument'
import { black76, black76PriceFromLogMoneyness } from '../domain/pricing/black76'
import { liquidityRow, type LiquidityTable } from '../domain/stress/liquidityTable'
import type { SmileSlice } from '../domain/stress/smileSlice'
import {
  KIND_INVERSE_FUTURE,
  KIND_INVERSE_OPTION,
  KIND_LINEAR_FUTURE,
  KIND_LINEAR_OPTION,
  KIND_SPOT,
  type PackedBook,
} from '../domain/stress/revaluationKernel'
import { linearTaylor, optionTaylor, type TaylorCoefficients } from '../domain/stress/taylorCoefficients'
import { DAYS_PER_YEAR, yearFraction } from '../domain/time'
import type { MarketInputs } from '../domain/valuation/marketInputs'
import { sharedFloat64 } from './sharedArrays'

/** A position ready for the engine: quantity in the instrument's quantity unit, inputs resolved. */
export interface EnginePosition {
  instrument: Instrument
  quantity: number
  inputs: MarketInputs
  /** Entry price in the instrument's price unit; absent or null = unknown (futures are then measured from
   * their current mark, holding no P&L yet). */
  entryPrice?: number | null
  /** A balance of an account (collateral, spot holding): held, never closed out, so no liquidity cost. */
  isBalance?: boolean
}

export type { SmileSlice }

export interface PackOptions {
  liquidity: LiquidityTable
  /** The smile of an option's expiry slice for sticky-moneyness; null when there is none. */
  smile?: (instrument: Instrument, inputs: MarketInputs) => SmileSlice | null
}

export interface PackedBookWithUnderlyings {
  book: PackedBook
  /** Underlying names; `book.underlyingId` indexes into this list, and scenarios are packed in this order. */
  underlyings: string[]
  /** Assumptions the packing made (e.g. a liquidity fallback row), one sentence each. */
  assumptions: string[]
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

const FIELDS = [
  'kind', 'quantity', 'isCall', 'isPerpetual', 'strike', 'T', 'underlying0', 'index0', 'sigma0', 'price0', 'mark0', 'modelPrice0', 'value0',
  'value0Usd', 'held0', 'isBalance',
  'logMoneyness0', 'sqrtT0',
  'underlyingId', 'taylorS', 'taylorSS', 'taylorVol', 'taylorTime', 'liqHalfSpread', 'liqVolumeUsd', 'liqDailyVol',
  'hasSmile', 'sviA', 'sviB', 'sviRho', 'sviM', 'sviSig', 'sviT', 'sviKLo', 'sviKHi',
] as const

/** Packs positions in the given order (the order the kernel sums them in). */
export function packBook(positions: readonly EnginePosition[], options: PackOptions): PackedBookWithUnderlyings {
  const n = positions.length
  const underlyings = [...new Set(positions.map((p) => p.instrument.underlying))].sort()
  const book = Object.fromEntries(FIELDS.map((f) => [f, sharedFloat64(n)])) as unknown as PackedBook
  book.n = n
  book.nUnderlyings = underlyings.length
  const assumptions = new Set<string>()
  positions.forEach((p, i) => {
    const { instrument, inputs } = p
    const q = p.quantity
    const code = kindCode(instrument)
    const inverse = instrument.settlement === 'inverse'
    const { row, fallback } = liquidityRow(options.liquidity, instrument.underlying)
    if (fallback && !p.isBalance) assumptions.add(`no liquidity row for ${instrument.underlying}: the "*" fallback row was used`)
    book.kind[i] = code
    book.quantity[i] = q
    book.underlying0[i] = inputs.underlying
    book.index0[i] = inputs.index
    book.underlyingId[i] = underlyings.indexOf(instrument.underlying)
    book.isPerpetual[i] = instrument.kind === 'perpetual' ? 1 : 0
    book.liqDailyVol[i] = row.dailyVol
    let t: TaylorCoefficients
    if (code === KIND_INVERSE_OPTION || code === KIND_LINEAR_OPTION) {
      const isCall = instrument.optionType === 'call'
      const K = instrument.strike!
      const T = inputs.T!
      const sigma = inputs.sigma!
      book.isCall[i] = isCall ? 1 : 0
      book.strike[i] = K
      book.T[i] = T
      book.sigma0[i] = sigma
      // The kernel prices from ln(F/K) and √T; the base price comes from the very same call, so a zero shock
      // reproduces it bit for bit.
      book.logMoneyness0[i] = Math.log(inputs.underlying / K)
      book.sqrtT0[i] = T > 0 ? Math.sqrt(T) : 0
      book.price0[i] = black76PriceFromLogMoneyness(isCall, inputs.underlying, K, book.logMoneyness0[i]!, book.sqrtT0[i]!, sigma)
      const g = black76({ type: instrument.optionType!, F: inputs.underlying, K, T, sigma })
      book.mark0[i] = inputs.mark
      // Hoisted: the model price in the price unit, and the value now (the kernel's zero scenario gives 0 exactly).
      book.modelPrice0[i] = inverse ? book.price0[i]! / inputs.underlying : book.price0[i]!
      book.value0[i] = q * inputs.mark
      book.value0Usd[i] = inverse ? q * inputs.mark * inputs.index : q * inputs.mark
      t = optionTaylor(
        inverse,
        q,
        inputs.underlying,
        inputs.index,
        { price: g.price, delta: g.delta, gamma: g.gamma, vegaPerUnitVol: g.vega * 100, thetaPerYear: g.theta * DAYS_PER_YEAR },
        inverse ? q * inputs.mark : 0,
      )
      book.liqHalfSpread[i] = row.optionHalfSpreadVolPoints
      book.liqVolumeUsd[i] = row.optionsVolumeUsd
      const smile = options.smile?.(instrument, inputs) ?? null
      if (smile) {
        book.hasSmile[i] = 1
        book.sviA[i] = smile.a
        book.sviB[i] = smile.b
        book.sviRho[i] = smile.rho
        book.sviM[i] = smile.m
        book.sviSig[i] = smile.sigma
        book.sviT[i] = smile.T
        book.sviKLo[i] = smile.kLo
        book.sviKHi[i] = smile.kHi
      }
    } else {
      book.T[i] = instrument.kind === 'future' && instrument.expiryMs !== null ? Math.max(yearFraction(inputs.asOfMs, instrument.expiryMs), 0) : 0
      // What the position already holds from its P&L since entry (the scalar pricer's h, revaluePosition.ts).
      const entry = p.entryPrice ?? null
      const held = entry === null || code === KIND_SPOT ? 0 : code === KIND_INVERSE_FUTURE ? q * (1 / entry - 1 / inputs.underlying) : q * (inputs.underlying - entry)
      book.held0[i] = held
      t = linearTaylor(code === KIND_INVERSE_FUTURE, q, inputs.underlying, inputs.index, code === KIND_INVERSE_FUTURE ? held : 0)
      book.liqHalfSpread[i] = row.halfSpread
      book.liqVolumeUsd[i] = row.futuresVolumeUsd
    }
    if (p.isBalance) {
      // Balances are held, not closed out: no spread and no impact.
      book.isBalance[i] = 1
      book.liqHalfSpread[i] = 0
      book.liqVolumeUsd[i] = Infinity
    }
    book.taylorS[i] = t.a1
    book.taylorSS[i] = t.a2
    book.taylorVol[i] = t.vega
    book.taylorTime[i] = t.theta
  })
  return { book, underlyings, assumptions: [...assumptions] }
}
