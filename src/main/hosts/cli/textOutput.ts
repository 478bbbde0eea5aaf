/**
 * Human-readable CLI output: tables (cli-table3) with units in the headers, numbers rounded at the edge.
 */
import Table from 'cli-table3'
import { fmt, fmtDecimal, pct, plural, volPts } from '../../../shared/format'
import type { GreeksBucketsResult, PositionRow, PositionsReport, StressResult, UnderlyingTotals, ValuationMarket } from '../../../shared/api'
import type { ImportHistoryItem, ImportReport } from '../../../shared/importApi'
import type { ImportOutcome } from '../../services/importService'
import { terminalSafe } from './terminalText'

/** Formatters with fixed decimals (shared/format.ts): `nX.format(x)`. */
const digits = (d: number) => ({ format: (x: number) => fmt(x, d) })
const n0 = digits(0)
const n2 = digits(2)
const n4 = digits(4)
const n6 = digits(6)
const show = (f: { format: (x: number) => string }, x: number | null) => (x === null ? '—' : f.format(x))

/** A compact text table; columns after the first are right-aligned unless `alignRight` is false. */
export function table(head: string[], rows: string[][], alignRight = true): string {
  const t = new Table({
    head: head.map(terminalSafe),
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (alignRight && i > 0 ? 'right' : 'left')),
  })
  t.push(...rows.map((r) => r.map(terminalSafe)))
  return t.toString()
}

export function importText(o: ImportOutcome): string {
  if (o.status === 'duplicate')
    return `${o.file}: already imported (import #${o.importId}, ${o.format}, ${o.firstImportedAt}); nothing written`
  const skipped = o.skipped.length > 0 ? `, ${o.skipped.length} skipped (${o.skipped.map((s) => `line ${s.line}: ${s.reason}`).join('; ')})` : ''
  const into = o.portfolio ? ` into portfolio "${o.portfolio}"` : ''
  return `${o.file}: imported as ${o.format}${into} — ${plural(o.rows, 'row')}, ${plural(o.positions, 'position')}, ${plural(o.quotes, 'quote')}${skipped}`
}

const RULE_TEXT: Record<ValuationMarket['rule'], string> = {
  book: "as of the book's latest import",
  requested: 'as of the requested time',
  latest: 'the latest stored',
}

/** What a valuation read: the snapshots, the one index per underlying, and the notes. */
export function marketText(m: ValuationMarket): string {
  const lines = [`Market data ${RULE_TEXT[m.rule]} (up to ${m.cutoff}):`]
  if (m.snapshots.length === 0) lines.push('  no quotes used')
  for (const s of m.snapshots)
    lines.push(`  ${s.venue}: ${s.format} ${s.file}, ${s.asOf} (${s.scope === 'shared' ? 'market import' : 'this portfolio'}; ${s.quotesUsed} quote${s.quotesUsed === 1 ? '' : 's'} used)`)
  for (const i of m.indices) lines.push(`  ${i.underlying} index ${n2.format(i.price)} USD${i.time ? ` at ${i.time}` : ''}: ${i.source}`)
  for (const n of m.notes) lines.push(`  note: ${n}`)
  return lines.join('\n')
}

/** The header of a valued report: portfolio, valuation time, market data. */
export function valuationHeader(r: Pick<PositionsReport, 'portfolio' | 'valuationTime' | 'market'>): string {
  return `Portfolio "${r.portfolio}", valued at ${r.valuationTime ?? '—'}\n${marketText(r.market)}`
}

/** Greeks per underlying: the whole book (derivatives + balances) and the derivatives only, side by side. */
export function totalsText(totals: UnderlyingTotals[]): string {
  return table(
    [
      'underlying',
      'index USD',
      'delta coin total',
      'delta coin derivs',
      'balances coin',
      'delta USD total',
      'delta USD derivs',
      'delta p.a. coin derivs',
      'gamma coin/USD',
      'gamma USD/1%',
      'vega USD/pt',
      'theta USD/day',
      'not valued',
    ],
    totals.map((t) => [
      t.underlying,
      n2.format(t.indexPrice),
      n4.format(t.delta),
      n4.format(t.derivativesDelta),
      n4.format(t.balance),
      n0.format(t.deltaUsd),
      n0.format(t.derivativesDeltaUsd),
      n4.format(t.deltaPremiumAdjusted),
      n6.format(t.gamma),
      n0.format(t.gammaUsdPer1Pct),
      n0.format(t.vegaUsd),
      n0.format(t.thetaUsd),
      String(t.excluded),
    ]),
  )
}

