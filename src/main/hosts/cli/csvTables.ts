/**
 * The columns of every `--csv` table of the CLI (positions, greeks, greeks buckets, stress grid and
 * scenarios, margin accounts): one header per field with its unit, values as the API gives them (written by
 * csvOutput.ts: plain decimals, ISO-8601 UTC times, formula injection neutralised).
 */
import type { GreeksBucketRow, MarginReport, PositionRow, StressResult, UnderlyingTotals } from '../../../shared/api'
import { STRESS_GRID_SPOT_HEADER, stressGridVolHeader } from '../../../shared/csvCell'
import type { CsvColumn } from './csvOutput'

const col = <T>(header: string, value: (row: T) => unknown): CsvColumn<T> => ({ header, value })
const unitName = (r: PositionRow, u: 'coin' | 'usd') => (u === 'coin' ? r.underlying : 'USD')

export const POSITION_CSV: CsvColumn<PositionRow>[] = [
  col('origin', (r) => r.origin),
  col('venue', (r) => r.venue),
  col('account', (r) => r.account),
  col('instrument', (r) => r.instrument),
  col('symbol', (r) => r.symbol),
  col('underlying', (r) => r.underlying),
  col('kind', (r) => r.kind),
  col('settlement', (r) => r.settlement),
  col('option type', (r) => r.optionType),
  col('strike USD', (r) => r.strike),
  col('expiry (UTC)', (r) => r.expiry),
  col('quantity (in quantity unit)', (r) => r.quantity),
  col('quantity unit', (r) => unitName(r, r.quantityUnit)),
  col('entry price (in price unit)', (r) => r.entryPrice),
  col('mark price (in price unit)', (r) => r.markPrice),
  col('price unit', (r) => unitName(r, r.priceUnit)),
  col('mark IV vol pts', (r) => r.markIv),
  col('forward USD', (r) => r.forward),
  col('index USD', (r) => r.indexPrice),
  col('market value USD', (r) => r.marketValueUsd),
  col('value USD', (r) => r.valueUsd),
  col('unrealized P&L USD', (r) => r.unrealizedPnlUsd),
  col('delta coin', (r) => r.delta),
  col('coin delta premium-adjusted coin', (r) => r.deltaPremiumAdjusted),
  col('gamma coin/USD', (r) => r.gamma),
  col('vega USD/vol pt', (r) => r.vega),
  col('theta USD/day', (r) => r.theta),
  col('mark source', (r) => r.markSource),
  col('not valued because', (r) => r.error),
]

export const TOTALS_CSV: CsvColumn<UnderlyingTotals>[] = [
  col('underlying', (t) => t.underlying),
  col('index USD', (t) => t.indexPrice),
  col('lines', (t) => t.positions),
  col('not valued', (t) => t.excluded),
  col('delta coin total', (t) => t.delta),
  col('delta coin derivatives', (t) => t.derivativesDelta),
  col('balances coin', (t) => t.balance),
  col('delta USD total', (t) => t.deltaUsd),
  col('delta USD derivatives', (t) => t.derivativesDeltaUsd),
  col('coin delta premium-adjusted coin derivatives', (t) => t.deltaPremiumAdjusted),
  col('gamma coin/USD', (t) => t.gamma),
  col('gamma USD per 1%', (t) => t.gammaUsdPer1Pct),
  col('vega USD/vol pt', (t) => t.vegaUsd),
  col('vega coin/vol pt', (t) => t.vegaCoin),
  col('theta USD/day', (t) => t.thetaUsd),
  col('theta coin/day', (t) => t.thetaCoin),
  col('value USD total', (t) => t.valueUsd),
  col('value USD derivatives', (t) => t.derivativesValueUsd),
]

export const BUCKET_CSV: CsvColumn<GreeksBucketRow>[] = [
  col('underlying', (b) => b.underlying),
  col('bucket', (b) => b.bucket),
  col('lines', (b) => b.lines),
  col('not valued', (b) => b.excluded),
  col('delta coin', (b) => b.delta),
  col('gamma coin/USD', (b) => b.gamma),
  col('vega USD/vol pt', (b) => b.vegaUsd),
  col('theta USD/day', (b) => b.thetaUsd),
  col('value USD', (b) => b.valueUsd),
]

/**
 * A stress grid: one row per spot shock (relative, −0.5 = −50 %), one column per vol shock (header
 * `P&L USD at vol +10 pts`); cell [i][j] = the result's pnlUsd[i][j].
 */
export function stressGridCsv(s: StressResult): { columns: CsvColumn<number>[]; rows: number[] } {
  const vols = s.volShocks ?? []
  return {
    columns: [
      col<number>(STRESS_GRID_SPOT_HEADER, (i) => s.spotShocks![i]),
      ...vols.map((v, j) => col<number>(stressGridVolHeader(v), (i) => s.pnlUsd![i]![j])),
    ],
    rows: (s.spotShocks ?? []).map((_, i) => i),
  }
}

/** A horizons run: one row per spot shock, one column per horizon (`P&L USD at +7 d`, `at expiry`). */
export function stressCurvesCsv(s: StressResult): { columns: CsvColumn<number>[]; rows: number[] } {
  const c = s.curves!
  return {
    columns: [
      col<number>('spot shock (relative)', (i) => c.spotShocks[i]),
      ...c.horizons.map((h, k) => col<number>(`P&L USD ${h === null ? 'at expiry' : `at +${h} d`}`, (i) => c.pnlUsd[k]![i])),
    ],
    rows: c.spotShocks.map((_, i) => i),
  }
}

type ScenarioRow = StressResult['scenarios'][number]
/** Named scenarios: one row each, the spot move per underlying (relative) and the P&L figures in USD. */
export function stressScenariosCsv(s: StressResult): CsvColumn<ScenarioRow>[] {
  const underlyings = Object.keys(s.scenarios[0]?.spotShocks ?? {})
  return [
    col('scenario', (r) => r.name),
    col('description', (r) => r.description),
    col('source', (r) => r.source),
    ...underlyings.map((u) => col<ScenarioRow>(`${u} spot move (relative)`, (r) => r.spotShocks[u])),
    col('weight', (r) => r.weight),
    col('P&L USD whole book', (r) => r.pnlUsd),
    col('P&L USD derivatives', (r) => r.derivativesPnlUsd),
    col('Taylor estimate USD', (r) => r.taylorUsd),
    col('close-out cost USD', (r) => r.liquidityUsd),
  ]
}

type MarginAccount = MarginReport['accounts'][number]
/** One row per margin account; money in the account's margin currency (named in its column) and in USD. */
export const MARGIN_CSV: CsvColumn<MarginAccount>[] = [
  col('account key', (a) => a.key),
  col('venue', (a) => a.venue),
  col('account', (a) => a.account),
  col('margin currency', (a) => a.marginCurrency),
  col('rule', (a) => a.rule?.id ?? null),
  col('status', (a) => a.status),
  col('equity (margin currency)', (a) => a.equity),
  col('equity USD', (a) => a.equityUsd),
  col('initial margin (margin currency)', (a) => a.initialMargin),
  col('maintenance margin (margin currency)', (a) => a.maintenanceMargin),
  col('margin ratio (MM / equity, decimal)', (a) => a.marginRatio),
  col('available balance (margin currency)', (a) => a.availableBalance),
  col('SPAN-style scan risk (margin currency)', (a) => a.spanScanRisk),
  col('liquidated', (a) => a.liquidated),
]
