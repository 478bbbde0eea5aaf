/** Greeks by underlying × expiry and vega by tenor bucket (domain/valuation/greeksBuckets.ts). */
import type { ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { marketLine, num, table, text } from './blocks'
import type { ReportInputs } from './inputs'

const COLUMNS = (bucket: string) => [
  text('underlying', 'Underlying'),
  text('bucket', bucket),
  num('lines', 'Lines', null, 0),
  num('delta', 'Delta', 'coin', 4),
  num('gamma', 'Gamma', 'coin/USD', 6),
  num('vegaUsd', 'Vega', 'USD/vol pt', 0),
  num('thetaUsd', 'Theta', 'USD/day', 0),
  num('valueUsd', 'Value', 'USD', 0),
  num('excluded', 'Not valued', null, 0),
]

export function greeksSection(inputs: ReportInputs): ReportSection {
  const { report } = inputs.book()
  return {
    id: 'greeks',
    title: REPORT_SECTION_TITLES.greeks,
    asOf: report.valuationTime,
    market: marketLine(report.market),
    blocks: [
      table('greeks-expiry', 'Greeks by underlying × expiry', COLUMNS('Expiry'), inputs.buckets('expiry').map((b) => ({ ...b })), {
        note: 'Each expiry date (UTC), then perpetuals, spot and balances; the buckets of an underlying add up to its totals in the summary.',
      }),
      table('greeks-tenor', 'Vega (and the other Greeks) by tenor bucket', COLUMNS('Tenor'), inputs.buckets('tenor').map((b) => ({ ...b })), {
        note: 'Calendar days from the valuation instant to expiry (ACT/365): [0, 7), [7, 30), [30, 90), [90, ∞) days; no expiry = perpetuals, spot, balances.',
      }),
    ],
  }
}