/** Greeks per underlying × bucket (expiry, tenor or strike), units in the headers. */
export function bucketsText(r: GreeksBucketsResult): string {
  return table(
    ['underlying', r.by, 'lines', 'delta coin', 'gamma coin/USD', 'vega USD/pt', 'theta USD/day', 'value USD', 'not valued'],
    r.buckets.map((b) => [b.underlying, b.bucket, String(b.lines), n4.format(b.delta), n6.format(b.gamma), n0.format(b.vegaUsd), n0.format(b.thetaUsd), n0.format(b.valueUsd), String(b.excluded)]),
  )
}

/** The book's value line: total, derivatives, balances (USD). */
export function bookValueText(b: PositionsReport['book']): string {
  return `Book value ${n0.format(b.valueUsd)} USD total = ${n0.format(b.derivativesValueUsd)} USD derivatives + ${n0.format(b.balancesValueUsd)} USD balances`
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
        `${fmtDecimal(r.quantity)} ${unit(r.quantityUnit)}`,
        r.entryPrice === null ? '—' : `${fmtDecimal(r.entryPrice)} ${unit(r.priceUnit)}`,
        r.markPrice === null ? '—' : `${r.markPrice} ${unit(r.priceUnit)}`,
        show(n2, r.markIv),
      ]
      if (r.error !== null) return [...cells, `not valued: ${r.error}`, '', '', '']
      return withGreeks
        ? [...cells, show(n4, r.delta), show(n6, r.gamma), show(n2, r.vega), show(n2, r.theta)]
        : [...cells, show(n0, r.valueUsd), show(n0, r.unrealizedPnlUsd), r.markSource]
    }),
  )
}

const signedPct = (x: number) => `${x > 0 ? '+' : ''}${fmt(x * 100, Math.abs(x) < 0.1 && x !== 0 ? 1 : 0)}%`

