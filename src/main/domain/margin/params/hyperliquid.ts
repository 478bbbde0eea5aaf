/**
 * Hyperliquid margin tables: per asset, tiers of position value (USDC) with the maximum leverage of each
 * (`meta.marginTables`). The maintenance rate of a tier is half the initial rate at its maximum leverage,
 * 1 ÷ (2 × maxLeverage) (hyperliquid.ts). Sources: Hyperliquid docs "Trading → Margin tiers" and "Margining"
 * (research note defi-hedging-var-reports.md §1b, mirror github.com/dzmbs/hyperliquid-docs @24c1248); the
 * docs' clearinghouseState example (time 1708622398623 = 2024-02-22) gives ETH `maxLeverage` 50.
 */
import type { DatedTable } from './datedTable'

/** One asset's tiers: `lowerBound` in USDC of position value (the first is 0), ascending. */
export interface HyperliquidMarginTableValues {
  tiers: Array<{ lowerBound: string; maxLeverage: number }>
}

const CURRENT_SOURCES = ['https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers (mirror github.com/dzmbs/hyperliquid-docs @24c1248, docs/trading/margin-tiers.md)']
const CURRENT_NOTE = 'Mainnet tables as the docs list them; the page carries no date, so the entry starts on the day this copy was read (2026-12-02).'

function table(coin: string, entries: DatedTable<HyperliquidMarginTableValues>['entries']): DatedTable<HyperliquidMarginTableValues> {
  return { id: `hyperliquid.marginTables.${coin}`, description: `Hyperliquid ${coin} perpetual margin tiers (USDC position value → max leverage)`, entries }
}

export const HYPERLIQUID_MARGIN_TABLES: Readonly<Record<string, DatedTable<HyperliquidMarginTableValues>>> = {
  BTC: table('BTC', [
    { asOf: '2026-12-02', dateBasis: 'observed', sources: CURRENT_SOURCES, note: CURRENT_NOTE, values: { tiers: [{ lowerBound: '0', maxLeverage: 40 }, { lowerBound: '150000000', maxLeverage: 20 }] } },
  ]),
  ETH: table('ETH', [
    {
      asOf: '2024-02-22',
      dateBasis: 'recorded',
      sources: ['https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals (clearinghouseState example: maxLeverage 50, time 1708622398623)'],
      note: 'One tier at the maxLeverage of the docs example; whether ETH had further tiers then is not stated.',
      values: { tiers: [{ lowerBound: '0', maxLeverage: 50 }] },
    },
    { asOf: '2026-12-02', dateBasis: 'observed', sources: CURRENT_SOURCES, note: CURRENT_NOTE, values: { tiers: [{ lowerBound: '0', maxLeverage: 25 }, { lowerBound: '100000000', maxLeverage: 15 }] } },
  ]),
  SOL: table('SOL', [
    { asOf: '2026-12-02', dateBasis: 'observed', sources: CURRENT_SOURCES, note: CURRENT_NOTE, values: { tiers: [{ lowerBound: '0', maxLeverage: 20 }, { lowerBound: '70000000', maxLeverage: 10 }] } },
  ]),
  XRP: table('XRP', [
    { asOf: '2026-12-02', dateBasis: 'observed', sources: CURRENT_SOURCES, note: CURRENT_NOTE, values: { tiers: [{ lowerBound: '0', maxLeverage: 20 }, { lowerBound: '40000000', maxLeverage: 10 }] } },
  ]),
}
