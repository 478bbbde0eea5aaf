/**
 * Full revaluation of a packed book under packed scenarios: the stress engine's inner loop.
 *
 * Book and scenarios arrive as structure-of-arrays Float64Arrays (DESIGN.md §5), so the same code runs on the
 * main thread and in workers over SharedArrayBuffers. Every scenario's totals are summed over positions in
 * book order by exactly one caller, so results are bitwise identical however scenarios are split.
 *
 * Per position i and scenario k (u = the position's underlying, s = spot move of u in k):
 *  - index S₁ = S₀(1 + s); forwards and futures marks M₁ = M₀(1 + s)·e^{b·T_f} (b = basis shock, T_f = years to
 *    the contract's expiry; 0 for perpetuals and spot);
 *  - option vol: sticky-strike σ = mark vol, or sticky-moneyness σ = mark vol + smile(ln K/F₁) − smile(ln K/F₀);
 *    then the vol shock (volShock.ts) and its floor;
 *  - time: T₁ = T − Δt (or 0 "at expiry"); an option with T₁ ≤ 0 is worth its intrinsic value at F₁ (its
 *    settlement; inverse: intrinsic ÷ delivery price);
 *  - value (what the position adds to the book's equity, as revaluePosition.ts, the scalar twin, defines it):
 *      inverse option (q coin):      coin value c = q·max(m + V(F)/F − V₀/F₀, 0), m = the venue's coin mark,
 *                                    V = Black-76 USD price; USD value c·S
 *      linear option:                USD value q·max(m + V(F) − V₀, 0)
 *      inverse future/perp (q USD):  coin value c = h + q·(1/M₀ − 1/M₁) − (q/M₁)·funding, h = q·(1/E − 1/M₀)
 *                                    the coin its P&L since entry E holds; USD value c·S
 *      linear future/perp:           USD value h + q·(M₁ − M₀) − q·M₁·funding, h = q·(M₀ − E)
 *      spot (holdings, balances):    USD value q·M₁
 *    funding (perpetuals) = rate per 8 h × 3 × days, on the position's value at M₁, paid by longs when > 0;
 *  - P&L = value₁ − value₀ in USD (so coin the book already holds is revalued at the shocked index), and in
 *    coin of the position's underlying value₁/S₁ − value₀/S₀ (inverse: c₁ − c₀, its coin P&L; spot: 0);
 *    the same model at the unshocked inputs gives value₀, so a zero scenario gives exactly zero;
 *  - liquidity (when on): the close-out cost of liquidityTable.ts at the shocked state, subtracted from P&L;
 *  - explain: the delta-gamma-vega-theta Taylor estimate a₁·s + ½a₂·s² + ν·Δσ + θ·Δt with coefficients from
 *    the unshocked Greeks (see taylorCoefficients.ts); s is the forward's own relative move;
 *  - balances (isBalance = 1) are summed apart as well, so a run reports the whole book and derivatives only.
 * A position whose P&L is not finite in a scenario is left out of that scenario's totals and counted in
 * `badScenarios[i]`, so one bad position never poisons a total.
 */
import { black76PriceFromLogMoneyness } from '../pricing/black76'
import { normCdf, normPdf } from '../pricing/normal'
import { DAYS_PER_YEAR } from '../time'
import { shockVol } from './volShock'

export const KIND_INVERSE_OPTION = 0
export const KIND_LINEAR_OPTION = 1
export const KIND_INVERSE_FUTURE = 2
export const KIND_LINEAR_FUTURE = 3
export const KIND_SPOT = 4

