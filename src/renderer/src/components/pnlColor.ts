/**
 * Diverging heatmap colour for a P&L: red for losses, green for gains, white at zero; intensity scaled by
 * the largest absolute P&L on the grid.
 */
export function pnlColor(pnl: number, maxAbs: number): string {
  if (!(maxAbs > 0) || !Number.isFinite(pnl)) return 'transparent'
  const t = Math.min(1, Math.abs(pnl) / maxAbs)
  const fade = (c: number) => Math.round(255 - (255 - c) * t)
  return pnl < 0 ? `rgb(255, ${fade(70)}, ${fade(70)})` : `rgb(${fade(40)}, ${fade(170)}, ${fade(90)})`
}

/** The same scale as a Plotly colorscale, for the surface (shared/stressCharts.ts). */
export { PNL_COLORSCALE } from '../../../shared/stressCharts'
