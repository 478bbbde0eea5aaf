/**
 * Liquidity-gap parameters per underlying and instrument kind, and the close-out cost model.
 *
 * Close-out cost of a position (USD, always ≥ 0):
 *   futures, perpetuals, spot:  N × (h × w + Y × σ_d × √(N / V))
 *   options:                    |q| × vega × (h_vol × w) + Y × σ_d × √(N_Δ / V) × N_Δ
 * N = |notional| in USD at shocked prices, N_Δ = |q × delta| × index (an option's delta-equivalent notional),
 * h = half bid/ask spread as a fraction of price, h_vol = options' half spread in vol points, w = the
 * scenario's spread widening, Y = impact coefficient, σ_d = daily vol of the underlying, V = daily volume in
 * USD. The square-root law of market impact: Y·σ·√(Q/V) with Y of order 0.5–1 (Tóth et al. 2011; Donier &
 * Bonart 2015 on Bitcoin metaorders); Y = 1 by default (research/margin-and-stress.md §5.2).
 *
 * Defaults — dated, sourced, and meant to be edited (stress settings):
 *  - V futures/perpetual/spot: median daily Binance spot volume 2025 in USDT from the bundled CryptoDataDownload
 *    files (BTC 1.81 bn, ETH 1.58 bn USD): one venue's spot volume, a conservative depth for close-out.
 *  - V options: Kaiko, "An Analysis of the Deribit Bitcoin Options Market in 2019": USD 25 m average daily
 *    notional (BTC options); used for every underlying until the user sets better figures.
 *  - h (futures, perpetual, spot): 0.5 bp, half of one tick (0.5 USD) on a 5,000 USD BTC price: an assumption
 *    from Deribit's BTC-PERPETUAL tick size; h_vol options: 2.14 vol points, the median half bid/ask IV spread
 *    of the 169 two-sided quotes in the real Deribit chain of 2020-05-14.
 *  - σ_d: daily σ of log returns 2021–2025 from the same Binance files (BTC 3.07 %, ETH 4.14 %).
 *  - `*` is the fallback for underlyings without a row: illustrative, and reported as an assumption.
 */

export interface LiquidityRow {
  /** Half bid/ask spread of futures, perpetuals and spot, as a fraction of price (0.00005 = 0.5 bp). */
  halfSpread: number
  /** Half bid/ask spread of options, vol points. */
  optionHalfSpreadVolPoints: number
  /** Daily volume (depth available for close-out) of futures, perpetuals and spot, USD. */
  futuresVolumeUsd: number
  /** Daily options volume, USD notional. */
  optionsVolumeUsd: number
  /** Daily volatility of the underlying (decimal). */
  dailyVol: number
}

export interface LiquidityTable {
  asOf: string
  /** Impact coefficient Y of the square-root law. */
  impactY: number
  rows: Record<string, LiquidityRow>
}

export const DEFAULT_LIQUIDITY: LiquidityTable = {
  asOf: '2025-12-31',
  impactY: 1,
  rows: {
    BTC: { halfSpread: 0.00005, optionHalfSpreadVolPoints: 2.14, futuresVolumeUsd: 1.81e9, optionsVolumeUsd: 25e6, dailyVol: 0.0307 },
    ETH: { halfSpread: 0.00005, optionHalfSpreadVolPoints: 2.14, futuresVolumeUsd: 1.58e9, optionsVolumeUsd: 25e6, dailyVol: 0.0414 },
    '*': { halfSpread: 0.0005, optionHalfSpreadVolPoints: 5, futuresVolumeUsd: 1e7, optionsVolumeUsd: 1e6, dailyVol: 0.05 },
  },
}

/** The row for an underlying, and whether it is the fallback. */
export function liquidityRow(table: LiquidityTable, underlying: string): { row: LiquidityRow; fallback: boolean } {
  const own = table.rows[underlying]
  return own ? { row: own, fallback: false } : { row: table.rows['*'] ?? DEFAULT_LIQUIDITY.rows['*']!, fallback: true }
}

/**
 * Close-out cost of a linear exposure (futures, perpetuals, spot), USD ≥ 0.
 * @param notionalUsd |position notional| at the shocked price, USD
 * @param widening the scenario's spread multiple (≥ 0)
 */
export function linearCloseOutCost(notionalUsd: number, row: LiquidityRow, impactY: number, widening: number): number {
  const n = Math.abs(notionalUsd)
  return n * (row.halfSpread * widening + impactY * row.dailyVol * Math.sqrt(n / row.futuresVolumeUsd))
}

/**
 * Close-out cost of an option position, USD ≥ 0.
 * @param vegaUsdPerPoint |quantity × vega| in USD per vol point at the shocked state
 * @param deltaNotionalUsd |quantity × delta| × index, USD
 */
export function optionCloseOutCost(
  vegaUsdPerPoint: number,
  deltaNotionalUsd: number,
  row: LiquidityRow,
  impactY: number,
  widening: number,
): number {
  const nd = Math.abs(deltaNotionalUsd)
  return (
    Math.abs(vegaUsdPerPoint) * row.optionHalfSpreadVolPoints * widening +
    impactY * row.dailyVol * Math.sqrt(nd / row.optionsVolumeUsd) * nd
  )
}