/** A book as structure-of-arrays; every array has length `n` (one entry per position). */
export interface PackedBook {
  n: number
  nUnderlyings: number
  /** KIND_* code. */
  kind: Float64Array
  /** Signed quantity: coin (options, linear, spot) or USD face (inverse futures). */
  quantity: Float64Array
  /** 1 for calls. */
  isCall: Float64Array
  /** 1 for perpetuals (funding applies). */
  isPerpetual: Float64Array
  /** Strike, USD (options). */
  strike: Float64Array
  /** Years to expiry (options and dated futures; 0 for perpetuals and spot). */
  T: Float64Array
  /** Forward (options), futures mark or spot price, USD. */
  underlying0: Float64Array
  /** Index price, USD. */
  index0: Float64Array
  /** Mark vol, decimal (options). */
  sigma0: Float64Array
  /** Black-76 USD price per unit at the unshocked inputs (options). */
  price0: Float64Array
  /** Options: the venue's mark per unit in the price unit (coin for inverse). */
  mark0: Float64Array
  /** Options: the model price per unit in the price unit (inverse: price0 ÷ forward, hoisted out of the loop). */
  modelPrice0: Float64Array
  /** The position's value now: options q × mark0 in the price unit, and that in USD. */
  value0: Float64Array
  value0Usd: Float64Array
  /** Futures: the value the position holds now from its P&L since entry (coin for inverse, USD for linear). */
  held0: Float64Array
  /** 1 for a balance (collateral or a spot holding of an account), summed apart from derivatives. */
  isBalance: Float64Array
  /** ln(F₀/K) and √T of options, hoisted out of the scenario loop. */
  logMoneyness0: Float64Array
  sqrtT0: Float64Array
  /** Index of the position's underlying (0 … nUnderlyings − 1); scenarios give one spot and vol shock per underlying. */
  underlyingId: Float64Array
  /** Taylor coefficients: USD P&L per unit relative move, per (relative move)², per 1.00 vol, per year. */
  taylorS: Float64Array
  taylorSS: Float64Array
  taylorVol: Float64Array
  taylorTime: Float64Array
  /** Liquidity parameters (liquidityTable.ts): half spread (fraction; options: vol points), daily volume USD, daily vol. */
  liqHalfSpread: Float64Array
  liqVolumeUsd: Float64Array
  liqDailyVol: Float64Array
  /** Smile for sticky-moneyness, raw SVI total variance w(k) = a + b(ρ(k−m) + √((k−m)² + ς²)) of the option's
   * expiry slice, k = ln(K/F), clamped to [kLo, kHi] (flat wings), vol = √(w/Tslice); hasSmile 0 = none. */
  hasSmile: Float64Array
  sviA: Float64Array
  sviB: Float64Array
  sviRho: Float64Array
  sviM: Float64Array
  sviSig: Float64Array
  sviT: Float64Array
  sviKLo: Float64Array
  sviKHi: Float64Array
}

/** Scenarios as structure-of-arrays: `n` entries, per-underlying fields n × nUnderlyings (scenario-major). */
export interface PackedScenarios {
  n: number
  nUnderlyings: number
  /** Relative spot move per (scenario, underlying). */
  spotShock: Float64Array
  /** Vol shock size per (scenario, underlying): vol points (absolute) or fraction (relative). */
  volSize: Float64Array
  /** 1 = relative vol shock. */
  volRelative: Float64Array
  /** Term scaling: reference days (0 = parallel), powers and split days. */
  termRefDays: Float64Array
  termPowerShort: Float64Array
  termPowerLong: Float64Array
  termSplitDays: Float64Array
  /** Vol floor, decimal. */
  volFloor: Float64Array
  /** 1 = sticky-moneyness. */
  stickyMoneyness: Float64Array
  /** Time shift, years. */
  dtYears: Float64Array
  /** 1 = every option at its own expiry. */
  atExpiry: Float64Array
  /** Basis shock, annualised decimal. */
  basisShock: Float64Array
  /** Funding rate per 8 h (0 = none). */
  funding8h: Float64Array
  /** Spread multiple. */
  spreadWidening: Float64Array
}

/** Where a range of scenarios writes; every array is shared by all workers, each writes only its scenarios. */
export interface KernelOutput {
  /** USD P&L per scenario (net of liquidity cost when it is on), length n. */
  pnlUsd: Float64Array
  /** Coin P&L per (scenario, underlying), length n × nUnderlyings. */
  pnlCoin: Float64Array
  /** USD P&L per (scenario, group), length n × nGroups. */
  groupPnlUsd: Float64Array
  /** Taylor estimate per scenario, USD, length n. */
  taylorUsd: Float64Array
  /** Liquidity (close-out) cost per scenario, USD ≥ 0, length n. */
  liquidityUsd: Float64Array
  /** USD P&L of the balances per scenario, length n (derivatives only = pnlUsd − this). */
  balancePnlUsd: Float64Array
  /** Coin P&L of the balances per (scenario, underlying), length n × nUnderlyings. */
  balancePnlCoin: Float64Array
  /** Per position: scenarios in which its P&L was not finite (length book.n); incremented atomically. */
  badScenarios: Int32Array
  /** Drill-down of a single-scenario run: per-position net P&L, Taylor estimate and liquidity cost, USD. */
  detail: { pnlUsd: Float64Array; taylorUsd: Float64Array; liquidityUsd: Float64Array } | null
}

export interface KernelOptions {
  /** Include liquidity costs. */
  liquidity: boolean
  impactY: number
  /** Group of each position (length book.n), 0 … nGroups − 1. */
  groupId: Float64Array
  nGroups: number
}