/** The stress result as text: the grid, curves or scenario table, the worst case and its driver, notes. */
export function stressText(s: StressResult, worstCount = 5): string {
  const scope =
    s.balances > 0
      ? `the whole book (${s.positions - s.balances} derivative and spot positions + ${s.balances} balance${s.balances === 1 ? '' : 's'}; value now ${n0.format(s.valueUsd)} USD)`
      : `the book (${s.positions} positions, no balances imported)`
  const lines = [
    `Stress "${s.set.name}" (${s.set.description}) on portfolio "${s.portfolio}", valued at ${s.valuationTime ?? '—'}` +
      `${s.liquidity ? ', net of close-out costs' : ''}. P&L in USD of ${scope}, against current marks.`,
    marketText(s.market),
  ]
  if (s.set.kind === 'oracle')
    lines.push(
      'Oracle lag moves the price on-chain venues margin and liquidate on, not the book’s value: the P&L below is the market move in every row. `riskdesk margin --stress oracle-lag` shows which account is liquidated on which price.',
    )
  if (s.pnlUsd && s.spotShocks && s.volShocks) {
    const spots = s.spotShocks
    const vols = s.volShocks
    const grid = (m: number[][]) => table(['spot \\ vol', ...vols.map(volPts)], m.map((row, i) => [pct(spots[i]!), ...row.map((v) => n0.format(v))]))
    lines.push(s.balances > 0 ? 'Total (derivatives + balances), USD:' : 'P&L, USD:', grid(s.pnlUsd))
    if (s.balances > 0 && s.derivativesPnlUsd) lines.push('Derivatives only, USD:', grid(s.derivativesPnlUsd))
    const cells = s.pnlUsd.flatMap((row, i) => row.map((v, j) => ({ v, d: s.derivativesPnlUsd?.[i]?.[j] ?? v, spot: spots[i]!, vol: vols[j]! })))
    lines.push(`Worst ${Math.min(worstCount, cells.length)} cells${s.balances > 0 ? ' of the whole book' : ''}:`)
    for (const c of cells.sort((a, b) => a.v - b.v).slice(0, worstCount))
      lines.push(`  spot ${pct(c.spot)}, vol ${volPts(c.vol)}: ${n0.format(c.v)} USD${s.balances > 0 ? ` (derivatives only ${n0.format(c.d)} USD)` : ''}`)
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
        ['scenario', ...underlyings.map((u) => `${u} move`), 'P&L USD', ...(s.balances > 0 ? ['derivs USD'] : []), 'Taylor USD', 'Taylor error', ...(s.liquidity ? ['close-out USD'] : []), 'weight'],
        s.scenarios.map((r) => [
          r.name,
          ...underlyings.map((u) => signedPct(r.spotShocks[u]!)),
          n0.format(r.pnlUsd),
          ...(s.balances > 0 ? [n0.format(r.derivativesPnlUsd)] : []),
          n0.format(r.taylorUsd),
          n0.format(r.pnlUsd + r.liquidityUsd - r.taylorUsd),
          ...(s.liquidity ? [n0.format(r.liquidityUsd)] : []),
          fmt(r.weight, 2),
        ]),
      ),
    )
  }
  if (s.groups.length > 1 && s.worst) {
    // By the requested aggregation: every scenario for small sets, the worst scenario for large ones.
    const cols = s.scenarios.length <= 8 ? s.scenarios.map((_, k) => k) : [s.worst.index]
    lines.push(
      `P&L by ${s.by}:`,
      table([s.by, ...cols.map((k) => s.scenarios[k]!.name)], s.groups.map((g) => [g.key, ...cols.map((k) => n0.format(g.pnlUsd[k]!))])),
    )
  }
  if (s.worst) {
    const d = s.worst.driver
    const coins = Object.entries(s.scenarios[s.worst.index]?.bookPnlInCoin ?? {})
    lines.push(
      `Worst${s.balances > 0 ? ' (whole book)' : ''}: ${s.worst.name}: ${n0.format(s.worst.pnlUsd)} USD${s.worst.weightedPnlUsd !== s.worst.pnlUsd ? ` (weighted ${n0.format(s.worst.weightedPnlUsd)})` : ''}` +
        (coins.length > 0 ? ` = ${coins.map(([c, v]) => `${n4.format(v)} ${c}`).join(', ')} in coin` : '') +
        (d ? `; largest loss from ${d.account}/${d.instrument}: ${n0.format(d.pnlUsd)} USD` : ''),
    )
  }
  if (s.balances > 0 && s.worstDerivatives)
    lines.push(
      `Worst (derivatives only): ${s.worstDerivatives.name}: ${n0.format(s.worstDerivatives.pnlUsd)} USD${s.worstDerivatives.weightedPnlUsd !== s.worstDerivatives.pnlUsd ? ` (weighted ${n0.format(s.worstDerivatives.weightedPnlUsd)})` : ''}`,
    )
  lines.push(`${plural(s.positions, 'line')} × ${plural(s.scenarioCount, 'scenario')} on ${plural(s.workers, 'worker')} in ${n0.format(s.elapsedMs)} ms`)
  if (s.excluded.length > 0) lines.push('Left out (not valued):', ...s.excluded.map((e) => `  ${e.instrument}: ${e.reason}`))
  if (s.badPositions.length > 0)
    lines.push('Non-finite P&L (left out of those scenarios):', ...s.badPositions.map((b) => `  ${b.account}/${b.instrument}: ${b.scenarios} scenarios`))
  if (s.assumptions.length > 0) lines.push('Assumptions:', ...s.assumptions.map((a) => `  ${a}`))
  return lines.join('\n')
}

