/**
 * The what-if comparison (whatifService.ts getWhatIf), only when a what-if is chosen: its legs, and before (the
 * book), after (book + legs) and the change of the Greeks per underlying, the Greeks buckets by expiry and by
 * tenor, the worst loss of the stress set and margin per account. Every figure is getWhatIf's own.
 */
import type { ReportBlock, ReportCell, ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import type { WhatIfBucket, WhatIfReport } from '../../../shared/whatifApi'
import { figure, marketLine, notes, num, percent, table, text } from './blocks'
import type { ReportInputs } from './inputs'

const SIDES = ['before', 'after', 'change'] as const
type Side = (typeof SIDES)[number]

function legs(r: WhatIfReport): ReportBlock[] {
  return [
    table(
      'whatif-legs',
      `Legs of what-if "${r.whatIf.name}"`,
      [num('id', 'Leg', null, 0), text('account', 'Account'), text('instrument', 'Instrument'), text('kind', 'Kind'), text('quantity', 'Quantity'), text('entryPrice', 'Entry price'), text('cash', 'Premium / price'), text('feeUsd', 'Fee USD')],
      r.legs.map((l) => ({
        id: l.id,
        account: `${l.venue}/${l.account}`,
        instrument: l.instrument,
        kind: l.kind,
        quantity: `${l.quantity} ${l.quantityUnit}`,
        entryPrice: `${l.entryPrice} ${l.priceUnit}`,
        cash: l.cash === null ? '—' : `${l.cash.amount} ${l.cash.currency}`,
        feeUsd: l.feeUsd,
      })),
      { note: 'Quantities and prices as entered, in the instrument’s units (decimal strings); premium / price: the cash the trade moves in the account’s balance, fee aside (− paid); where each entry price and fee came from is listed below.' },
    ),
    notes('whatif-leg-sources', 'Entry prices and fees', r.legs.flatMap((l) => [
        `leg ${l.id} entry price: ${l.priceSource}`,
        // An unknown fee is said among the what-if's notes below.
        ...(l.feeUsd === null ? [] : [`leg ${l.id} fee: ${l.feeUsd} USD, ${l.feeSource}`]),
      ])),
  ]
}

function greeks(r: WhatIfReport): ReportBlock {
  const underlyings = [...new Set(SIDES.flatMap((s) => (s === 'change' ? r.change.greeks : r[s].greeks).map((g) => g.underlying)))]
  const rows = underlyings.flatMap((u) =>
    SIDES.map((side) => {
      const g = (side === 'change' ? r.change.greeks : r[side].greeks).find((x) => x.underlying === u)
      // An underlying on one side only holds nothing on the other.
      return { underlying: u, side, delta: g?.delta ?? 0, deltaUsd: g?.deltaUsd ?? 0, gamma: g?.gamma ?? 0, gammaUsdPer1Pct: g?.gammaUsdPer1Pct ?? 0, vegaUsd: g?.vegaUsd ?? 0, thetaUsd: g?.thetaUsd ?? 0, valueUsd: g?.valueUsd ?? 0 }
    }),
  )
  return table(
    'whatif-greeks',
    'Greeks per underlying: before, after, change',
    [
      text('underlying', 'Underlying'),
      text('side', ''),
      num('delta', 'Delta', 'coin', 4),
      num('deltaUsd', 'Delta', 'USD', 0),
      num('gamma', 'Gamma', 'coin/USD', 6),
      num('gammaUsdPer1Pct', 'Gamma', 'USD per 1%', 0),
      num('vegaUsd', 'Vega', 'USD/vol pt', 0),
      num('thetaUsd', 'Theta', 'USD/day', 0),
      num('valueUsd', 'Value', 'USD', 2),
    ],
    rows,
    { totalRows: rows.flatMap((x, i) => (x.side === 'change' ? [i] : [])), note: 'Whole book (balances included in delta and value), as the positions report; change = after − before.' },
  )
}

function buckets(r: WhatIfReport, by: 'expiry' | 'tenor'): ReportBlock {
  const key = (b: WhatIfBucket) => `${b.underlying}\u0000${b.bucket}`
  const of = (list: readonly WhatIfBucket[]) => new Map(list.filter((b) => b.by === by).map((b) => [key(b), b]))
  const sides: Record<Side, Map<string, WhatIfBucket>> = { before: of(r.before.buckets), after: of(r.after.buckets), change: of(r.change.buckets) }
  const rows = [...sides.change.values()].map((c) => {
    const row: Record<string, ReportCell> = { underlying: c.underlying, bucket: c.bucket }
    for (const side of SIDES) {
      const b = sides[side].get(key(c))
      row[`delta:${side}`] = b?.delta ?? 0
      row[`vega:${side}`] = b?.vegaUsd ?? 0
    }
    return row
  })
  return table(
    `whatif-buckets-${by}`,
    `Delta and vega by ${by === 'expiry' ? 'expiry' : 'tenor bucket'}: before, after, change`,
    [
      text('underlying', 'Underlying'),
      text('bucket', by === 'expiry' ? 'Expiry' : 'Tenor'),
      ...SIDES.map((s) => num(`delta:${s}`, `Delta ${s}`, 'coin', 4)),
      ...SIDES.map((s) => num(`vega:${s}`, `Vega ${s}`, 'USD/vol pt', 0)),
    ],
    rows,
  )
}

function stress(r: WhatIfReport): ReportBlock {
  const row = (side: 'before' | 'after') => ({ side, scenario: r[side].stress.worst?.name ?? null, pnlUsd: r[side].stress.worst?.pnlUsd ?? null, weightedPnlUsd: r[side].stress.worst?.weightedPnlUsd ?? null })
  return table(
    'whatif-stress',
    `Worst scenario of the ${r.after.stress.set} set (${r.after.stress.scenarios} scenarios): before, after, change`,
    [text('side', ''), text('scenario', 'Worst scenario'), num('pnlUsd', 'P&L', 'USD', 0), num('weightedPnlUsd', 'Weighted P&L', 'USD', 0)],
    [row('before'), row('after'), { side: 'change', scenario: null, pnlUsd: r.change.stressWorstPnlUsd, weightedPnlUsd: null }],
    { totalRows: [2], note: 'The worst scenario may differ before and after; the change is of the worst P&L.' },
  )
}

function margin(r: WhatIfReport): ReportBlock {
  const keys = [...new Set([...r.before.margin, ...r.after.margin].map((m) => m.key))]
  const money = (x: string | null, ccy: string) => (x === null ? null : `${x} ${ccy}`)
  const rows = keys.flatMap((k) =>
    SIDES.map((side) => {
      const m = (side === 'change' ? r.change.margin : r[side].margin).find((x) => x.key === k)
      const ccy = m?.marginCurrency ?? ''
      return {
        account: k,
        side,
        equity: m ? money(m.equity, ccy) : null,
        initialMargin: m ? money(m.initialMargin, ccy) : null,
        maintenanceMargin: m ? money(m.maintenanceMargin, ccy) : null,
        availableBalance: m ? money(m.availableBalance, ccy) : null,
        marginRatio: m?.marginRatio ?? null,
      }
    }),
  )
  return table(
    'whatif-margin',
    'Margin per account: before, after, change',
    [
      text('account', 'Account'),
      text('side', ''),
      text('equity', 'Equity'),
      text('initialMargin', 'Initial margin'),
      text('maintenanceMargin', 'Maintenance margin'),
      text('availableBalance', 'Available'),
      percent('marginRatio', 'Margin ratio MM ÷ equity', 2),
    ],
    rows,
    { totalRows: rows.flatMap((x, i) => (x.side === 'change' ? [i] : [])), note: 'Money in each account’s margin currency as the margin report gives it; — = unknown (see the margin section).' },
  )
}

export function whatIfSection(inputs: ReportInputs): ReportSection | null {
  const r = inputs.whatIf()
  if (r === null) return null
  const blocks: ReportBlock[] = [
    {
      kind: 'figures',
      id: 'whatif-facts',
      title: `What-if "${r.whatIf.name}" on portfolio ${r.whatIf.portfolio}`,
      items: [
        figure('Legs', r.legs.length, null, 0),
        figure('Last changed (UTC)', r.whatIf.updatedAt, null, null),
        figure('Book value before', r.before.valueUsd, 'USD', 2),
        figure('Book value after', r.after.valueUsd, 'USD', 2),
        figure('Book value change', r.change.valueUsd, 'USD', 2, 'after − before'),
        figure('Worst stress P&L change', r.change.stressWorstPnlUsd, 'USD', 0, `${r.after.stress.set} set`),
      ],
    },
    ...legs(r),
    greeks(r),
    buckets(r, 'expiry'),
    buckets(r, 'tenor'),
    stress(r),
    margin(r),
  ]
  const excluded = [...new Set([...r.before.excluded, ...r.after.excluded].map((e) => `${e.instrument}: ${e.reason}`))]
  if (excluded.length > 0) blocks.push(notes('whatif-excluded', 'Left out (not valued)', excluded))
  if (r.notes.length > 0) blocks.push(notes('whatif-notes', 'What the what-if assumed', r.notes))
  const { report } = inputs.book()
  return { id: 'whatif', title: REPORT_SECTION_TITLES.whatif, asOf: r.after.valuationTime, market: marketLine(report.market), blocks }
}
