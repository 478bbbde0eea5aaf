/**
 * Defaults of the liquidation-cascade simulation: the square-root impact law's constants and an aggregate
 * "market" of leveraged open interest. Everything marked [U] below is an assumption with no source; the user
 * is expected to replace it (docs/margin.md, "Overriding tables").
 */
import type { DatedTable } from './datedTable'

/** Square-root impact: relative impact = Y · σ_daily · sqrt(Q / V_daily). */
export interface ImpactParams {
  /** Y, dimensionless; order 0.5–1 in the literature; default 1 [U for crypto]. */
  Y: number
  /** Daily volatility of the underlying as a decimal (0.03 = 3%). */
  dailyVol: number
  /** Daily traded volume the liquidations execute against, in coin. */
  dailyVolumeCoin: number
}

/** One bucket of the aggregate market: leveraged positions opened at the current price. */
export interface LeverageBucket {
  /** Leverage = notional ÷ margin posted (isolated). */
  leverage: number
  /** Share of the side's leveraged open interest in this bucket (shares of a side sum to 1). */
  share: number
}

export interface LeveragedMarketParams {
  underlying: string
  /** Open interest of the whole market in coin (both sides count the same contracts once). */
  openInterestCoin: number
  /** Fraction of open interest that is not liquidated by venue margin engines (e.g. CME), excluded. */
  excludedShare: number
  /** Fraction of the remaining open interest held as leveraged longs (and as leveraged shorts). */
  leveragedLongShare: number
  leveragedShortShare: number
  /** Leverage distribution of each side. */
  buckets: LeverageBucket[]
  /** Maintenance-margin rate applied to every bucket. */
  maintenanceMarginRate: number
  impact: ImpactParams
}

export const CASCADE_MARKET_BTC: DatedTable<LeveragedMarketParams> = {
  id: 'cascade.market.BTC',
  description: 'Aggregate leveraged BTC futures open interest for the cascade simulation',
  entries: [
    {
      asOf: '2025-08-21',
      dateBasis: 'published',
      sources: [
        'https://www.binance.bh/en/square/post/28641867050554 (coinglass figures, 21 Aug 2025: OI 711.18K BTC, CME 20.62%, 24h OI/volume 1.1181)',
        'https://www.signaltrace.wiki/markov-model/Concepts/Square-Root-Law-of-Market-Impact (Y of order 0.5–1)',
        'Donier & Bonart, A million metaorder analysis of market impact on the Bitcoin, SSRN 2536001',
        'CryptoDataDownload Binance BTCUSDT daily file bundled in shared/data/real/market (daily σ)',
      ],
      note:
        'openInterestCoin and excludedShare (CME) are published; dailyVolumeCoin = 711,180 / 1.1181 ≈ 636,061 BTC ' +
        '[D]. [U] assumptions: half the non-CME open interest is leveraged on each side (leveragedLongShare = ' +
        'leveragedShortShare = 0.5), the leverage distribution of the buckets, entries at the current price, ' +
        'MMR 0.5% (the tier-1 BTC rate at Binance and Bybit), Y = 1 (no crypto calibration found). dailyVol ' +
        '0.0307 = σ of daily log returns 2021–2025 of the bundled Binance BTCUSDT daily closes [D] ' +
        '(shared/data/real/market/binance_btcusdt_daily_2017-2026_cryptodatadownload.csv; the same figure as ' +
        "the stress engine's liquidity table).",
      values: {
        underlying: 'BTC',
        openInterestCoin: 711_180,
        excludedShare: 0.2062,
        leveragedLongShare: 0.5,
        leveragedShortShare: 0.5,
        buckets: [
          { leverage: 2, share: 0.2 },
          { leverage: 3, share: 0.15 },
          { leverage: 5, share: 0.2 },
          { leverage: 10, share: 0.2 },
          { leverage: 20, share: 0.15 },
          { leverage: 50, share: 0.07 },
          { leverage: 100, share: 0.03 },
        ],
        maintenanceMarginRate: 0.005,
        impact: { Y: 1, dailyVol: 0.0307, dailyVolumeCoin: 636_061 },
      },
    },
  ],
}
