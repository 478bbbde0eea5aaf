/**
 * The one-page summary: equity (book value; per margin account in its coin and USD), net Greeks per underlying
 * (whole book and derivatives only), the worst stress loss of the report's sets and its scenario, VaR and ES (when
 * the book has a price history), margin usage and the nearest liquidation in % and daily σ. Every figure is the API's own (positions report, stress
 * results, margin report); the only arithmetic here is initial margin ÷ equity (margin usage).
 */
import type { LiquidationLevels, ReportSection, ThresholdPoint } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { BUILTIN_SET_LABELS } from '../../../shared/stressApi'
import { figure, marketLine, num, percent, table, text } from './blocks'
import { REPORT_STRESS_SETS, type ReportInputs, type ReportStressSet } from './inputs'
import { varLabel } from './varSection'

/** The nearest liquidation of the book: the threshold point closest to today's index over every account. */
function nearestLiquidation(inputs: ReportInputs): { account: string; levels: LiquidationLevels; point: ThresholdPoint } | null {
  let best: { account: string; levels: LiquidationLevels; point: ThresholdPoint } | null = null
  for (const a of inputs.margin().accounts) {
    const all = [...a.liquidation.map((l) => ({ l, scope: a.key })), ...a.positions.flatMap((p) => (p.liquidation ? [{ l: p.liquidation, scope: `${a.key} ${p.id}` }] : []))]
    for (const { l, scope } of all)
      for (const point of [l.below, l.above])
        if (point && (best === null || Math.abs(point.distancePercent) < Math.abs(best.point.distancePercent))) best = { account: scope, levels: l, point }
  }
  return best
}

export async function summarySection(inputs: ReportInputs): Promise<ReportSection> {
  const { report } = inputs.book()
  const margin = inputs.margin()
  const sets = Object.keys(REPORT_STRESS_SETS) as ReportStressSet[]
  const stress = await Promise.all(sets.map((s) => inputs.stress(s)))
  const worsts = stress.flatMap((r, k) => (r.worst ? [{ set: sets[k]!, label: BUILTIN_SET_LABELS[sets[k]!], liquidity: r.liquidity, ...r.worst }] : []))
  const worst = worsts.reduce<(typeof worsts)[number] | null>((w, x) => (w === null || x.pnlUsd < w.pnlUsd ? x : w), null)
  const nearest = nearestLiquidation(inputs)
  const breached = margin.accounts.filter((a) => a.liquidated === true).map((a) => a.key)
  // VaR and ES when the book has a price history (else left out here; the methodology says why).
  const v = await inputs.var()
  const varFigures =
    v instanceof Error
      ? []
      : [
          figure(`VaR, ${varLabel(v.result)}`, v.result.var, 'USD', 2, `window ${v.result.window.first} … ${v.result.window.last} (${v.result.window.returns} daily returns)`),
          figure(`ES, ${varLabel(v.result)}`, v.result.es, 'USD', 2, 'mean loss beyond VaR'),
        ]

  return {
    id: 'summary',
    title: REPORT_SECTION_TITLES.summary,
    asOf: report.valuationTime,
    market: marketLine(report.market),
    blocks: [
      {
        kind: 'figures',
        id: 'summary-headline',
        title: 'Headline',
        items: [
          figure('Book value (equity), whole book', report.book.valueUsd, 'USD', 2, 'derivatives + balances at the valuation instant'),
          figure('Book value, derivatives only', report.book.derivativesValueUsd, 'USD', 2),
          figure('Book value, balances', report.book.balancesValueUsd, 'USD', 2),
          figure(
            'Worst stress loss',
            worst?.pnlUsd ?? null,
            'USD',
            0,
            worst ? `scenario "${worst.name}" of ${worst.label}${worst.liquidity ? ', net of close-out costs' : ''}` : 'no scenario could be valued',
          ),
          figure(
            'Nearest liquidation',
            nearest?.point.indexPrice ?? null,
            'USD',
            2,
            nearest ? `${nearest.levels.underlying} index, ${nearest.account} (${nearest.levels.scope})` : 'no liquidation price on either side',
          ),
          figure('Distance to nearest liquidation', nearest?.point.distancePercent ?? null, '%', 2, '(price − index) ÷ index'),
          figure('Distance to nearest liquidation in daily σ', nearest?.point.dailySigmas ?? null, 'σ', 2, nearest ? `daily σ ${nearest.levels.dailyVol} (${nearest.levels.dailyVolSource})` : null),
          ...varFigures,
          figure('Accounts in liquidation now', breached.length === 0 ? 'none' : breached.join(', '), null, null),
        ],
      },
      table(
        'summary-greeks',
        'Net Greeks per underlying',
        [
          text('underlying', 'Underlying'),
          num('indexPrice', 'Index', 'USD', 2),
          num('delta', 'Delta total', 'coin', 4),
          num('derivativesDelta', 'Delta derivatives', 'coin', 4),
          num('deltaUsd', 'Delta total', 'USD', 0),
          num('derivativesDeltaUsd', 'Delta derivatives', 'USD', 0),
          num('gamma', 'Gamma', 'coin/USD', 6),
          num('gammaUsdPer1Pct', 'Gamma', 'USD per 1%', 0),
          num('vegaUsd', 'Vega', 'USD/vol pt', 0),
          num('thetaUsd', 'Theta', 'USD/day', 0),
        ],
        report.totals.map((t) => ({ ...t })),
        { note: 'Total = derivatives + balances; gamma, vega and theta come from derivatives alone. Delta is the USD delta in coin (∂ USD value / ∂ index).' },
      ),
      table(
        'summary-equity',
        'Equity and margin per account',
        [
          text('key', 'Account'),
          text('equity', 'Equity (margin currency)'),
          text('equityUsd', 'Equity USD'),
          text('initialMargin', 'Initial margin'),
          text('maintenanceMargin', 'Maintenance margin'),
          percent('imUsage', 'IM ÷ equity', 2),
          percent('marginRatio', 'Margin ratio MM ÷ equity', 2),
        ],
        margin.accounts.map((a) => ({
          key: `${a.key} (${a.rule?.label ?? 'no rule'})`,
          equity: a.equity === null ? null : `${a.equity} ${a.marginCurrency}`,
          equityUsd: a.equityUsd,
          initialMargin: a.initialMargin === null ? null : `${a.initialMargin} ${a.marginCurrency}`,
          maintenanceMargin: a.maintenanceMargin === null ? null : `${a.maintenanceMargin} ${a.marginCurrency}`,
          imUsage: a.initialMargin !== null && a.equity !== null && Number(a.equity) > 0 ? Number(a.initialMargin) / Number(a.equity) : null,
          marginRatio: a.marginRatio,
        })),
        { note: 'Money in each account’s margin currency as the margin report gives it (coins 8 decimals, USD 2).' },
      ),
      table(
        'summary-worst',
        'Worst scenario per stress set',
        [text('set', 'Set'), text('scenario', 'Worst scenario'), num('pnlUsd', 'P&L', 'USD', 0), num('weightedPnlUsd', 'Weighted P&L', 'USD', 0)],
        worsts.map((w) => ({ set: `${w.label}${w.liquidity ? ' (net of close-out)' : ''}`, scenario: w.name, pnlUsd: w.pnlUsd, weightedPnlUsd: w.weightedPnlUsd })),
      ),
    ],
  }
}
