/**
 * Tiered maintenance margin ("tax brackets"): Binance leverage brackets, Bybit risk limits, OKX position
 * tiers.
 *
 * Binance (USDⓈ-M and COIN-M) and Bybit state the same construction:
 *   MM = notional × MMR(tier) − amount(tier),
 *   amount(n) = floor(n) × (MMR(n) − MMR(n−1)) + amount(n−1),  amount(1) = 0,
 * where floor(n) is the tier's lower notional bound (Binance `notionalFloor`; Bybit: the previous tier's
 * risk limit). The amount ("cum" at Binance, "MM deduction" at Bybit) makes MM continuous at every
 * boundary, so MM is a continuous, piecewise-linear, increasing function of notional.
 * Sources: https://www.binance.com/en/futures/trading-rules/perpetual/portfolio-margin/notional-limit ;
 * Binance FAQ b3c689c1f50a44cabb3a84e663b81d93 ("Maintenance Amount formula"); Bybit
 * https://bybit-tr.com/en-TR/announcement-info/margin-parameters.
 *
 * Exactness: the recursion runs in decimal.js on the venue's decimal strings, so the amounts come out as the
 * venue prints them (1,300 not 1,299.9999999999998); the tiers are then exposed as float64 numbers for the
 * margin formulas, which run inside root finders and per scenario (DESIGN.md §4).
 *
 * OKX tiers carry no deduction: the tier's MMR applies to the whole position ([U] per the research note;
 * implied by OKX's tables), so OKX MM jumps at tier boundaries.
 */
import Decimal from 'decimal.js'
import type { OkxTierValues, TierRow, TierTableValues } from './params/brackets'

/** Thrown for a malformed tier table or a notional outside every tier. */
export class TierTableError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'TierTableError'
  }
}

/** One tier ready for the margin formulas. */
export interface Tier {
  /** 1-based tier number. */
  tier: number
  /** Lower bound of notional (inclusive), in the table's notional unit. */
  floor: number
  /** Upper bound (exclusive); Infinity when open-ended. */
  cap: number
  /** Maintenance-margin rate, decimal. */
  mmr: number
  /** Maintenance amount (cum / MM deduction), in the notional unit; exact decimal as a string too. */
  maintenanceAmount: number
  maintenanceAmountExact: string
  maxLeverage?: number
}

/** A tier table ready for lookup. */
export interface TierTable {
  notionalUnit: string
  tiers: Tier[]
  /** True when the source stops at the last cap (notional above it is outside the published table). */
  closed: boolean
}

/**
 * Builds tiers from published rows and computes every maintenance amount by the recursion above, in
 * decimal.js.
 * @param rows in ascending order; each row's floor must equal the previous row's cap
 * @throws TierTableError for an empty table, rows out of order, a gap or overlap, an MMR outside [0, 1], or
 *   an open cap before the last row.
 */
export function buildTierTable(values: TierTableValues): TierTable {
  const rows: TierRow[] = values.rows
  if (rows.length === 0) throw new TierTableError('tier table has no rows')
  const tiers: Tier[] = []
  let prevMmr = new Decimal(0)
  let amount = new Decimal(0)
  rows.forEach((row, i) => {
    const floor = new Decimal(row.floor)
    const mmr = new Decimal(row.mmr)
    if (mmr.lt(0) || mmr.gt(1)) throw new TierTableError(`tier ${i + 1}: MMR ${row.mmr} outside [0, 1]`)
    if (i === 0) {
      if (!floor.isZero()) throw new TierTableError(`tier 1 must start at 0, got ${row.floor}`)
    } else {
      const prevCap = rows[i - 1]!.cap
      if (prevCap === null) throw new TierTableError(`tier ${i}: open-ended cap before the last tier`)
      if (!floor.eq(prevCap)) throw new TierTableError(`tier ${i + 1}: floor ${row.floor} ≠ previous cap ${prevCap}`)
      amount = floor.times(mmr.minus(prevMmr)).plus(amount)
    }
    if (row.cap !== null && !new Decimal(row.cap).gt(floor))
      throw new TierTableError(`tier ${i + 1}: cap ${row.cap} ≤ floor ${row.floor}`)
    const tier: Tier = {
      tier: i + 1,
      floor: floor.toNumber(),
      cap: row.cap === null ? Infinity : Number(row.cap),
      mmr: mmr.toNumber(),
      maintenanceAmount: amount.toNumber(),
      maintenanceAmountExact: amount.toString(),
    }
    if (row.maxLeverage !== undefined) tier.maxLeverage = row.maxLeverage
    tiers.push(tier)
    prevMmr = mmr
  })
  return { notionalUnit: values.notionalUnit, tiers, closed: rows[rows.length - 1]!.cap !== null }
}

