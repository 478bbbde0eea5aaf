/**
 * Binance futures: liquidation prices of USDⓈ-M (linear) and COIN-M (inverse) positions, cross and
 * isolated, one-way and hedge mode, with the tier re-check the FAQ prescribes.
 *
 * USDⓈ-M [P] (FAQ b3c689c1f50a44cabb3a84e663b81d93; formula text from the 2020 FAQ copy in bradkyle/Qenv):
 *   LP = [WB − TMM1 + UPNL1 + cumB + cumL + cumS − Side_B·Pos_B·EP_B − Pos_L·EP_L + Pos_S·EP_S]
 *        / [Pos_B·MMR_B + Pos_L·MMR_L + Pos_S·MMR_S − Side_B·Pos_B − Pos_L + Pos_S]
 * COIN-M [P variables; formula D: solving "wallet + uPnL = MM at the liquidation price" for inverse
 * contracts, reconciled with Binance's calculator on one case, see the research note §2.3]:
 *   LP = [Pos_B·MMR_B + Pos_L·MMR_L + Pos_S·MMR_S + Side_B·Pos_B + Pos_L − Pos_S]
 *        / [(WB − TMM1 + UPNL1 + cumB + cumL + cumS)/CM + Side_B·Pos_B/EP_B + Pos_L/EP_L − Pos_S/EP_S]
 * WB: cross wallet balance (cross) or the position's isolated wallet (isolated, where TMM1 = UPNL1 = 0);
 * TMM1, UPNL1: maintenance margin and unrealised P&L of all other contracts (held fixed); positions are
 * absolute sizes (USDⓈ-M: base coin; COIN-M: contracts of CM USD); B = one-way ("BOTH"), L/S = hedge mode.
 * Units: USDⓈ-M WB/TMM1/UPNL1/cum in USDT(USDC), prices USDT; COIN-M in coin, prices USD.
 *
 * Tier re-check [P]: "if the position notional at the liquidation price falls in a different bracket than
 * the one assumed, recompute with that bracket's MMR and maintenance amount". `binanceLiquidationPriceTiered`
 * iterates this from the bracket at the entry price; because MM is continuous in notional (tiers.ts), the
 * fixed point is the root of the continuous equation; if the iteration cycles it falls back to testing every
 * bracket (combination) for consistency.
 */
import { tierFor, type Tier, type TierTable } from './tiers'

export type BinanceSide = 'long' | 'short'

/** One position side with its bracket rates. */
export interface BinanceLegRates {
  /** Absolute size: base coin (USDⓈ-M) or contracts (COIN-M). */
  size: number
  /** Entry price, USD(T). */
  entryPrice: number
  /** Maintenance-margin rate of the bracket, decimal. */
  mmr: number
  /** Maintenance amount (cum) of the bracket: USDT (USDⓈ-M) or coin (COIN-M). */
  cum: number
}

export interface BinanceLiquidationInput {
  /** WB: cross wallet balance (cross) or isolated wallet of the position (isolated). */
  walletBalance: number
  /** TMM1 (cross only; 0 isolated). */
  otherMaintenanceMargin?: number
  /** UPNL1 (cross only; 0 isolated). */
  otherUnrealizedPnl?: number
  /** One-way mode position ("BOTH"), with its side. */
  both?: BinanceLegRates & { side: BinanceSide }
  /** Hedge mode long and short positions of the symbol. */
  long?: BinanceLegRates
  short?: BinanceLegRates
}

/** Thrown for inputs outside the formulas' domain. */
export class BinanceInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'BinanceInputError'
  }
}

function legs(input: BinanceLiquidationInput) {
  if (!input.both && !input.long && !input.short) throw new BinanceInputError('no position given')
  if (input.both && (input.long || input.short)) throw new BinanceInputError('one-way (both) and hedge (long/short) positions together')
  for (const [name, leg] of [['both', input.both], ['long', input.long], ['short', input.short]] as const) {
    if (!leg) continue
    if (!(leg.size >= 0) || !(leg.entryPrice > 0) || !(leg.mmr >= 0) || !Number.isFinite(leg.cum))
      throw new BinanceInputError(`${name}: size ≥ 0, entry price > 0, MMR ≥ 0 and a finite cum required`)
  }
  const sideB = input.both ? (input.both.side === 'long' ? 1 : -1) : 0
  return { B: input.both, L: input.long, S: input.short, sideB }
}

