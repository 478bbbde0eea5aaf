/**
 * Diverging heatmap colour for a P&L: red for losses, green for gains, nothing at zero; intensity scaled by
 * the largest absolute P&L on the grid. The colour is translucent over the cell's own background, so the same
 * scale reads in the light and the dark theme.
 */
export function pnlColor(pnl: number, maxAbs: number): string {
  if (!(maxAbs > 0) || !Number.isFinite(pnl)) return 'transparent'
  const t = Math.min(1, Math.abs(pnl) / maxAbs)
  const alpha = (0.8 * t).toFixed(3)
  return pnl < 0 ? `rgba(235, 60, 60, ${alpha})` : `rgba(40, 170, 90, ${alpha})`
}

/** The same scale as a Plotly colorscale, for the surface (shared/stressCharts.ts). */
export { PNL_COLORSCALE } from '../../../shared/stressCharts'
