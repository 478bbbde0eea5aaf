/**
 * Oracle and mark risk: which venues mark and liquidate on an oracle-based price, and the price each venue
 * margins on under a scenario's oracle lag (scenario.ts `oracleLagSchema`).
 *
 * A perpetual has three prices: the market (the index / spot exchanges, what the scenario's spot move moves and
 * what the book's USD value uses), the venue's oracle, and the venue's mark. Centralised venues mark on their own
 * index, which follows the market (Deribit: its mark follows the Deribit index, an average of spot exchanges;
 * Binance, Bybit, OKX likewise). On-chain venues mark and liquidate on an oracle that validators publish every
 * few seconds, so in a fast market it is behind (research note defi-hedging-var-reports.md §1b, §2).
 *
 * Path rule (one place: `oracleMoveFraction`): the scenario's move runs linearly over `moveSeconds` and ends at
 * the scenario's instant; the oracle shows the market of `lagSeconds` earlier, so it has made the fraction
 * f = max(0, 1 − lag ÷ duration) of the move: oracle = P₀ × (1 + f × s) for a market move s. The venue's mark is
 * oracle × (1 + gap ÷ 100). Stablecoin values (a de-peg) are not oracle prices of a perpetual: they move as the
 * scenario says at every venue.
 *
 * What this is, honestly: the bound of oracle risk, not a forecast of Hyperliquid's mark. Hyperliquid's mark is
 * the median of (oracle + 150 s EMA of its book's mid − oracle), (median of its best bid, ask, last) and (a
 * weighted median of CEX perpetual mids); two of the three follow the market, so its mark usually lags less than
 * its oracle. The set shows what happens when the venue's mark is held by its oracle (mark gap 0) and the
 * `markGapPercent` field states any other gap. dYdX v4 computes IM and MM at the oracle price directly.
 *
 * Pure; float64.
 */
import type { OracleLag } from '../../../shared/scenario'
import { isStablecoin } from '../../../shared/currencies'

/** A venue that marks and liquidates on an oracle-based price. */
export interface OracleVenue {
  /** Riskdesk's venue id (the importers' `venue`). */
  venue: string
  /** What the venue margins and liquidates on, in words. */
  marksOn: string
  /** The price funding payments are computed on, as the venue documents it; null where the sources read do not say. */
  fundingOn: 'oracle' | 'mark' | null
  /** How often the oracle is published, seconds; null when not stated. */
  oracleUpdateSeconds: number | null
  sources: string[]
}

/** The day the venues' documentation below was read (research note defi-hedging-var-reports.md, mirror @24c1248). */
export const ORACLE_VENUES_AS_OF = '2026-12-02'

/** Oracle-marked venues, dated ORACLE_VENUES_AS_OF. Any other venue's mark follows the market in a scenario. */
export const ORACLE_VENUES: readonly OracleVenue[] = [
  {
    venue: 'hyperliquid',
    marksOn:
      'mark price = median of (oracle + 150 s EMA of Hyperliquid mid − oracle), (median of its best bid, ask, last), (weighted median of Binance/OKX/Bybit/Gate/MEXC perp mids); the mark drives margining, liquidation and unrealised P&L; oracle = stake-weighted median of validators’ weighted medians of CEX spot mids, published about every 3 s',
    fundingOn: 'oracle',
    oracleUpdateSeconds: 3,
    sources: [
      'https://hyperliquid.gitbook.io/hyperliquid-docs/hypercore/oracle (mirror github.com/dzmbs/hyperliquid-docs @24c1248)',
      'https://hyperliquid.gitbook.io/hyperliquid-docs/trading/robust-price-indices (mark price)',
      'https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding (payment = size × oracle price × rate)',
    ],
  },
  {
    venue: 'dydx',
    marksOn: 'initial and maintenance margin = |size × oracle price × IMF/MMF|; liquidation when the margin fraction breaches MMF',
    fundingOn: null,
    oracleUpdateSeconds: null,
    sources: ['https://docs.dydx.exchange/concepts-trading/margin (P = oracle price)'],
  },
]

/** The oracle-venue entry of a venue, or null for a venue that marks on its own index. */
export function oracleVenueOf(venue: string): OracleVenue | null {
  return ORACLE_VENUES.find((v) => v.venue === venue.toLowerCase()) ?? null
}

/**
 * Fraction of a market move the oracle has made (the path rule above): max(0, 1 − lag ÷ duration).
 * @param lagSeconds ≥ 0; moveSeconds > 0
 * @throws RangeError for a negative lag or a non-positive duration
 */
export function oracleMoveFraction(lagSeconds: number, moveSeconds: number): number {
  if (!(lagSeconds >= 0)) throw new RangeError(`oracle lag ${lagSeconds} s: expected ≥ 0`)
  if (!(moveSeconds > 0)) throw new RangeError(`move duration ${moveSeconds} s: expected > 0`)
  return Math.max(0, 1 - lagSeconds / moveSeconds)
}

/** The price a venue margins on in one scenario. */
export interface VenuePriceMoves {
  /** `market`: the venue's mark follows the market; `oracle`: it follows its lagging oracle (and gap). */
  basis: 'market' | 'oracle'
  /** Relative move per coin of the price the venue marks and liquidates on. */
  moves: Record<string, number>
  /** Fraction of the market move the oracle has made (1 for `market`). */
  oracleFraction: number
  /** The rule applied, in words (null for `market`). */
  note: string | null
}

/**
 * Relative moves of the price `venue` marks on, from the scenario's market moves and oracle lag: the market moves
 * for a venue outside the oracle table (or outside `oracle.venues`), else (1 + f·s)(1 + gap) − 1 per coin, with
 * stablecoins left at the scenario's value.
 * @param marketMoves relative market move per coin (−0.1 = −10 %)
 */
export function venuePriceMoves(marketMoves: Readonly<Record<string, number>>, oracle: OracleLag | null, venue: string): VenuePriceMoves {
  const v = venue.toLowerCase()
  const applies = oracle !== null && (oracle.venues === null ? oracleVenueOf(v) !== null : oracle.venues.some((x) => x.toLowerCase() === v))
  if (!applies) return { basis: 'market', moves: { ...marketMoves }, oracleFraction: 1, note: null }
  const f = oracleMoveFraction(oracle.lagSeconds, oracle.moveSeconds)
  const gap = oracle.markGapPercent / 100
  const moves: Record<string, number> = {}
  for (const [coin, s] of Object.entries(marketMoves)) moves[coin] = isStablecoin(coin) ? s : (1 + f * s) * (1 + gap) - 1
  const gapText = gap === 0 ? 'mark = oracle' : `mark = oracle ${gap > 0 ? '+' : '−'}${Math.abs(oracle.markGapPercent)} %`
  return {
    basis: 'oracle',
    moves,
    oracleFraction: f,
    note: `${v} margins on its oracle, ${oracle.lagSeconds} s behind a move over ${oracle.moveSeconds} s: the oracle has made ${Number((f * 100).toFixed(4))} % of the move; ${gapText}`,
  }
}
