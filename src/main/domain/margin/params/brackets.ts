/**
 * Tiered maintenance-margin tables ("brackets", "risk limits", "position tiers") of Binance, Bybit and OKX.
 *
 * Rows are kept as decimal strings, exactly as the venue prints them, because the maintenance amount
 * ("cum" at Binance, "MM deduction" at Bybit) is derived from them by a recursion whose published values
 * are exact (1,300 USDT, 11.81 BTC): `withMaintenanceAmounts` in ../tiers.ts runs it in decimal.js.
 */
import type { DatedTable } from './datedTable'

/** One tier as the venue publishes it. */
export interface TierRow {
  /** Lower bound of the tier's notional (Binance notionalFloor / qtyFloor; Bybit: previous risk limit). */
  floor: string
  /** Upper bound (Binance notionalCap; Bybit risk limit); null = open-ended (or the source stops here). */
  cap: string | null
  /** Maintenance-margin rate as a decimal string ("0.005" = 0.5%). */
  mmr: string
  /** Maximum leverage of the tier, when published. */
  maxLeverage?: number
  /** Maintenance amount (Binance cum, Bybit MM deduction) as published, when it is; checked in tests. */
  publishedMaintenanceAmount?: string
}

export interface TierTableValues {
  /** Unit of floor/cap: `USDT`/`USDC` notional (USDⓈ-M, Bybit linear) or a coin (COIN-M: notional in coin). */
  notionalUnit: string
  rows: TierRow[]
}

export const BINANCE_USDM_BTCUSDT: DatedTable<TierTableValues> = {
  id: 'binance.usdm.brackets.BTCUSDT',
  description: 'Binance USDⓈ-M BTCUSDT perpetual: leverage and margin brackets (notional in USDT)',
  entries: [
    {
      asOf: '2020-06-11',
      dateBasis: 'published',
      sources: [
        'https://www.binance.com/en/support/faq/how-to-calculate-liquidation-price-of-usd%E2%93%A2-m-futures-contracts-b3c689c1f50a44cabb3a84e663b81d93',
        'bradkyle/Qenv logic/binance.md (copy of the 2020 FAQ text)',
      ],
      note:
        "The 2020 FAQ's table (page dated 2020-06-11). Level 5's floor of 5,000,000 is implied by the FAQ's " +
        'cum 141,300; tiers above level 5 are not in the source (cap left open). In March 2021 the 2.5% tier ' +
        'became 1M–10M and the 5% tier 10M–20M (announcement 86cf9aa472574b8cb2e05bb751c2a9a6; not tabulated).',
      values: {
        notionalUnit: 'USDT',
        rows: [
          { floor: '0', cap: '50000', mmr: '0.004', maxLeverage: 125, publishedMaintenanceAmount: '0' },
          { floor: '50000', cap: '250000', mmr: '0.005', maxLeverage: 100, publishedMaintenanceAmount: '50' },
          { floor: '250000', cap: '1000000', mmr: '0.01', maxLeverage: 50, publishedMaintenanceAmount: '1300' },
          { floor: '1000000', cap: '5000000', mmr: '0.025', maxLeverage: 20, publishedMaintenanceAmount: '16300' },
          { floor: '5000000', cap: null, mmr: '0.05', maxLeverage: 10, publishedMaintenanceAmount: '141300' },
        ],
      },
    },
    {
      asOf: '2025-08-19',
      dateBasis: 'observed',
      sources: ['GET /fapi/v1/leverageBracket response (updateTime 2025-08-19) seen in a public test fixture'],
      note:
        '[S] the fixture repository was not resolvable; only the first four brackets were seen (above 12M the ' +
        'table is cut). Fetch live brackets for production use.',
      values: {
        notionalUnit: 'USDT',
        rows: [
          { floor: '0', cap: '300000', mmr: '0.004', publishedMaintenanceAmount: '0' },
          { floor: '300000', cap: '800000', mmr: '0.005', publishedMaintenanceAmount: '300' },
          { floor: '800000', cap: '3000000', mmr: '0.0065', publishedMaintenanceAmount: '1500' },
          { floor: '3000000', cap: '12000000', mmr: '0.01', publishedMaintenanceAmount: '12000' },
        ],
      },
    },
  ],
}

