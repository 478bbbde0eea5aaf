/**
 * Smaller dated tables: Bybit's inverse liquidation-formula version, OKX portfolio-margin parameters, and
 * the SPAN scenario layout. Sources on each entry; see docs/margin.md.
 */
import type { DatedTable } from './datedTable'

/** The two published versions of Bybit's isolated inverse liquidation price (see ../bybit.ts). */
export type BybitInverseFormulaVersion = 'v2024-entry-mm' | 'v2026-mark-mm'

export const BYBIT_INVERSE_FORMULA: DatedTable<{ version: BybitInverseFormulaVersion }> = {
  id: 'bybit.inverse.formula',
  description: 'Which Bybit isolated inverse liquidation-price formula applies',
  entries: [
    {
      asOf: '2024-01-01',
      dateBasis: 'published',
      sources: [
        'https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account',
      ],
      note: 'The 2024 version of the page; the month is not known, so the entry starts on 1 Jan 2024.',
      values: { version: 'v2024-entry-mm' },
    },
    {
      asOf: '2026-01-01',
      dateBasis: 'published',
      sources: [
        'https://www.kbybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account',
      ],
      note: 'The page says "updated 2026"; the month is not known, so the entry starts on 1 Jan 2026.',
      values: { version: 'v2026-mark-mm' },
    },
  ],
}

/** OKX portfolio-margin parameters of a risk unit (BTC and ETH). */
export interface OkxPmParams {
  /** MR1 spot-shock grid (fractions, one side; applied ±). */
  spotShocks: number[]
  /** MR6 extreme move (fraction, ±). */
  extremeMove: number
  /** MR4 basis annualised move risk. */
  basisAnnualisedMoveRisk: number
  /** MR7 minimum-charge scaling: progressive multipliers per tier of the raw charge (USD caps; null = above). */
  mr7Tiers: { cap: number | null; multiplier: number }[]
  /** IMR = imrFactor × MMR. */
  imrFactor: number
}

export const OKX_PM_BTC_ETH: DatedTable<OkxPmParams> = {
  id: 'okx.pm.BTC-ETH',
  description: 'OKX portfolio margin, BTC and ETH risk units',
  entries: [
    {
      asOf: '2025-01-02',
      dateBasis: 'published',
      sources: [
        'https://okx-api.aperture.finance/help/okx-will-further-adjust-portfolio-margin-parameters',
        'https://www.okx.com/support/hc/en-us/articles/4417291853837 (MR7 example)',
        'https://www.okx.com/help/11951498951821 (IMR = 1.3 × MMR)',
      ],
      note:
        'Announcement of 2 Jan 2025 (effective date within the announcement not retrieved). Before: MR1 ±5/10/15%, ' +
        'MR6 ±30%, MR4 7.5%. The MR7 tier multipliers come from the help article; their own date is unknown. ' +
        'MR1 vol shocks, MR2/MR3/MR5/MR9 formulas and MR6 loss scaling are [U] and not modelled.',
      values: {
        spotShocks: [0.04, 0.08, 0.12],
        extremeMove: 0.24,
        basisAnnualisedMoveRisk: 0.05,
        mr7Tiers: [
          { cap: 10_000, multiplier: 1 },
          { cap: 70_000, multiplier: 2 },
          { cap: 170_000, multiplier: 4 },
          { cap: 300_000, multiplier: 6 },
          { cap: 470_000, multiplier: 8 },
          { cap: 700_000, multiplier: 10 },
          { cap: null, multiplier: 12 },
        ],
        imrFactor: 1.3,
      },
    },
  ],
}

/** One SPAN risk-array scenario: price move as a multiple of the price scan range, vol move ±1/0 scan. */
export interface SpanScenarioDef {
  /** 1 … 16, CME numbering. */
  number: number
  /** Multiple of the price scan range (−2 … +2). */
  priceMove: number
  /** Multiple of the volatility scan range: +1 up, −1 down, 0 unchanged. */
  volMove: number
  /** Fraction of the scenario P&L that counts (1, or 0.35 for the extreme moves). */
  weight: number
}

const third = 1 / 3
const twoThirds = 2 / 3

export const SPAN_STANDARD_SCENARIOS: DatedTable<{ scenarios: SpanScenarioDef[] }> = {
  id: 'span.scenarios',
  description: 'CME SPAN: the 16 risk-array scenarios',
  entries: [
    {
      asOf: '1988-01-01',
      dateBasis: 'effective',
      sources: [
        'http://www.cme.com/clearing/rmspan/span/components.html',
        'https://cmegroupclientsite.atlassian.net/wiki/spaces/pubspan/pages/46137504',
        'http://eslm.lpude.in/commerce/mcom/term_4/DCOM510_FINANCIAL_DERIVATIVES/files/basic-html/page193.html',
      ],
      note:
        'SPAN was introduced by CME in 1988 (month not checked: the entry starts on 1 Jan 1988). The extreme multiple (2×) ' +
        'and weight (35%) are set per product in each clearing house parameter file; 2×/35% match McMillan’s ' +
        'worked example. Whether CME crypto futures use 2× or 3× is [U].',
      values: {
        scenarios: [
          { number: 1, priceMove: 0, volMove: 1, weight: 1 },
          { number: 2, priceMove: 0, volMove: -1, weight: 1 },
          { number: 3, priceMove: third, volMove: 1, weight: 1 },
          { number: 4, priceMove: third, volMove: -1, weight: 1 },
          { number: 5, priceMove: -third, volMove: 1, weight: 1 },
          { number: 6, priceMove: -third, volMove: -1, weight: 1 },
          { number: 7, priceMove: twoThirds, volMove: 1, weight: 1 },
          { number: 8, priceMove: twoThirds, volMove: -1, weight: 1 },
          { number: 9, priceMove: -twoThirds, volMove: 1, weight: 1 },
          { number: 10, priceMove: -twoThirds, volMove: -1, weight: 1 },
          { number: 11, priceMove: 1, volMove: 1, weight: 1 },
          { number: 12, priceMove: 1, volMove: -1, weight: 1 },
          { number: 13, priceMove: -1, volMove: 1, weight: 1 },
          { number: 14, priceMove: -1, volMove: -1, weight: 1 },
          { number: 15, priceMove: 2, volMove: 0, weight: 0.35 },
          { number: 16, priceMove: -2, volMove: 0, weight: 0.35 },
        ],
      },
    },
  ],
}
