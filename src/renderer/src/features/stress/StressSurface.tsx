/** Plotly 3D surface of a spot × vol matrix: P&L (USD) over spot shock (%) × vol shock (vol points). The figure
 * is shared/stressCharts.ts's, the one the report prints. */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { stressSurfaceFigure } from '../../../../shared/stressCharts'
import { PlotlyChart } from '../../components/PlotlyChart'

export function StressSurface({ spotShocks, volShocks, values }: { spotShocks: number[]; volShocks: number[]; values: number[][] }) {
  const figure = useMemo(() => stressSurfaceFigure(spotShocks, volShocks, values), [spotShocks, volShocks, values])
  return (
    <PlotlyChart
      data={figure.data as unknown as Plotly.Data[]}
      layout={figure.layout as Partial<Plotly.Layout>}
      className="surface"
      testId="stress-surface"
    />
  )
}