/** One file's import report: what was read, what landed, skipped rows and errors grouped by message, notes. */
export function importReportText(r: ImportReport): string {
  const lines: string[] = []
  if (r.status === 'duplicate') {
    lines.push(`${r.fileName}: already imported (import #${r.duplicateOf ?? r.importId}${r.format ? `, ${r.format}` : ''}); nothing written`)
    return lines.join('\n')
  }
  if (!r.ok) {
    lines.push(`${r.fileName}: FAILED${r.format ? ` (${r.format})` : ''}, nothing written — ${r.errorCount} error${r.errorCount === 1 ? '' : 's'}:`)
    for (const g of r.errorGroups.slice(0, 10))
      lines.push(`  ${g.count} × ${g.column ? `[${g.column}] ` : ''}${g.message}${g.lines.length > 0 ? ` (line${g.lines.length > 1 ? 's' : ''} ${g.lines.slice(0, 8).join(', ')}${g.count > 8 ? ', …' : ''})` : ''}${g.values.length > 0 ? ` found ${g.values.map((v) => `"${v}"`).join(', ')}` : ''}`)
    return lines.join('\n')
  }
  const what = [
    r.positions.length > 0 || r.content === 'positions' || r.content === 'trades' ? plural(r.positions.length, 'position') : null,
    r.fills > 0 ? plural(r.fills, 'fill') : null,
    r.ledgerEntries > 0 ? plural(r.ledgerEntries, 'ledger entry', 'ledger entries') : null,
    r.balances.length > 0 ? plural(r.balances.length, 'balance') : null,
    r.quotes > 0 ? plural(r.quotes, 'quote') : null,
    r.closes > 0 ? plural(r.closes, 'close') : null,
    r.content === 'tiers' || (r.tierTables ?? 0) > 0 ? `${r.tierTables ?? 0} tier table${r.tierTables === 1 ? '' : 's'}` : null,
  ].filter((x) => x !== null)
  const rowsRead = `${plural(r.rows, 'row')}${r.content === 'tiers' ? ' (tiers)' : ''}`
  lines.push(`${r.fileName}: ${r.status === 'preview' ? 'would import' : 'imported'} as ${r.format} — ${[rowsRead, ...what].join(', ')}${r.asOf ? `, as of ${r.asOf}` : ''}`)
  if (r.duplicateRows > 0) lines.push(`  ${r.duplicateRows} rows were already imported (import #${r.duplicateOf}); not stored twice`)
  for (const g of r.skipped) lines.push(`  skipped ${g.count} × ${g.reason} (line${g.lines.length > 1 ? 's' : ''} ${g.lines.slice(0, 8).join(', ')}${g.count > 8 ? ', …' : ''})`)
  for (const n of r.notes) lines.push(`  note: ${n}`)
  if (r.positions.length > 0)
    lines.push(
      table(
        ['venue/account', 'instrument', 'canonical', 'quantity', 'entry', 'realized'],
        r.positions.map((p) => [
          `${p.venue}/${p.account}`,
          p.instrument,
          p.symbol,
          `${fmtDecimal(p.quantity)} ${p.quantityUnit === 'usd' ? 'USD' : p.symbol.split('/')[0]}`,
          `${fmtDecimal(p.entryPrice)} ${p.priceCurrency}`,
          p.realizedPnl === null ? '' : `${p.realizedPnl} ${p.pnlCurrency}`,
        ]),
        false,
      ),
    )
  return lines.join('\n')
}

/** The import history, newest first. */
export function importHistoryText(list: ImportHistoryItem[]): string {
  return table(
    ['#', 'imported at (UTC)', 'by', 'file', 'format', 'portfolio', 'rows', 'stored', 'skipped', 'dup', 'data as of', 'removed'],
    list.map((e) => [
      String(e.id),
      e.importedAt.replace('T', ' ').slice(0, 19),
      `${e.importedBy ?? '?'} (${e.host ?? '?'})`,
      e.fileName,
      e.format,
      e.portfolio ?? '—',
      String(e.rowsRead),
      String(e.rowsImported),
      String(e.rowsSkipped),
      String(e.duplicateRows),
      e.asOf === null ? '—' : e.asOf.slice(0, 19),
      removalText(e),
    ]),
    false,
  )
}

/** "removed at …" for a removed import, else its removed positions; empty when nothing was removed. */
function removalText(e: ImportHistoryItem): string {
  const at = (iso: string) => iso.replace('T', ' ').slice(0, 19)
  const lines = e.removals.map((r) =>
    r.action === 'positions' ? `${r.rows.positions} position${r.rows.positions === 1 ? '' : 's'} removed at ${at(r.removedAt)}` : `removed at ${at(r.removedAt)} (${r.what})`,
  )
  return lines.join('\n')
}
