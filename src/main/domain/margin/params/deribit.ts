/**
 * Deribit parameter tables: standard margin for futures/perpetuals and options, and the portfolio-margin
 * (PM) model parameters per currency. Values are carried over from the sources cited on each entry (see
 * docs/margin.md and ../shared/research/margin-and-stress.md §1).
 */
import type { DatedTable } from './datedTable'

/**
 * Standard-margin rates of futures and perpetuals, as decimals: rate = base + |size in coin| × increasePerCoin
 * (Deribit's "increase factor", since 11 Jan 2022).
 */
export interface DeribitFuturesRates {
  /** Initial-margin base rate (0.02 = 2%). */
  initialBase: number
  /** Maintenance-margin base rate (0.01 = 1%). */
  maintenanceBase: number
  /** Rate increase per coin of position size (0.00005 = 0.005% per BTC). */
  increasePerCoin: number
}

export const DERIBIT_FUTURES_RATES: DatedTable<Record<string, DeribitFuturesRates>> = {
  id: 'deribit.futures',
  description: 'Deribit standard margin of futures and perpetuals (inverse and linear), per underlying coin',
  entries: [
    {
      asOf: '2022-01-11',
      dateBasis: 'effective',
      sources: [
        'https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022',
        'https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual',
      ],
      note:
        'BTC and ETH from the 11 Jan 2022 change notice; SOL from the SOL_USDC rows of the Linear Perpetual ' +
        'article (its date is not stated; listed here with the same entry). Before 11 Jan 2022 BTC was IM ' +
        '1% + size × 0.005%, MM 0.525% + size × 0.005% (start date unknown, not tabulated).',
      values: {
        BTC: { initialBase: 0.02, maintenanceBase: 0.01, increasePerCoin: 0.00005 },
        ETH: { initialBase: 0.02, maintenanceBase: 0.01, increasePerCoin: 0.000004 },
        SOL: { initialBase: 0.04, maintenanceBase: 0.02, increasePerCoin: 0.000005 },
      },
    },
  ],
}

/**
 * Standard margin of short options, per contract (1 contract = 1 coin), in coin (inverse options):
 *  - short call: IM = max(otmBase − OTM/S, floor) + mark;         MM = maintenance + mark
 *  - short put:  IM = max(max(otmBase − OTM/S, floor) + mark, MM); MM = max(maintenance, maintenance × mark) + mark
 * Long options carry no margin beyond the premium paid.
 */
export interface DeribitOptionConstants {
  /** 0.15 */
  otmBase: number
  /** 0.10 */
  floor: number
  /** 0.075 */
  maintenance: number
}

export const DERIBIT_OPTION_CONSTANTS: DatedTable<DeribitOptionConstants> = {
  id: 'deribit.options',
  description: 'Deribit standard margin of inverse (coin-settled) options, per contract in coin',
  entries: [
    {
      asOf: '2026-11-21',
      dateBasis: 'observed',
      sources: [
        'https://doc.tslab.pro/tslab/eng/data-providers/connection-to-broker/deribit-cryptocurrency-exchange/deribit-margin-requirements-calculation',
      ],
      note:
        '[S] third-party broker-connector documentation; the same formula is in several public code bases; ' +
        "Deribit's own article text was not retrievable, so the date is when the copy was seen, not an " +
        'effective date. Older Deribit rule (history): short IM = max(20% × S − OTM, …), MM = 10% × S.',
      values: { otmBase: 0.15, floor: 0.1, maintenance: 0.075 },
    },
  ],
}

