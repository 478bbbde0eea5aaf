/**
 * Margin and liquidation: per account (equity, IM, MM, margin ratio, available, SPAN-style scan risk), the
 * liquidation ladder (liquidation and bankruptcy prices below and above the index, distances in % and daily σ),
 * margin under the SPAN-16 scenarios, and the liquidation cascade on the default path.
 */
import type { ReportBlock, ReportCell, ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { figure, marketLine, notes, num, percent, table, text } from './blocks'
import type { ReportInputs } from './inputs'

const withCcy = (x: string | null, ccy: string) => (x === null ? null : `${x} ${ccy}`)

export function marginSection(inputs: ReportInputs): ReportSection {
  const margin = inputs.margin()
  const { report } = inputs.book()
  const blocks: ReportBlock[] = []
  blocks.push(
    table(
      'margin-accounts',
      `Margin per account (venue tables as of ${margin.asOf}, ${margin.asOfBasis}; ${margin.venueRules})`,
      [
        text('key', 'Account'),
        text('rule', 'Rule'),
        text('status', 'Status'),
        text('equity', 'Equity'),
        text('equityUsd', 'Equity USD'),
        text('initialMargin', 'Initial margin'),
        text('maintenanceMargin', 'Maintenance margin'),
        percent('marginRatio', 'Margin ratio', 2),
        text('availableBalance', 'Available'),
        text('spanScanRisk', 'SPAN-style scan risk'),
      ],
      margin.accounts.map((a) => ({
        key: a.key,
        rule: a.rule?.label ?? null,
        status: a.status,
        equity: withCcy(a.equity, a.marginCurrency),
        equityUsd: a.equityUsd,
        initialMargin: withCcy(a.initialMargin, a.marginCurrency),
        maintenanceMargin: withCcy(a.maintenanceMargin, a.marginCurrency),
        marginRatio: a.marginRatio,
        availableBalance: withCcy(a.availableBalance, a.marginCurrency),
        spanScanRisk: withCcy(a.spanScanRisk, a.marginCurrency),
      })),
      { note: 'Margin ratio = (maintenance margin + liquidation fee) ÷ equity; ≥ 100 % is liquidation.' },
    ),
  )

  const ladder: Array<Record<string, ReportCell>> = []
  for (const a of margin.accounts)
    for (const l of [...a.liquidation, ...a.positions.flatMap((p) => (p.liquidation ? [p.liquidation] : []))])
      ladder.push({
        account: a.key,
        scope: `${l.underlying} ${l.scope}`,
        indexPrice: l.indexPrice,
        bankruptcyBelow: l.bankruptcyBelow?.indexPrice ?? null,
        below: l.below?.indexPrice ?? null,
        belowPct: l.below?.distancePercent ?? null,
        belowSigma: l.below?.dailySigmas ?? null,
        above: l.above?.indexPrice ?? null,
        abovePct: l.above?.distancePercent ?? null,
        aboveSigma: l.above?.dailySigmas ?? null,
        bankruptcyAbove: l.bankruptcyAbove?.indexPrice ?? null,
        note: l.alreadyBreached ? 'already breached' : l.note,
      })
  blocks.push(
    table(
      'margin-ladder',
      'Liquidation ladder (index prices)',
      [
        text('account', 'Account'),
        text('scope', 'Underlying, scope'),
        num('indexPrice', 'Index now', 'USD', 2),
        num('bankruptcyBelow', 'Bankruptcy below', 'USD', 2),
        num('below', 'Liquidation below', 'USD', 2),
        num('belowPct', 'Distance', '%', 2),
        num('belowSigma', 'Distance', 'daily σ', 2),
        num('above', 'Liquidation above', 'USD', 2),
        num('abovePct', 'Distance', '%', 2),
        num('aboveSigma', 'Distance', 'daily σ', 2),
        num('bankruptcyAbove', 'Bankruptcy above', 'USD', 2),
        text('note', 'Note'),
      ],
      ladder,
      { note: 'Distance = (price − index) ÷ index; in σ = |ln(price ÷ index)| ÷ daily σ.' },
    ),
  )

  const ms = inputs.marginStress()
  blocks.push(
    table(
      'margin-stress',
      `Margin under stress: ${ms.set.description} (margin ratio per account; L = liquidated)`,
      [text('scenario', 'Scenario'), ...ms.accounts.map((a) => text(a.key, `${a.key} margin ratio`))],
      [
        { scenario: 'now', ...Object.fromEntries(ms.accounts.map((a, j) => [a.key, ratioText(ms.current[j]?.marginRatio, ms.current[j]?.liquidated)])) },
        ...ms.scenarios.map((s, k) => ({
          scenario: s.name,
          ...Object.fromEntries(ms.accounts.map((a, j) => [a.key, s.notValued ?? ratioText(ms.cells[k]![j]?.marginRatio, ms.cells[k]![j]?.liquidated)])),
        })),
      ],
      { note: 'Margin ratio as a percent with 2 decimals; “infinite” = equity ≤ 0 with a requirement.' },
    ),
  )

  const c = inputs.cascade()
  if (c instanceof Error) blocks.push(notes('margin-cascade', 'Liquidation cascade', [`The cascade could not run: ${c.message}`]))
  else {
    blocks.push({
      kind: 'figures',
      id: 'margin-cascade',
      title: `Liquidation cascade: ${c.path.description} (${c.underlying}, ${c.path.steps} steps${c.market.included ? `, with the leveraged market of ${c.market.participants} participants` : ''})`,
      items: [
        figure('Start price', c.startPrice, 'USD', 2),
        figure('Final price without the cascade', c.exogenousFinalPrice, 'USD', 2),
        figure('Final price with forced selling', c.finalPrice, 'USD', 2),
        figure('Extra move from the cascade', c.extraMoveRelative, '%', 2, 'final ÷ exogenous final − 1', true),
        figure('Total liquidated', c.totalLiquidatedCoin, c.underlying, null),
        figure('Total liquidated notional', c.totalLiquidatedNotionalUsd, 'USD', null),
        figure('Shortfall beyond equity', c.totalShortfallUsd, 'USD', null),
      ],
    })
    const own = c.outcomes.filter((o) => o.kind === 'account')
    blocks.push(
      table(
        'margin-cascade-outcomes',
        'Cascade outcome per account',
        [
          text('account', 'Account'),
          text('liquidated', 'Liquidated'),
          num('triggerPrice', 'At price', 'USD', 2),
          text('cause', 'Cause'),
          text('shortfallUsd', 'Shortfall USD'),
          text('equityEndUsd', 'Equity at path end USD'),
        ],
        own.map((o) => ({ account: o.account, liquidated: o.liquidated ? `yes, step ${o.step}` : 'no', triggerPrice: o.triggerPrice, cause: o.explanation ?? o.cause, shortfallUsd: o.shortfallUsd, equityEndUsd: o.equityEndUsd })),
        { note: c.skipped.length > 0 ? `Left out: ${c.skipped.map((s) => `${s.key} (${s.reason})`).join('; ')}` : null },
      ),
    )
  }
  const assumptions = [...new Set([...margin.assumptions, ...ms.assumptions, ...(c instanceof Error ? [] : c.assumptions)])]
  if (margin.excluded.length > 0) blocks.push(notes('margin-excluded', 'Left out of margin', margin.excluded.map((e) => `${e.venue}/${e.account} ${e.instrument}: ${e.reason}`)))
  if (assumptions.length > 0) blocks.push(notes('margin-assumptions', 'Assumptions', assumptions))
  return { id: 'margin', title: REPORT_SECTION_TITLES.margin, asOf: margin.valuationTime, market: marketLine(report.market), blocks }
}

function ratioText(ratio: number | null | undefined, liquidated: boolean | undefined): string | null {
  if (ratio === undefined && liquidated === undefined) return null
  const r = ratio === null ? 'infinite' : `${(ratio! * 100).toFixed(2)} %`
  return liquidated ? `${r} L` : r
}