/**
 * A one-tier table (MMR, maintenance amount) for a rate quoted without its table, e.g. a worked example
 * that states "MMR 0.5%" only.
 */
export function singleTier(mmr: number, maintenanceAmount = 0, notionalUnit = 'USD'): TierTable {
  return {
    notionalUnit,
    tiers: [
      { tier: 1, floor: 0, cap: Infinity, mmr, maintenanceAmount, maintenanceAmountExact: String(maintenanceAmount) },
    ],
    closed: false,
  }
}

/** Result of a tier lookup. */
export interface TierLookup {
  tier: Tier
  /** True when the notional lies at or above the last cap of a closed table (the last tier was used). */
  beyondTable: boolean
}

/**
 * The tier whose [floor, cap) contains |notional|. Beyond the last cap of a closed table the last tier is
 * used and `beyondTable` is set: the caller must say the figure extrapolates the published table.
 * @throws TierTableError for a non-finite notional.
 */
export function tierFor(table: TierTable, notional: number): TierLookup {
  const n = Math.abs(notional)
  if (!Number.isFinite(n)) throw new TierTableError(`notional ${notional}: expected a finite number`)
  const tiers = table.tiers
  for (const t of tiers) if (n < t.cap) return { tier: t, beyondTable: false }
  return { tier: tiers[tiers.length - 1]!, beyondTable: table.closed }
}

/** Maintenance margin of one position by a tier table. */
export interface TieredMaintenance {
  /** In the table's notional unit (USDT for USDⓈ-M, coin for COIN-M). */
  maintenanceMargin: number
  tier: Tier
  beyondTable: boolean
}

/**
 * MM = |notional| × MMR(tier) − maintenance amount(tier), the tier chosen by |notional|.
 * @param notional in the table's notional unit (USDT: size × mark; COIN-M: contracts × face ÷ mark)
 * @throws TierTableError for a non-finite notional.
 */
export function tieredMaintenanceMargin(table: TierTable, notional: number): TieredMaintenance {
  const { tier, beyondTable } = tierFor(table, notional)
  return { maintenanceMargin: Math.abs(notional) * tier.mmr - tier.maintenanceAmount, tier, beyondTable }
}

/** One OKX tier: size range in contracts, MMR and minimum IMR applied to the whole position. */
export interface OkxTier {
  tier: number
  /** Smallest size of the tier, contracts (the previous tier's max + 1 lot; 0 for tier 1). */
  minContracts: number
  maxContracts: number
  mmr: number
  minImr: number
  maxLeverage?: number
}

/**
 * Expands OKX's announced tiers: the explicit rows, then `generatedTiers` more, each adding `stepContracts`
 * to the cap and `mmrStep`/`imrStep` to the rates (the announcements' "increase by … from the previous
 * tier"), in decimal.js.
 */
export function expandOkxTiers(values: OkxTierValues): OkxTier[] {
  const out: OkxTier[] = []
  let prevMax = new Decimal(0)
  values.explicit.forEach((t, i) => {
    out.push({
      tier: i + 1,
      minContracts: i === 0 ? 0 : prevMax.toNumber(),
      maxContracts: Number(t.maxContracts),
      mmr: Number(t.mmr),
      minImr: Number(t.minImr),
      maxLeverage: t.maxLeverage,
    })
    prevMax = new Decimal(t.maxContracts)
  })
  let mmr = new Decimal(values.explicit[values.explicit.length - 1]!.mmr)
  let imr = new Decimal(values.explicit[values.explicit.length - 1]!.minImr)
  for (let k = 0; k < values.generatedTiers; k++) {
    const max = prevMax.plus(values.stepContracts)
    mmr = mmr.plus(values.mmrStep)
    imr = imr.plus(values.imrStep)
    out.push({
      tier: out.length + 1,
      minContracts: prevMax.toNumber(),
      maxContracts: max.toNumber(),
      mmr: mmr.toNumber(),
      minImr: imr.toNumber(),
    })
    prevMax = max
  }
  return out
}

/**
 * The OKX tier of a position size: the first tier whose max ≥ |contracts| (OKX lists "min … max" inclusive
 * in whole contracts). Above the last generated tier the last one is used and flagged.
 */
export function okxTierFor(tiers: readonly OkxTier[], contracts: number): { tier: OkxTier; beyondTable: boolean } {
  const n = Math.abs(contracts)
  for (const t of tiers) if (n <= t.maxContracts) return { tier: t, beyondTable: false }
  return { tier: tiers[tiers.length - 1]!, beyondTable: true }
}