/**
 * USDⓈ-M liquidation price (formula in the module comment), for the brackets given.
 * @returns the price in USDT; ≤ 0 or non-finite means no liquidation price (Binance shows "--")
 * @throws BinanceInputError for no position, mixed one-way/hedge input, or invalid sizes/prices.
 */
export function binanceUsdmLiquidationPrice(input: BinanceLiquidationInput): number {
  const { B, L, S, sideB } = legs(input)
  const num =
    input.walletBalance -
    (input.otherMaintenanceMargin ?? 0) +
    (input.otherUnrealizedPnl ?? 0) +
    (B?.cum ?? 0) +
    (L?.cum ?? 0) +
    (S?.cum ?? 0) -
    sideB * (B?.size ?? 0) * (B?.entryPrice ?? 0) -
    (L ? L.size * L.entryPrice : 0) +
    (S ? S.size * S.entryPrice : 0)
  const den =
    (B ? B.size * B.mmr : 0) +
    (L ? L.size * L.mmr : 0) +
    (S ? S.size * S.mmr : 0) -
    sideB * (B?.size ?? 0) -
    (L?.size ?? 0) +
    (S?.size ?? 0)
  return num / den
}

/**
 * COIN-M liquidation price (formula in the module comment; [D] reconstruction).
 * @param contractSize CM, USD per contract (BTCUSD: 100)
 * @returns the price in USD; ≤ 0 or non-finite means no liquidation price
 * @throws BinanceInputError as binanceUsdmLiquidationPrice, or a non-positive contract size.
 */
export function binanceCoinmLiquidationPrice(input: BinanceLiquidationInput & { contractSize: number }): number {
  const { B, L, S, sideB } = legs(input)
  if (!(input.contractSize > 0)) throw new BinanceInputError(`contract size ${input.contractSize}: expected > 0`)
  const num =
    (B ? B.size * B.mmr : 0) + (L ? L.size * L.mmr : 0) + (S ? S.size * S.mmr : 0) + sideB * (B?.size ?? 0) + (L?.size ?? 0) - (S?.size ?? 0)
  const den =
    (input.walletBalance - (input.otherMaintenanceMargin ?? 0) + (input.otherUnrealizedPnl ?? 0) + (B?.cum ?? 0) + (L?.cum ?? 0) + (S?.cum ?? 0)) /
      input.contractSize +
    (B ? (sideB * B.size) / B.entryPrice : 0) +
    (L ? L.size / L.entryPrice : 0) -
    (S ? S.size / S.entryPrice : 0)
  return num / den
}

/** A leg without rates: the brackets supply them. */
export interface BinanceLeg {
  size: number
  entryPrice: number
}

export interface BinanceTieredInput {
  /** `usdm`: linear, notional = size × price (USDT); `coinm`: inverse, notional = size × CM ÷ price (coin). */
  kind: 'usdm' | 'coinm'
  walletBalance: number
  otherMaintenanceMargin?: number
  otherUnrealizedPnl?: number
  both?: BinanceLeg & { side: BinanceSide }
  long?: BinanceLeg
  short?: BinanceLeg
  /** The symbol's brackets (tiers.ts `buildTierTable`). */
  brackets: TierTable
  /** COIN-M contract size CM in USD. */
  contractSize?: number
  /** Iteration cap; default 50. */
  maxIterations?: number
}

export interface BinanceTieredResult {
  /** Null when there is no liquidation price (Binance shows "--"). */
  liquidationPrice: number | null
  /** Bracket used per leg at the solution. */
  tiers: { both?: Tier; long?: Tier; short?: Tier }
  /** Liquidation price computed at each step of the re-check, starting from the brackets at entry. */
  iterations: number[]
  /** 'iteration' when the FAQ's re-check converged; 'scan' when it cycled and every bracket was tested. */
  method: 'iteration' | 'scan'
  /** A notional beyond the last published bracket was involved. */
  beyondTable: boolean
}