// Delta and vega (per vol point) of Black-76 at the shocked state, for the liquidity cost only.
let lqDelta = 0
let lqVega = 0
function deltaVega(isCall: boolean, F: number, K: number, T: number, sigma: number): void {
  if (T <= 0) {
    lqDelta = 0
    lqVega = 0
    return
  }
  const sqrtT = Math.sqrt(T)
  const sd = sigma * sqrtT
  const d1 = Math.log(F / K) / sd + 0.5 * sd
  lqDelta = isCall ? normCdf(d1) : -normCdf(-d1)
  lqVega = (F * normPdf(d1) * sqrtT) / 100
}

function smileVol(b: PackedBook, i: number, k: number): number {
  const kc = k < b.sviKLo[i]! ? b.sviKLo[i]! : k > b.sviKHi[i]! ? b.sviKHi[i]! : k
  const x = kc - b.sviM[i]!
  const sig = b.sviSig[i]!
  const w = b.sviA[i]! + b.sviB[i]! * (b.sviRho[i]! * x + Math.sqrt(x * x + sig * sig))
  return Math.sqrt((w > 0 ? w : 0) / b.sviT[i]!)
}

/** Revalues the book in scenarios [from, to) and writes their totals into `out`. */
export function revalueScenarios(
  book: PackedBook,
  sc: PackedScenarios,
  from: number,
  to: number,
  options: KernelOptions,
  out: KernelOutput,
): void {
  const { n, kind, quantity, isCall, isPerpetual, strike, T, underlying0, index0, sigma0, mark0, modelPrice0, value0, value0Usd, held0, isBalance, underlyingId } = book
  const nu = book.nUnderlyings
  const ng = options.nGroups
  const groupId = options.groupId
  const withLiquidity = options.liquidity
  const Y = options.impactY
  const detail = out.detail
  // Sums per underlying and per group are kept in thread-local arrays and written to shared memory once per
  // scenario: stores to a SharedArrayBuffer in the inner loop would cost more than the sums themselves.
  const coinSums = new Float64Array(nu)
  const balanceCoinSums = new Float64Array(nu)
  const groupSums = new Float64Array(ng)
  // ln(1 + s) per underlying: one logarithm per scenario and underlying instead of one per revaluation.
  const logFactor = new Float64Array(nu)
  for (let k = from; k < to; k++) {
    const dt = sc.dtYears[k]!
    const atExpiry = sc.atExpiry[k]! === 1
    const basis = sc.basisShock[k]!
    const funding = sc.funding8h[k]! * 3 * dt * DAYS_PER_YEAR // rate per 8 h × periods in the shift
    const relative = sc.volRelative[k]! === 1
    const refDays = sc.termRefDays[k]!
    const powShort = sc.termPowerShort[k]!
    const powLong = sc.termPowerLong[k]!
    const splitDays = sc.termSplitDays[k]!
    const floor = sc.volFloor[k]!
    const moneyness = sc.stickyMoneyness[k]! === 1
    const widening = sc.spreadWidening[k]!
    const base = k * nu
    const groupBase = k * ng
    coinSums.fill(0)
    balanceCoinSums.fill(0)
    groupSums.fill(0)
    for (let u = 0; u < nu; u++) logFactor[u] = Math.log1p(sc.spotShock[base + u]!)
    const timeMoves = atExpiry || dt !== 0
    let usd = 0
    let balanceUsd = 0
    let taylor = 0
    let liquidity = 0
    for (let i = 0; i < n; i++) {
      const code = kind[i]!
      const q = quantity[i]!
      const u = underlyingId[i]!
      const s = sc.spotShock[base + u]!
      const factor = 1 + s
      const m0 = underlying0[i]!
      const t0 = T[i]!
      const m1 = basis === 0 || t0 <= 0 ? m0 * factor : m0 * factor * Math.exp(basis * t0)
      const i0 = index0[i]!
      const s1 = i0 * factor
      let pnlUsd: number
      let pnlCoin: number
      // Balances are spot lines: only the spot branch reads the flag.
      let balance = false
      let cost = 0
      let estimate: number
      if (code === KIND_INVERSE_OPTION || code === KIND_LINEAR_OPTION) {
        const call = isCall[i]! === 1
        const K = strike[i]!
        const x0 = book.logMoneyness0[i]!
        const x1 = basis === 0 ? x0 + logFactor[u]! : x0 + logFactor[u]! + basis * t0
        let sigmaBase = sigma0[i]!
        if (moneyness && book.hasSmile[i]! === 1) sigmaBase += smileVol(book, i, -x1) - smileVol(book, i, -x0)
        const sigma = shockVol(sigmaBase, t0 * DAYS_PER_YEAR, sc.volSize[base + u]!, relative, refDays, powShort, powLong, splitDays, floor)
        const t1 = atExpiry ? 0 : t0 - dt
        const sqrtT1 = !timeMoves ? book.sqrtT0[i]! : t1 > 0 ? Math.sqrt(t1) : 0
        const v1 = black76PriceFromLogMoneyness(call, m1, K, x1, sqrtT1, sigma)
        // The venue's mark moves by the model's change and is floored at 0 (revaluePosition.ts).
        if (code === KIND_INVERSE_OPTION) {
          const moved = mark0[i]! + (v1 / m1 - modelPrice0[i]!)
          const c1 = q * (moved > 0 ? moved : 0)
          pnlCoin = c1 - value0[i]!
          pnlUsd = c1 * s1 - value0Usd[i]!
        } else {
          const moved = mark0[i]! + (v1 - modelPrice0[i]!)
          const v = q * (moved > 0 ? moved : 0)
          pnlUsd = v - value0Usd[i]!
          pnlCoin = v / s1 - value0Usd[i]! / i0
        }
        const sf = m1 / m0 - 1
        const dSigma = sigma - sigma0[i]!
        const dtEff = atExpiry || dt > t0 ? t0 : dt
        estimate = book.taylorS[i]! * sf + 0.5 * book.taylorSS[i]! * sf * sf + book.taylorVol[i]! * dSigma + book.taylorTime[i]! * dtEff
        if (withLiquidity && t1 > 0) {
          deltaVega(call, m1, K, t1, sigma)
          const vegaUsd = code === KIND_INVERSE_OPTION ? (q * lqVega * s1) / m1 : q * lqVega
          const nd = Math.abs(q * lqDelta) * s1
          const h = book.liqHalfSpread[i]!
          cost = Math.abs(vegaUsd) * h * widening + Y * book.liqDailyVol[i]! * Math.sqrt(nd / book.liqVolumeUsd[i]!) * nd
        }
      } else {
        const perp = isPerpetual[i]! === 1
        const h = held0[i]!
        if (code === KIND_INVERSE_FUTURE) {
          // Coin P&L of the move, and the coin the position already holds revalued at the shocked index.
          pnlCoin = q * (1 / m0 - 1 / m1) - (perp ? (q / m1) * funding : 0)
          pnlUsd = (h + pnlCoin) * s1 - h * i0
        } else if (code === KIND_LINEAR_FUTURE) {
          pnlUsd = q * (m1 - m0) - (perp ? q * m1 * funding : 0)
          pnlCoin = (h + pnlUsd) / s1 - h / i0
        } else {
          // Spot: q·M in USD, q in its own coin whatever the price.
          pnlUsd = q * (m1 - m0)
          pnlCoin = 0
          balance = isBalance[i]! === 1
        }
        estimate = book.taylorS[i]! * s
        if (withLiquidity) {
          const notional = Math.abs(code === KIND_INVERSE_FUTURE ? q : q * m1)
          cost = notional * (book.liqHalfSpread[i]! * widening + Y * book.liqDailyVol[i]! * Math.sqrt(notional / book.liqVolumeUsd[i]!))
        }
      }
      const net = pnlUsd - cost
      if (detail !== null) {
        detail.pnlUsd[i] = net
        detail.taylorUsd[i] = estimate
        detail.liquidityUsd[i] = cost
      }
      // NaN and ±Infinity survive a sum, so one test covers all three figures.
      if (!Number.isFinite(net + pnlCoin + estimate)) {
        Atomics.add(out.badScenarios, i, 1)
        continue
      }
      usd += net
      taylor += estimate
      liquidity += cost
      coinSums[u] += pnlCoin - cost / s1
      groupSums[groupId[i]!] += net
      if (balance) {
        balanceUsd += net
        balanceCoinSums[u] += pnlCoin - cost / s1
      }
    }
    for (let u = 0; u < nu; u++) {
      out.pnlCoin[base + u] = coinSums[u]!
      out.balancePnlCoin[base + u] = balanceCoinSums[u]!
    }
    for (let g = 0; g < ng; g++) out.groupPnlUsd[groupBase + g] = groupSums[g]!
    out.pnlUsd[k] = usd
    out.balancePnlUsd[k] = balanceUsd
    out.taylorUsd[k] = taylor
    out.liquidityUsd[k] = liquidity
  }
}