export const BINANCE_COINM_BTCUSD: DatedTable<TierTableValues> = {
  id: 'binance.coinm.brackets.BTCUSD',
  description: 'Binance COIN-M BTCUSD: maintenance brackets (notional in BTC)',
  entries: [
    {
      asOf: '2020-06-11',
      dateBasis: 'published',
      sources: [
        'https://www.binance.com/en/support/faq/be2c7d9d95b04a7e8044ed02dd7dfe5c (floors: BTCUSD futures column)',
        'https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46 (level 5 cum 1.81; 300 BTC → 12.5%, cum 11.81)',
      ],
      note:
        '[D] reconstructed. Floors 10/20/30/50/100/200/400 BTC are the leverage table of 2020-06-11; 0.4% ' +
        '(tier 1), 2.5%/5% (tiers 4/5, from the FAQ formula), 12.5% (tier 7) and the cums 0.56, 1.81, 11.81 ' +
        'are published. Tiers 2/3 at 0.5%/1% are assumed: only their combination is pinned by cum 0.56. ' +
        'Tier 6 at 10% follows from cum 11.81. Tiers above 400 BTC are not tabulated. A later FAQ version ' +
        'gives cum 11.605 for 300 BTC: the tiers were recalibrated; that table was not found.',
      values: {
        notionalUnit: 'BTC',
        rows: [
          { floor: '0', cap: '10', mmr: '0.004', maxLeverage: 125, publishedMaintenanceAmount: '0' },
          { floor: '10', cap: '20', mmr: '0.005', maxLeverage: 100 },
          { floor: '20', cap: '30', mmr: '0.01', maxLeverage: 50 },
          { floor: '30', cap: '50', mmr: '0.025', maxLeverage: 20, publishedMaintenanceAmount: '0.56' },
          { floor: '50', cap: '100', mmr: '0.05', maxLeverage: 10, publishedMaintenanceAmount: '1.81' },
          { floor: '100', cap: '200', mmr: '0.1', maxLeverage: 5 },
          { floor: '200', cap: '400', mmr: '0.125', maxLeverage: 4, publishedMaintenanceAmount: '11.81' },
        ],
      },
    },
  ],
}

export const BYBIT_LINEAR_BTCUSDT: DatedTable<TierTableValues> = {
  id: 'bybit.linear.riskLimits.BTCUSDT',
  description: 'Bybit BTCUSDT perpetual risk-limit tiers (position value in USDT), cross and isolated',
  entries: [
    {
      asOf: '2026-11-21',
      dateBasis: 'observed',
      sources: [
        'https://bybitx.global/pt-PT/announcement-info/margin-parameters (mirror of https://www.bybit.com/en/announcement-info/margin-parameters)',
      ],
      note:
        'The page is undated; the date is when the copy was seen. All 20 tiers (to 80M USDT). The published MM ' +
        'deductions follow the recursion deduction(n) = riskLimit(n−1) × (MMR(n) − MMR(n−1)) + deduction(n−1).',
      values: {
        notionalUnit: 'USDT',
        rows: [
          { floor: '0', cap: '2000000', mmr: '0.005', maxLeverage: 100, publishedMaintenanceAmount: '0' },
          { floor: '2000000', cap: '2600000', mmr: '0.0056', maxLeverage: 90, publishedMaintenanceAmount: '1200' },
          { floor: '2600000', cap: '3200000', mmr: '0.0063', maxLeverage: 80, publishedMaintenanceAmount: '3020' },
          { floor: '3200000', cap: '3800000', mmr: '0.0067', maxLeverage: 75, publishedMaintenanceAmount: '4300' },
          { floor: '3800000', cap: '4400000', mmr: '0.0071', maxLeverage: 70, publishedMaintenanceAmount: '5820' },
          { floor: '4400000', cap: '5000000', mmr: '0.0077', maxLeverage: 65, publishedMaintenanceAmount: '8460' },
          { floor: '5000000', cap: '5600000', mmr: '0.0091', maxLeverage: 55, publishedMaintenanceAmount: '15460' },
          { floor: '5600000', cap: '8500000', mmr: '0.01', maxLeverage: 50, publishedMaintenanceAmount: '20500' },
          { floor: '8500000', cap: '10000000', mmr: '0.013', maxLeverage: 45, publishedMaintenanceAmount: '46000' },
          { floor: '10000000', cap: '14000000', mmr: '0.015', maxLeverage: 40, publishedMaintenanceAmount: '66000' },
          { floor: '14000000', cap: '20000000', mmr: '0.016', maxLeverage: 35, publishedMaintenanceAmount: '80000' },
          { floor: '20000000', cap: '28000000', mmr: '0.02', maxLeverage: 30, publishedMaintenanceAmount: '160000' },
          { floor: '28000000', cap: '38000000', mmr: '0.025', maxLeverage: 25, publishedMaintenanceAmount: '300000' },
          { floor: '38000000', cap: '50000000', mmr: '0.029', maxLeverage: 20, publishedMaintenanceAmount: '452000' },
          { floor: '50000000', cap: '55000000', mmr: '0.03', maxLeverage: 19, publishedMaintenanceAmount: '502000' },
          { floor: '55000000', cap: '60000000', mmr: '0.035', maxLeverage: 18, publishedMaintenanceAmount: '777000' },
          { floor: '60000000', cap: '65000000', mmr: '0.036', maxLeverage: 17, publishedMaintenanceAmount: '837000' },
          { floor: '65000000', cap: '70000000', mmr: '0.038', maxLeverage: 16, publishedMaintenanceAmount: '967000' },
          { floor: '70000000', cap: '75000000', mmr: '0.04', maxLeverage: 15, publishedMaintenanceAmount: '1107000' },
          { floor: '75000000', cap: '80000000', mmr: '0.045', maxLeverage: 14, publishedMaintenanceAmount: '1482000' },
        ],
      },
    },
  ],
}

