/**
 * Value at Risk and Expected Shortfall (varService.ts runVar, the VaR view's defaults, REPORT_VAR): the figures
 * with method, confidence, horizon, window and the price data's last day, the P&L distribution (the VaR view's
 * figure, shared/varCharts.ts), the Euler contributions, and the backtest (exceptions, Kupiec POF,
 * Christoffersen independence, conditional coverage, Basel traffic light). Left out (null) when the book has no
 * usable price history: the methodology says why.
 */
import type { ReportBlock, ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { VAR_METHOD_LABELS, type BacktestResult, type VarResult } from '../../../shared/varApi'
import { backtestFigure, varDistributionFigure } from '../../../shared/varCharts'
import { figure, marketLine, notes, num, percent, table, text } from './blocks'
import type { ReportInputs } from './inputs'

/** "99 % 1-day historical simulation": how a VaR figure is labelled wherever the report shows it. */
export function varLabel(r: Pick<VarResult, 'method' | 'model' | 'confidence' | 'horizonDays'>): string {
  return `${+(r.confidence * 100).toFixed(4)} % ${r.horizonDays}-day, ${VAR_METHOD_LABELS[r.method]}${r.model ? ` (${r.model})` : ''}`
}

function headline(r: VarResult): ReportBlock {
  return {
    kind: 'figures',
    id: 'var-headline',
    title: `VaR and ES: ${varLabel(r)}`,
    items: [
      figure('Value at Risk', r.var, 'USD', 2, 'positive loss of the whole book at the confidence level over the horizon'),
      figure('Expected Shortfall', r.es, 'USD', 2, 'mean loss beyond VaR'),
      figure('Method', `${VAR_METHOD_LABELS[r.method]}${r.model ? ` (${r.model})` : ''}`, null, null),
      figure('Confidence', r.confidence, '%', 2, null, true),
      figure('Horizon', r.horizonDays, 'days', 0),
      figure('Window', `${r.window.first} … ${r.window.last}`, null, null, `${r.window.returns} daily returns${r.window.gaps.length > 0 ? `, ${r.window.gaps.length} days without a joint move left out` : ''}`),
      figure('Price data as of', r.window.last, null, null, 'the last daily return of the window (UTC day)'),
      figure('Book value', r.valueUsd, 'USD', 2, `${r.positions} lines revalued (positions and balances)`),
      figure('Scenarios revalued', r.scenarios, null, 0),
      figure('Risk factors', r.factors.map((f) => `${f.name}${f.proxy ? ' (proxy)' : ''} σ ${(f.dailySd * 100).toFixed(2)} %/day`).join(', '), null, null),
    ],
  }
}

function contributions(r: VarResult): ReportBlock {
  const rows = [...r.contributions].sort((a, b) => b.var - a.var).map((c) => ({ key: c.key, var: c.var, es: c.es, share: c.share }))
  const total = { key: 'Total', var: r.contributions.reduce((s, c) => s + c.var, 0), es: r.contributions.reduce((s, c) => s + c.es, 0), share: r.contributions.reduce((s, c) => s + c.share, 0) }
  return table(
    'var-contributions',
    `Contributions by ${r.by} (Euler allocation)`,
    [text('key', r.by === 'position' ? 'Position' : r.by === 'underlying' ? 'Underlying' : 'Account'), num('var', 'VaR contribution', 'USD', 2), num('es', 'ES contribution', 'USD', 2), percent('share', 'Share of VaR', 1)],
    [...rows, total],
    { totalRows: [rows.length], note: 'Each line’s P&L in the VaR scenario (and the ES tail); the components add up to VaR and ES.' },
  )
}

function backtestBlocks(b: BacktestResult | Error): ReportBlock[] {
  if (b instanceof Error) return [notes('var-backtest', 'Backtest', [`No backtest: ${b.message}`])]
  return [
    {
      kind: 'figures',
      id: 'var-backtest',
      title: `Backtest: ${VAR_METHOD_LABELS[b.method]}${b.model ? ` (${b.model})` : ''}, ${+(b.confidence * 100).toFixed(4)} % 1-day VaR, window ${b.window} days, ${b.from} … ${b.to}`,
      items: [
        figure('Days tested', b.days, null, 0),
        figure('Exceptions', b.exceptions, null, 0, 'days the hypothetical loss exceeded the VaR forecast'),
        figure('Expected exceptions', b.expectedExceptions, null, 1, 'days × (1 − confidence)'),
        figure('Kupiec POF LR', b.kupiec.lr, null, 4, `p-value ${b.kupiec.pValue.toFixed(4)} (Kupiec 1995)`),
        figure('Christoffersen independence LR', b.christoffersen.lr, null, 4, `p-value ${b.christoffersen.pValue.toFixed(4)} (Christoffersen 1998)`),
        figure('Conditional coverage LR', b.conditionalCoverage.lr, null, 4, `p-value ${b.conditionalCoverage.pValue.toFixed(4)}`),
        figure('Basel traffic light', `${b.trafficLight.zone} zone`, null, null, `cumulative probability ${b.trafficLight.cumulativeProbability.toFixed(4)}`),
      ],
    },
    { kind: 'chart', id: 'var-backtest-chart', title: 'Backtest: daily hypothetical P&L, −VaR forecast, exceptions (USD)', ...backtestFigure(b), render: 'svg' },
    ...(b.notes.length > 0 ? [notes('var-backtest-notes', 'Backtest notes', b.notes)] : []),
  ]
}

export async function varSection(inputs: ReportInputs): Promise<ReportSection | null> {
  const v = await inputs.var()
  if (v instanceof Error) return null
  const r = v.result
  const blocks: ReportBlock[] = [
    headline(r),
    { kind: 'chart', id: 'var-distribution', title: `P&L distribution over ${r.horizonDays} day${r.horizonDays > 1 ? 's' : ''}, −VaR and −ES marked (USD)`, ...varDistributionFigure(r), render: 'svg' },
    table(
      'var-quantiles',
      'P&L quantiles',
      [percent('p', 'Probability', 1), num('pnlUsd', 'P&L', 'USD', 2)],
      r.distribution.quantiles.map((q) => ({ p: q.p, pnlUsd: q.pnlUsd })),
      { note: `Mean ${r.distribution.mean.toFixed(2)} USD, standard deviation ${r.distribution.sd.toFixed(2)} USD.` },
    ),
    contributions(r),
    ...backtestBlocks(v.backtest),
  ]
  const excluded = [...r.excluded.map((e) => `${e.instrument}: ${e.reason}`), ...r.badPositions.map((b) => `${b.key}: P&L not finite in ${b.scenarios} scenarios (left out of them)`)]
  if (excluded.length > 0) blocks.push(notes('var-excluded', 'Left out', excluded))
  if (r.notes.length > 0) blocks.push(notes('var-notes', 'Sources, proxies and assumptions', r.notes))
  const { report } = inputs.book()
  return { id: 'var', title: REPORT_SECTION_TITLES.var, asOf: r.valuationTime, market: marketLine(report.market), blocks }
}
