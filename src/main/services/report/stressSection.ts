/**
 * Stress: the spot × vol grid as a heatmap and as the surface's lines (P&L over spot per vol shock), the SPAN-16 and portfolio-margin
 * sets, historical episodes and their close-out (liquidity-gap) costs.
 */
import type { ReportBlock, ReportSection, StressResult } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { stressProfileFigure } from '../../../shared/stressCharts'
import { BUILTIN_SET_LABELS } from '../../../shared/stressApi'
import { marketLine, notes, num, percent, table, text } from './blocks'
import type { ReportInputs } from './inputs'

/** One row per scenario: spot move per underlying, P&L whole book and derivatives only, Taylor estimate. */
function scenarioTable(id: string, r: StressResult, withCosts: boolean): ReportBlock {
  const underlyings = Object.keys(r.scenarios[0]?.spotShocks ?? {})
  return table(
    id,
    `${BUILTIN_SET_LABELS[r.set.name as keyof typeof BUILTIN_SET_LABELS] ?? r.set.name}: ${r.set.description}`,
    [
      text('name', 'Scenario'),
      ...underlyings.map((u) => percent(`spot:${u}`, `${u} move`, 1)),
      num('weight', 'Weight', null, 2),
      ...(withCosts ? [num('grossUsd', 'P&L before close-out', 'USD', 0), num('liquidityUsd', 'Close-out cost', 'USD', 0)] : []),
      num('pnlUsd', withCosts ? 'P&L net' : 'P&L whole book', 'USD', 0),
      num('derivativesPnlUsd', 'P&L derivatives', 'USD', 0),
      num('taylorUsd', 'Taylor estimate', 'USD', 0),
    ],
    r.scenarios.map((s) => ({
      name: s.name,
      ...Object.fromEntries(underlyings.map((u) => [`spot:${u}`, s.spotShocks[u] ?? null])),
      weight: s.weight,
      // pnlUsd is net of the close-out cost (stressApi.ts), so the gross P&L adds it back.
      ...(withCosts ? { grossUsd: s.pnlUsd + s.liquidityUsd, liquidityUsd: s.liquidityUsd } : {}),
      pnlUsd: s.pnlUsd,
      derivativesPnlUsd: s.derivativesPnlUsd,
      taylorUsd: s.taylorUsd,
    })),
    { note: r.worst ? `Worst: ${r.worst.name}, ${Math.round(r.worst.pnlUsd).toLocaleString('en-US')} USD.` : null },
  )
}

export async function stressSection(inputs: ReportInputs): Promise<ReportSection> {
  const [grid, span16, pm, historical] = await Promise.all([inputs.stress('grid'), inputs.stress('span16'), inputs.stress('pm'), inputs.stress('historical')])
  const blocks: ReportBlock[] = []
  if (grid.spotShocks && grid.volShocks && grid.pnlUsd) {
    blocks.push({
      kind: 'heatmap',
      id: 'stress-grid',
      title: `Spot × vol grid: P&L of the whole book, USD (rows spot shock, columns vol shock)`,
      spotShocks: grid.spotShocks,
      volShocks: grid.volShocks,
      values: grid.pnlUsd,
      unit: 'USD',
      digits: 0,
    })
    // The Stress view's 3-D surface needs WebGL, which headless Chromium draws in software (seconds) and Plotly
    // can only rasterise; on paper the same grid is the heatmap above and these lines, both vector.
    const fig = stressProfileFigure(grid.spotShocks, grid.volShocks, grid.pnlUsd)
    blocks.push({ kind: 'chart', id: 'stress-surface', title: 'P&L surface as lines: P&L over the spot shock, one line per vol shock (USD)', data: fig.data, layout: fig.layout, render: 'svg' })
  }
  blocks.push(scenarioTable('stress-span16', span16, false), scenarioTable('stress-pm', pm, false), scenarioTable('stress-historical', historical, true))
  const assumptions = [...new Set([grid, span16, pm, historical].flatMap((r) => r.assumptions))]
  const excluded = grid.excluded.map((e) => `${e.instrument}: ${e.reason}`)
  if (excluded.length > 0) blocks.push(notes('stress-excluded', 'Left out of every run (not valued)', excluded))
  if (assumptions.length > 0) blocks.push(notes('stress-assumptions', 'Assumptions of the runs', assumptions))
  const { report } = inputs.book()
  return { id: 'stress', title: REPORT_SECTION_TITLES.stress, asOf: grid.valuationTime, market: marketLine(report.market), blocks }
}