/**
 * OKX position tiers of a swap, in contracts: explicit tiers, then a rule "increase by `step` contracts and
 * by `mmrStep` per tier" that OKX announcements use for the higher tiers.
 */
export interface OkxTierValues {
  /**
   * Size of one contract (OKX `ctVal`): in coin for USDT/USDC swaps (ETH-USDT-SWAP 0.1 ETH), in USD for
   * coin-margined swaps when `contractValueUnit` is `usd` (BTC-USD-SWAP 100 USD). The name is kept for the
   * coin case, the first one supported.
   */
  contractValueCoin: string
  /** Unit of `contractValueCoin`; default `coin`. */
  contractValueUnit?: 'coin' | 'usd'
  explicit: { maxContracts: string; mmr: string; minImr: string; maxLeverage: number }[]
  /** Each further tier adds `stepContracts` to the cap and `mmrStep` / `imrStep` to the rates. */
  stepContracts: string
  mmrStep: string
  imrStep: string
  /** How many generated tiers to append after the explicit ones. */
  generatedTiers: number
}

export const OKX_ETHUSDT_SWAP_TIERS: DatedTable<OkxTierValues> = {
  id: 'okx.swap.tiers.ETH-USDT-SWAP',
  description: 'OKX ETH-USDT perpetual swap position tiers (contracts), isolated and cross',
  entries: [
    {
      asOf: '2021-06-11',
      dateBasis: 'effective',
      sources: ['https://support.okexcn.com/hc/en-us/articles/4402607424781-OKEx-position-tiers-to-be-adjusted'],
      note:
        'Tiers 1–3 as announced; tier 4 onward "increase by 12,000 conts, +0.5%" per the announcement. ' +
        'contractValueCoin 0.1 ETH is the ETH-USDT-SWAP contract value (OKX ctVal) [S]; a later recording of OKX ' +
        'GET /api/v5/public/instruments (github.com/nautechsystems/nautilus_trader, crates/adapters/okx/test_data/' +
        'http_get_instruments_swap.json @ 3d0c60e0fd7a48b0683ad1418febd308c43fd86a) has the same ctVal "0.1" ETH. Whether the tier MMR ' +
        'applies to the whole position is [U]; this model applies it to the whole position.',
      values: {
        contractValueCoin: '0.1',
        explicit: [
          { maxContracts: '3000', mmr: '0.004', minImr: '0.008', maxLeverage: 125 },
          { maxContracts: '6000', mmr: '0.005', minImr: '0.01', maxLeverage: 100 },
          { maxContracts: '12000', mmr: '0.01', minImr: '0.015', maxLeverage: 66.66 },
        ],
        stepContracts: '12000',
        mmrStep: '0.005',
        imrStep: '0.005',
        generatedTiers: 10,
      },
    },
  ],
}