/**
 * Liquidation price with the brackets chosen as Binance prescribes (re-check until the notional at the
 * liquidation price lies in the bracket used).
 * @throws BinanceInputError for bad input, or when no bracket (combination) is consistent.
 */
export function binanceLiquidationPriceTiered(input: BinanceTieredInput): BinanceTieredResult {
  const cm = input.contractSize ?? 0
  if (input.kind === 'coinm' && !(cm > 0)) throw new BinanceInputError('COIN-M needs a contract size')
  const notionalAt = (size: number, price: number) => (input.kind === 'usdm' ? size * price : (size * cm) / price)
  const names = (['both', 'long', 'short'] as const).filter((k) => input[k] !== undefined)
  const solve = (tiers: Record<string, Tier>) => {
    const li: BinanceLiquidationInput = { walletBalance: input.walletBalance }
    if (input.otherMaintenanceMargin !== undefined) li.otherMaintenanceMargin = input.otherMaintenanceMargin
    if (input.otherUnrealizedPnl !== undefined) li.otherUnrealizedPnl = input.otherUnrealizedPnl
    if (input.both) li.both = { ...input.both, mmr: tiers.both!.mmr, cum: tiers.both!.maintenanceAmount }
    if (input.long) li.long = { ...input.long, mmr: tiers.long!.mmr, cum: tiers.long!.maintenanceAmount }
    if (input.short) li.short = { ...input.short, mmr: tiers.short!.mmr, cum: tiers.short!.maintenanceAmount }
    return input.kind === 'usdm' ? binanceUsdmLiquidationPrice(li) : binanceCoinmLiquidationPrice({ ...li, contractSize: cm })
  }
  let beyond = false
  const tiersAt = (price: (k: (typeof names)[number]) => number) => {
    const t: Record<string, Tier> = {}
    for (const k of names) {
      const leg = input[k]!
      const r = tierFor(input.brackets, notionalAt(leg.size, price(k)))
      beyond ||= r.beyondTable
      t[k] = r.tier
    }
    return t
  }
  const key = (t: Record<string, Tier>) => names.map((k) => t[k]!.tier).join(',')
  let tiers = tiersAt((k) => input[k]!.entryPrice)
  const iterations: number[] = []
  const seen = new Set<string>([key(tiers)])
  const maxIt = input.maxIterations ?? 50
  for (let i = 0; i < maxIt; i++) {
    const lp = solve(tiers)
    iterations.push(lp)
    if (!(lp > 0) || !Number.isFinite(lp)) return { liquidationPrice: null, tiers: pick(tiers), iterations, method: 'iteration', beyondTable: beyond }
    const next = tiersAt(() => lp)
    const k = key(next)
    if (k === key(tiers)) return { liquidationPrice: lp, tiers: pick(tiers), iterations, method: 'iteration', beyondTable: beyond }
    if (seen.has(k)) break
    seen.add(k)
    tiers = next
  }
  // Cycle: test every bracket combination for consistency.
  const all = input.brackets.tiers
  const combos: Record<string, Tier>[] = [{}]
  for (const k of names) {
    const grown: Record<string, Tier>[] = []
    for (const c of combos) for (const t of all) grown.push({ ...c, [k]: t })
    combos.splice(0, combos.length, ...grown)
  }
  for (const c of combos) {
    const lp = solve(c)
    if (!(lp > 0) || !Number.isFinite(lp)) continue
    if (key(tiersAt(() => lp)) === key(c)) return { liquidationPrice: lp, tiers: pick(c), iterations, method: 'scan', beyondTable: beyond }
  }
  throw new BinanceInputError('no bracket is consistent with its own liquidation price')

  function pick(t: Record<string, Tier>) {
    const out: BinanceTieredResult['tiers'] = {}
    if (t.both) out.both = t.both
    if (t.long) out.long = t.long
    if (t.short) out.short = t.short
    return out
  }
}
