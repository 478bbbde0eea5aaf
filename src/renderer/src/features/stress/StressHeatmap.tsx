/**
 * A spot × vol matrix too large for a readable table, drawn as a heatmap: one square per scenario coloured by
 * its P&L on the grid's diverging scale, a tooltip per cell (spot, vol, P&L). The bundled Plotly build has no
 * heatmap trace, so the cells are square markers of a scatter trace sized to tile the plot.
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { fmt, pct, volPts } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'
import { PNL_COLORSCALE } from '../../components/pnlColor'
import type { MatrixProps } from './StressGrid'

/** The heatmap's plot area in px (the `.heatmap` box less the layout's margins). */
const PLOT_W = 640
const PLOT_H = 560

export function StressHeatmap({ spotShocks, volShocks, values, spotDigits, volDigits, onCellClick }: MatrixProps & { spotDigits: number; volDigits: number }) {
  const { data, layout } = useMemo(() => {
    // Points in scenario order (row × columns + column), so a point's index is its scenario's.
    const x: number[] = []
    const y: number[] = []
    const z: number[] = []
    const text: string[] = []
    spotShocks.forEach((s, i) =>
      volShocks.forEach((v, j) => {
        x.push(v)
        y.push(s * 100)
        z.push(values[i]![j]!)
        text.push(`spot ${pct(s, spotDigits)}, vol ${volPts(v, volDigits)}<br>P&L ${fmt(values[i]![j]!)} USD`)
      }),
    )
    const maxAbs = Math.max(...z.map(Math.abs), 1)
    const size = Math.max(2, Math.min(PLOT_W / volShocks.length, PLOT_H / spotShocks.length))
    const data = [
      {
        type: 'scatter',
        mode: 'markers',
        x,
        y,
        text,
        hovertemplate: '%{text}<extra></extra>',
        marker: { symbol: 'square', size, color: z, colorscale: PNL_COLORSCALE, cmin: -maxAbs, cmax: maxAbs, line: { width: 0 }, colorbar: { title: { text: 'P&L USD' } } },
      },
    ] as unknown as Plotly.Data[]
    const layout: Partial<Plotly.Layout> = {
      margin: { l: 70, r: 20, t: 10, b: 50 },
      xaxis: { title: { text: 'vol shock (pts)' }, zeroline: false },
      yaxis: { title: { text: 'spot shock (%)' }, zeroline: false },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      hovermode: 'closest',
    }
    return { data, layout }
  }, [spotShocks, volShocks, values, spotDigits, volDigits])
  const config = useMemo(() => ({}), [])
  return (
    <div data-testid="stress-heatmap-box">
      <PlotlyChart
        data={data}
        layout={layout}
        config={config}
        className="heatmap"
        testId="stress-heatmap"
        onPointClick={onCellClick}
      />
    </div>
  )
}
