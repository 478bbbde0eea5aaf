/**
 * Human-readable CLI output: tables (cli-table3) with units in the headers, numbers rounded at the edge.
 */
import Table from 'cli-table3'
import type { PositionRow, StressResult, UnderlyingTotals } from '../../../shared/api'
import type { ImportOutcome } from '../../services/importService'

const fmt = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const n0 = fmt(0)
const n2 = fmt(2)
const n4 = fmt(4)
const n6 = fmt(6)
const show = (f: Intl.NumberFormat, x: number | null) => (x === null ? '—' : f.format(x))
const pct = (x: number) => `${x > 0 ? '+' : ''}${n0.format(x * 100)}%`
const volPts = (x: number) => `${x > 0 ? '+' : ''}${n0.format(x)} pts`

function table(head: string[], rows: string[][], alignRight = true): string {
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (alignRight && i > 0 ? 'right' : 'left')),
  })
  t.push(...rows)
  return t.toString()
}

export function importText(o: ImportOutcome): string {
  if (o.status === 'duplicate')
    return `${o.file}: already imported (import #${o.importId}, ${o.format}, ${o.firstImportedAt}); nothing written`
  const skipped = o.skipped.length > 0 ? `, ${o.skipped.length} skipped (${o.skipped.map((s) => `line ${s.line}: ${s.reason}`).join('; ')})` : ''
  const into = o.portfolio ? ` into portfolio "${o.portfolio}"` : ''
  return `${o.file}: imported as ${o.format}${into} — ${o.rows} rows, ${o.positions} positions, ${o.quotes} quotes${skipped}`
}

export function totalsText(totals: UnderlyingTotals[]): string {
  return table(
    ['underlying', 'index USD', 'delta coin', 'delta USD', 'delta p.a. coin', 'gamma coin/USD', 'gamma USD/1%', 'vega USD/pt', 'theta USD/day', 'excluded'],
    totals.map((t) => [
      t.underlying,
      n2.format(t.indexPrice),
      n4.format(t.delta),
      n0.format(t.deltaUsd),
      n4.format(t.deltaPremiumAdjusted),
      n6.format(t.gamma),
      n0.format(t.gammaUsdPer1Pct),
      n0.format(t.vegaUsd),
      n0.format(t.thetaUsd),
      String(t.excluded),
    ]),
  )
}

export function positionsText(rows: PositionRow[], withGreeks: boolean): string {
  const head = ['account', 'instrument', 'quantity', 'entry', 'mark', 'mark IV %']
  const greeks = ['delta coin', 'gamma coin/USD', 'vega USD/pt', 'theta USD/day']
  return table(
    withGreeks ? [...head, ...greeks] : [...head, 'value USD', 'uPnL USD', 'mark source'],
    rows.map((r) => {
      const unit = (u: string) => (u === 'coin' ? r.underlying : 'USD')
      const cells = [
        `${r.venue}/${r.account}`,
        r.instrument,
        `${r.quantity} ${unit(r.quantityUnit)}`,
        `${r.entryPrice} ${unit(r.priceUnit)}`,
        r.markPrice === null ? '—' : `${r.markPrice} ${unit(r.priceUnit)}`,
        show(n2, r.markIv),
      ]
      if (r.error !== null) return [...cells, `not valued: ${r.error}`, '', '', '']
      return withGreeks
        ? [...cells, show(n4, r.delta), show(n6, r.gamma), show(n2, r.vega), show(n2, r.theta)]
        : [...cells, show(n0, r.marketValueUsd), show(n0, r.unrealizedPnlUsd), r.markSource]
    }),
  )
}

export function stressText(s: StressResult, worstCount = 5): string {
  const grid = table(
    ['spot \\ vol', ...s.volShocks.map(volPts)],
    s.pnlUsd.map((row, i) => [pct(s.spotShocks[i]!), ...row.map((v) => n0.format(v))]),
  )
  const cells = s.pnlUsd.flatMap((row, i) => row.map((v, j) => ({ v, spot: s.spotShocks[i]!, vol: s.volShocks[j]! })))
  const worst = cells.sort((a, b) => a.v - b.v).slice(0, worstCount)
  const worstLines = worst.map((c) => `  spot ${pct(c.spot)}, vol ${volPts(c.vol)}: ${n0.format(c.v)} USD`)
  const excluded = s.excluded.map((e) => `  ${e.instrument}: ${e.reason}`)
  return [
    `P&L in USD against current marks (portfolio "${s.portfolio}", valued at ${s.valuationTime ?? '—'})`,
    grid,
    `Worst ${worst.length} cells:`,
    ...worstLines,
    `${s.positions} positions × ${s.scenarios} scenarios on ${s.workers} workers in ${n0.format(s.elapsedMs)} ms`,
    ...(excluded.length > 0 ? ['Left out (not valued):', ...excluded] : []),
  ].join('\n')
}
