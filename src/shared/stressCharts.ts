/**
 * Plotly figures of the stress engine, as plain data, shared by the Stress view and the report so the PDF shows
 * the same figure as the screen: the spot × vol P&L surface.
 */
import { decimalsFor, fmt, pct, volPts } from './format'

/** Diverging P&L colour scale: red losses, white zero, green gains (the grid's heatmap colours, pnlColor.ts). */
export const PNL_COLORSCALE: Array<[number, string]> = [
  [0, 'rgb(200, 30, 30)'],
  [0.5, 'rgb(255, 255, 255)'],
  [1, 'rgb(40, 170, 90)'],
]

/**
 * The P&L surface: z = P&L in USD over vol shock (vol points, x) × spot shock (percent, y); the colour scale is
 * centred on zero.
 * @param spotShocks relative (−0.5 = −50 %)
 * @param values values[spot][vol], USD
 */
export function stressSurfaceFigure(spotShocks: readonly number[], volShocks: readonly number[], values: readonly (readonly number[])[]) {
  const maxAbs = Math.max(...values.flat().map(Math.abs), 1)
  const spotDigits = decimalsFor(spotShocks.map((s) => s * 100), 2)
  const volDigits = decimalsFor(volShocks, 2)
  const data: Array<Record<string, unknown>> = [
    {
      type: 'surface',
      x: [...volShocks],
      y: spotShocks.map((s) => s * 100),
      z: values.map((r) => [...r]),
      colorscale: PNL_COLORSCALE,
      cmin: -maxAbs,
      cmax: maxAbs,
      colorbar: { title: { text: 'P&L USD' } },
      // Hover text written by shared/format.ts, as the grid writes the same figures (Plotly's own formats print "-0").
      text: spotShocks.map((s, i) => volShocks.map((v, j) => `vol ${volPts(v, volDigits)}<br>spot ${pct(s, spotDigits)}<br>P&L ${fmt(values[i]![j]!)} USD`)),
      hovertemplate: '%{text}<extra></extra>',
    },
  ]
  const layout: Record<string, unknown> = {
    margin: { l: 0, r: 0, t: 10, b: 0 },
    scene: {
      xaxis: { title: { text: 'vol shock (pts)' } },
      yaxis: { title: { text: 'spot shock (%)' } },
      zaxis: { title: { text: 'P&L (USD)' } },
      camera: { eye: { x: 1.6, y: -1.6, z: 0.9 } },
    },
    paper_bgcolor: 'rgba(0,0,0,0)',
  }
  return { data, layout }
}

/**
 * The P&L surface's data as 2-D lines for print: P&L (USD, y) over the spot shock (percent, x), one line per vol
 * shock, coloured from blue (vol down) to red (vol up). Scatter traces only, so Plotly draws it as SVG (vector)
 * without WebGL; the same grid as the surface and the heatmap, cell for cell.
 * @param spotShocks relative (−0.5 = −50 %)
 * @param values values[spot][vol], USD
 */
export function stressProfileFigure(spotShocks: readonly number[], volShocks: readonly number[], values: readonly (readonly number[])[]) {
  const volDigits = decimalsFor(volShocks, 2)
  const last = Math.max(volShocks.length - 1, 1)
  const data: Array<Record<string, unknown>> = volShocks.map((v, j) => {
    const t = j / last
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `vol ${volPts(v, volDigits)}`,
      x: spotShocks.map((s) => s * 100),
      y: values.map((r) => r[j]!),
      line: { color: `rgb(${Math.round(40 + 180 * t)}, ${Math.round(90 - 40 * t)}, ${Math.round(220 - 180 * t)})`, width: v === 0 ? 3 : 1.5 },
      marker: { size: 3 },
    }
  })
  const layout: Record<string, unknown> = {
    margin: { l: 80, r: 20, t: 10, b: 50 },
    xaxis: { title: { text: 'spot shock (%)' }, zeroline: true },
    yaxis: { title: { text: 'P&L (USD)' }, zeroline: true, tickformat: ',.0f' },
    legend: { title: { text: 'vol shock' } },
    paper_bgcolor: 'rgba(0,0,0,0)',
  }
  return { data, layout }
}
