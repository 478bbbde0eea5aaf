/**
 * Vol surface: the SVI smiles fitted per expiry (lines) over the market's mark IVs (points) with the bid–ask IV
 * as vertical bars, the fit's RMSE per expiry and its arbitrage flags (butterfly, calendar), and the term
 * structure of ATM-forward vol — all from getVolSurface (services/surfaceService.ts), for a chosen stored
 * snapshot and underlying. Option chains are market-wide data: the view does not depend on the portfolio.
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useMemo, useState } from 'react'
import type { VolSurfaceReport } from '../../../../shared/surfaceApi'
import { fmt } from '../../../../shared/format'
import { PlotlyChart } from '../../components/PlotlyChart'
import { useApiQuery } from '../../data/useApi'
import './volSurface.css'

type Underlying = VolSurfaceReport['underlyings'][number]
type Expiry = Underlying['expiries'][number]

// Plotly's default colour cycle (D3 category10), so a smile and its points share a colour.
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
const day = (iso: string) => iso.slice(0, 10)
const minute = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`

function smileTraces(expiries: readonly Expiry[]): Plotly.Data[] {
  return expiries.flatMap((e, i): Plotly.Data[] => {
    const color = COLORS[i % COLORS.length]!
    const pts = e.points.filter((p) => p.fitted)
    const quoted = pts.filter((p) => p.bidIv !== null || p.askIv !== null)
    const label = `${day(e.expiry)} (${fmt(e.days, 1)} d)`
    return [
      {
        type: 'scatter',
        mode: 'lines',
        name: label,
        legendgroup: e.expiry,
        line: { color, width: 2 },
        x: e.smile.map((s) => s.strike),
        y: e.smile.map((s) => s.iv),
        hovertemplate: `${day(e.expiry)} fit: K %{x:,.0f} USD → %{y:.2f} vol pts<extra></extra>`,
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: `${day(e.expiry)} mark IV`,
        legendgroup: e.expiry,
        showlegend: false,
        marker: { color, size: 6 },
        x: pts.map((p) => p.strike),
        y: pts.map((p) => p.markIv),
        text: pts.map((p) => `${p.instrument}: mark ${fmt(p.markIv, 2)}, bid ${p.bidIv === null ? '—' : fmt(p.bidIv, 2)}, ask ${p.askIv === null ? '—' : fmt(p.askIv, 2)}, fit ${fmt(p.fitIv, 2)} vol pts`),
        hovertemplate: '%{text}<extra></extra>',
      },
      {
        // Bid to ask IV as a vertical bar per strike (drawn as it is, even where the mark lies outside it; a side
        // the venue did not quote leaves a single tick at the other).
        type: 'scatter',
        mode: 'lines+markers',
        name: `${day(e.expiry)} bid–ask IV`,
        legendgroup: e.expiry,
        showlegend: false,
        line: { color, width: 1 },
        marker: { color, symbol: 'line-ew-open', size: 7 },
        opacity: 0.55,
        x: quoted.flatMap((p) => [p.strike, p.strike, null]),
        y: quoted.flatMap((p) => [p.bidIv ?? p.askIv, p.askIv ?? p.bidIv, null]),
        hoverinfo: 'skip',
      },
    ]
  })
}

const SMILE_LAYOUT: Partial<Plotly.Layout> = {
  margin: { l: 70, r: 20, t: 50, b: 50 },
  xaxis: { title: { text: 'strike (USD)' }, tickformat: ',.0f' },
  yaxis: { title: { text: 'implied vol (vol points)' } },
  // Above the plot, clear of the axis title.
  legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
}
const TERM_LAYOUT: Partial<Plotly.Layout> = {
  margin: { l: 70, r: 20, t: 10, b: 50 },
  xaxis: { title: { text: 'days to expiry' } },
  yaxis: { title: { text: 'ATM-forward vol (vol points)' } },
  showlegend: false,
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
}

function arbitrageText(e: Expiry): string {
  const flags = [
    e.butterfly && `butterfly: g(k) = ${e.butterfly.g.toExponential(2)} at k = ${fmt(e.butterfly.k, 3)}`,
    e.calendar && `calendar: total variance above ${day(e.calendar.nextExpiry)}'s by ${e.calendar.excessTotalVariance.toExponential(2)} at k = ${fmt(e.calendar.k, 3)}`,
  ].filter((x): x is string => typeof x === 'string')
  return flags.length > 0 ? flags.join('; ') : 'none'
}

export function VolSurfaceView() {
  const [snapshotId, setSnapshotId] = useState<number | undefined>()
  const [underlying, setUnderlying] = useState<string | undefined>()
  const surface = useApiQuery('getVolSurface', { snapshotId, underlying }, { keepPrevious: true })
  const report = surface.data ?? null
  const snapshot = report?.snapshots.find((s) => s.snapshotId === report.snapshotId)
  const u = report?.underlyings[0] ?? null
  const smiles = useMemo(() => (u ? smileTraces(u.expiries) : []), [u])
  const term = useMemo(
    (): Plotly.Data[] =>
      u
        ? [
            {
              type: 'scatter',
              mode: 'lines+markers',
              x: u.expiries.map((e) => e.days),
              y: u.expiries.map((e) => e.atmVolPoints),
              text: u.expiries.map((e) => day(e.expiry)),
              hovertemplate: '%{text}: %{x:.2f} d → %{y:.2f} vol pts<extra></extra>',
            },
          ]
        : [],
    [u],
  )
  const notFitted = u ? u.expiries.reduce((n, e) => n + e.points.filter((p) => !p.fitted).length, 0) : 0

  return (
    <div className="vol-surface">
      <div className="controls">
        <label>
          Market snapshot{' '}
          <select
            data-testid="surface-snapshot"
            value={report?.snapshotId ?? ''}
            onChange={(e) => {
              setSnapshotId(Number(e.target.value))
              setUnderlying(undefined)
            }}
          >
            {report?.snapshots.map((s) => (
              <option key={s.snapshotId} value={s.snapshotId}>
                {minute(s.asOf)} · {s.venue} · {s.fileName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Underlying{' '}
          <select data-testid="surface-underlying" value={u?.underlying ?? ''} onChange={(e) => setUnderlying(e.target.value)}>
            {snapshot?.underlyings.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        {surface.isFetching && <span className="busy">fitting…</span>}
      </div>
      {surface.error && <p className="error">{surface.error.message}</p>}
      {report && u && (
        <>
          <p className="muted" data-testid="surface-summary">
            {report.venue} snapshot of {minute(report.asOf)}: {u.underlying}, valued at {minute(u.valuationTime)}, index {u.indexPrice === null ? '—' : `${fmt(u.indexPrice, 2)} USD`};{' '}
            {u.expiries.length} {u.expiries.length === 1 ? 'expiry' : 'expiries'} fitted (raw SVI per expiry, ACT/365)
            {u.unfitted.length > 0 && `; not fitted (too few quotes): ${u.unfitted.map((x) => `${day(x.expiry)} (${x.quotes})`).join(', ')}`}. Points: mark IV; vertical bars: bid to ask IV.{' '}
            {notFitted > 0 && `${notFitted} quotes left out of the fit are not drawn (listed below).`}
          </p>
          <div className="surface-charts">
            <div>
              <h3>Smiles: fitted SVI (lines) over the market (mark IV points, bid–ask IV bars)</h3>
              <PlotlyChart data={smiles} layout={SMILE_LAYOUT} className="smiles" testId="surface-smiles" />
            </div>
            <div>
              <h3>Term structure: ATM-forward vol</h3>
              <PlotlyChart data={term} layout={TERM_LAYOUT} className="term" testId="surface-term" />
            </div>
          </div>
          <h3>Fit per expiry</h3>
          <table className="surface-table" data-testid="surface-rmse-table">
            <thead>
              <tr>
                <th>expiry</th>
                <th className="num">days</th>
                <th className="num">forward (USD)</th>
                <th className="num">quotes fitted</th>
                <th className="num">RMSE (vol pts)</th>
                <th className="num">vega-weighted RMSE (vol pts)</th>
                <th className="num">max error (vol pts)</th>
                <th className="num">ATM vol (vol pts)</th>
                <th>arbitrage</th>
              </tr>
            </thead>
            <tbody>
              {u.expiries.map((e) => (
                <tr key={e.expiry}>
                  <td>{day(e.expiry)}</td>
                  <td className="num">{fmt(e.days, 2)}</td>
                  <td className="num">{fmt(e.forward, 2)}</td>
                  <td className="num">{fmt(e.quotes)}</td>
                  <td className="num">{fmt(e.rmseVolPoints, 2)}</td>
                  <td className="num">{fmt(e.vegaWeightedRmseVolPoints, 2)}</td>
                  <td className="num">{fmt(e.maxAbsErrorVolPoints, 2)}</td>
                  <td className="num">{fmt(e.atmVolPoints, 2)}</td>
                  <td className={e.butterfly || e.calendar ? 'warning' : undefined}>{arbitrageText(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {u.excluded.length > 0 && (
            <details>
              <summary>{u.excluded.length} quotes not fitted, with the reason</summary>
              <ul className="excluded">
                {u.excluded.map((x) => (
                  <li key={x.instrument}>
                    {x.instrument}: {x.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </div>
  )
}
