/**
 * Human-readable CLI output: tables (cli-table3) with units in the headers, numbers rounded at the edge.
 */
import Table from 'cli-table3'
import type { PositionRow, StressResult, UnderlyingTotals } from '../../../shared/api'
import type { ImportOutcome } from '../../services/importService'

function fmt(digits: number): Intl.NumberFormat {
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}
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

const signedPct = (x: number) => `${x > 0 ? '+' : ''}${fmt(Math.abs(x) < 0.1 && x !== 0 ? 1 : 0).format(x * 100)}%`

/** The stress result as text: the grid, curves or scenario table, the worst case and its driver, notes. */
export function stressText(s: StressResult, worstCount = 5): string {
  const lines = [
    `Stress "${s.set.name}" (${s.set.description}) on portfolio "${s.portfolio}", valued at ${s.valuationTime ?? '—'}` +
      `${s.liquidity ? ', net of close-out costs' : ''}. P&L in USD against current marks.`,
  ]
  if (s.pnlUsd && s.spotShocks && s.volShocks) {
    const m = s.pnlUsd
    const spots = s.spotShocks
    const vols = s.volShocks
    lines.push(table(['spot \\ vol', ...vols.map(volPts)], m.map((row, i) => [pct(spots[i]!), ...row.map((v) => n0.format(v))])))
    const cells = m.flatMap((row, i) => row.map((v, j) => ({ v, spot: spots[i]!, vol: vols[j]! })))
    lines.push(`Worst ${Math.min(worstCount, cells.length)} cells:`)
    for (const c of cells.sort((a, b) => a.v - b.v).slice(0, worstCount))
      lines.push(`  spot ${pct(c.spot)}, vol ${volPts(c.vol)}: ${n0.format(c.v)} USD`)
  } else if (s.curves) {
    const c = s.curves
    lines.push(
      table(
        ['spot', ...c.horizons.map((h) => (h === null ? 'at expiry' : h === 0 ? 'today' : `+${h} d`))],
        c.spotShocks.map((sp, i) => [signedPct(sp), ...c.horizons.map((_, h) => n0.format(c.pnlUsd[h]![i]!))]),
      ),
    )
  } else {
    const underlyings = Object.keys(s.scenarios[0]?.spotShocks ?? {})
    lines.push(
      table(
        ['scenario', ...underlyings.map((u) => `${u} move`), 'P&L USD', 'Taylor USD', 'Taylor error', ...(s.liquidity ? ['close-out USD'] : []), 'weight'],
        s.scenarios.map((r) => [
          r.name,
          ...underlyings.map((u) => signedPct(r.spotShocks[u]!)),
          n0.format(r.pnlUsd),
          n0.format(r.taylorUsd),
          n0.format(r.pnlUsd + r.liquidityUsd - r.taylorUsd),
          ...(s.liquidity ? [n0.format(r.liquidityUsd)] : []),
          fmt(2).format(r.weight),
        ]),
      ),
    )
  }
  if (s.worst) {
    const d = s.worst.driver
    lines.push(
      `Worst: ${s.worst.name}: ${n0.format(s.worst.pnlUsd)} USD${s.worst.weightedPnlUsd !== s.worst.pnlUsd ? ` (weighted ${n0.format(s.worst.weightedPnlUsd)})` : ''}` +
        (d ? `; largest loss from ${d.account}/${d.instrument}: ${n0.format(d.pnlUsd)} USD` : ''),
    )
  }
  lines.push(`${s.positions} positions × ${s.scenarioCount} scenarios on ${s.workers} workers in ${n0.format(s.elapsedMs)} ms`)
  if (s.excluded.length > 0) lines.push('Left out (not valued):', ...s.excluded.map((e) => `  ${e.instrument}: ${e.reason}`))
  if (s.badPositions.length > 0)
    lines.push('Non-finite P&L (left out of those scenarios):', ...s.badPositions.map((b) => `  ${b.account}/${b.instrument}: ${b.scenarios} scenarios`))
  if (s.assumptions.length > 0) lines.push('Assumptions:', ...s.assumptions.map((a) => `  ${a}`))
  return lines.join('\n')
}
