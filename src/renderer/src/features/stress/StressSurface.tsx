/** Plotly 3D surface of a spot × vol matrix: P&L (USD) over spot shock (%) × vol shock (vol points). */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo } from 'react'
import { decimalsFor, fmt, pct, volPts } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'
import { PNL_COLORSCALE } from '../../components/pnlColor'

const LAYOUT: Partial<Plotly.Layout> = {
  margin: { l: 0, r: 0, t: 10, b: 0 },
  scene: {
    xaxis: { title: { text: 'vol shock (pts)' } },
    yaxis: { title: { text: 'spot shock (%)' } },
    zaxis: { title: { text: 'P&L (USD)' } },
    camera: { eye: { x: 1.6, y: -1.6, z: 0.9 } },
  },
  paper_bgcolor: 'rgba(0,0,0,0)',
}

export function StressSurface({ spotShocks, volShocks, values }: { spotShocks: number[]; volShocks: number[]; values: number[][] }) {
  const data = useMemo(() => {
    const spotDigits = decimalsFor(spotShocks.map((s) => s * 100), 2)
    const volDigits = decimalsFor(volShocks, 2)
    const maxAbs = Math.max(...values.flat().map(Math.abs), 1)
    // cmin/cmax centre the colour scale on zero; @types/plotly.js lacks them for surfaces.
    return [
      {
        type: 'surface',
        x: volShocks,
        y: spotShocks.map((s) => s * 100),
        z: values,
        colorscale: PNL_COLORSCALE,
        cmin: -maxAbs,
        cmax: maxAbs,
        colorbar: { title: { text: 'P&L USD' } },
        // Hover text written by shared/format.ts, as the grid writes the same figures.
        text: spotShocks.map((s, i) => volShocks.map((v, j) => `vol ${volPts(v, volDigits)}<br>spot ${pct(s, spotDigits)}<br>P&L ${fmt(values[i]![j])} USD`)),
        hovertemplate: '%{text}<extra></extra>',
      },
    ] as unknown as Plotly.Data[]
  }, [spotShocks, volShocks, values])
  return <PlotlyChart data={data} layout={LAYOUT} className="surface" testId="stress-surface" />
}
