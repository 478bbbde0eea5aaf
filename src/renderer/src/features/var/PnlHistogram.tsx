/** The P&L distribution of a VaR run: histogram (USD), with −VaR and −ES marked. Parametric runs have no sample:
 * their quantiles are drawn instead. The figure is shared/varCharts.ts's, as the report prints it. */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { varDistributionFigure } from '../../../../shared/varCharts'
import type { VarResult } from '../../../../shared/varApi'
import { PlotlyChart } from '../../components/PlotlyChart'

export function PnlHistogram({ result }: { result: VarResult }) {
  const { data, layout } = useMemo(() => {
    const f = varDistributionFigure(result)
    return { data: f.data as unknown as Plotly.Data[], layout: f.layout as Partial<Plotly.Layout> }
  }, [result])
  return <PlotlyChart data={data} layout={layout} className="var-chart" testId="var-histogram" />
}