/** Deribit portfolio-margin model parameters of one currency (names follow the API's `model_params`). */
export interface DeribitPmParams {
  /** ±price range of the standard table (0.16 = ±16%). */
  priceRange: number
  /** Buckets per side of 0 (the API's `buckets_count`; 4 → 9 price points). */
  bucketsPerSide: number
  /** `volatility_range_up` (0.5). */
  volRangeUp: number
  /** `volatility_range_down` (0.25). */
  volRangeDown: number
  /** `min_volatility_for_shock_up`, decimal (0.5 = 50 vol points). */
  minVolForShockUp: number
  /** `short_term_vega_power` for DTE < `vegaPowerSwitchDays` (0.30). */
  shortTermVegaPower: number
  /** `long_term_vega_power` (0.13). */
  longTermVegaPower: number
  /** DTE (days) at which the vega power switches: 30. */
  vegaPowerSwitchDays: number
  /** `extended_table_factor` (1). */
  extendedTableFactor: number
  /** Extended-table price moves (fractions), evaluated with vol up only. */
  extendedMoves: number[]
  /** `delta_total_liq_shock_threshold`, USD. */
  deltaTotalLiqShockThreshold: number
  /** `max_delta_shock` (0.10). */
  maxDeltaShock: number
  /** `m_inc` (per coin). */
  mInc: number
  /** `annualised_move_risk` of the currency (0.075). */
  annualisedMoveRisk: number
  /** `min_annualised_move` of the currency (0.01). */
  minAnnualisedMove: number
  /** `extended_dampener` per currency as the API lists it (units [U]; read here as USD). */
  extendedDampener: Record<string, number>
  /** `pnl_offset` per currency: the fraction of a scenario gain that counts. */
  pnlOffset: Record<string, number>
  /** `mm_factor`: MM = mm_factor × risk-matrix margin. */
  mmFactor: number
}

const EXTENDED_MOVES = [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]
const PM_ARTICLE = 'https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin'
const PM_API = 'https://docs.deribit.com/api-reference/account-management/private-simulate.md'

export const DERIBIT_PM_PARAMS: Record<string, DatedTable<DeribitPmParams>> = {
  BTC: {
    id: 'deribit.pm.BTC',
    description: 'Deribit portfolio margin (S:PM), BTC',
    entries: [
      {
        asOf: '2024-06-17',
        dateBasis: 'published',
        sources: [PM_API, PM_ARTICLE],
        note: 'model_params of the official private/pme/simulate response example (BTC, 17 Jun 2024).',
        values: {
          priceRange: 0.16,
          bucketsPerSide: 4,
          volRangeUp: 0.5,
          volRangeDown: 0.25,
          minVolForShockUp: 0.5,
          shortTermVegaPower: 0.3,
          longTermVegaPower: 0.13,
          vegaPowerSwitchDays: 30,
          extendedTableFactor: 1,
          extendedMoves: EXTENDED_MOVES,
          deltaTotalLiqShockThreshold: 20_000_000,
          maxDeltaShock: 0.1,
          mInc: 0.00005,
          annualisedMoveRisk: 0.075,
          minAnnualisedMove: 0.01,
          extendedDampener: { BTC: 100_000, USD: 25_000 },
          pnlOffset: { BTC: 0, USD: 0 },
          mmFactor: 0.8,
        },
      },
    ],
  },
  ETH: {
    id: 'deribit.pm.ETH',
    description: 'Deribit portfolio margin (S:PM), ETH',
    entries: [
      {
        asOf: '2026-02-15',
        dateBasis: 'published',
        sources: [PM_ARTICLE, 'captured private/pme/simulate response (ETH, 15 Feb 2026) in public GitHub code'],
        note: '[S] provenance: a captured live response; the repository name was not resolvable.',
        values: {
          priceRange: 0.18,
          bucketsPerSide: 4,
          volRangeUp: 0.4,
          volRangeDown: 0.25,
          minVolForShockUp: 0.5,
          shortTermVegaPower: 0.3,
          longTermVegaPower: 0.13,
          vegaPowerSwitchDays: 30,
          extendedTableFactor: 1,
          extendedMoves: EXTENDED_MOVES,
          deltaTotalLiqShockThreshold: 20_000_000,
          maxDeltaShock: 0.1,
          mInc: 0.000004,
          annualisedMoveRisk: 0.05,
          minAnnualisedMove: 0.005,
          extendedDampener: { ETH: 200_000, USD: 25_000 },
          pnlOffset: { ETH: 0.6, USD: 0.4 },
          mmFactor: 0.8,
        },
      },
    ],
  },
}

/**
 * The Deribit BTC portfolio-margin parameters in force: the table's latest entry (the official
 * private/simulate example of 17 Jun 2024; research/margin-and-stress.md §1.3). The stress engine's PM-style
 * matrix reads them, so margin and stress use one table.
 */
export function deribitPmBtcParams(): DeribitPmParams {
  return DERIBIT_PM_PARAMS.BTC!.entries.at(-1)!.values
}
