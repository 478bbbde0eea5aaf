/**
 * The risk profile of the what-if (getRiskProfile with the what-if: `before` the book, `after` with the legs):
 * dates, price range, a vol-shift slider, USD or coin, and the horizon of the σ lines, all sent ~300 ms after the
 * last change. The ATM vols for the σ lines come from the fitted surface of the book's own snapshot
 * (useBookSurface.ts).
 */
import { useMemo, useState } from 'react'
import type { ProfileDate } from '../../../../shared/profileApi'
import type { VolSurfaceReport } from '../../../../shared/surfaceApi'
import type { WhatIfReport } from '../../../../shared/whatifApi'
import { fmt, volPts } from '../../../../shared/format'
import { useApiQuery } from '../../data/useApi'
import { crossLevels } from './MarginChange'
import { ProfileChart, sigmaLines, type PriceLine, type ProfileUnit } from './ProfileChart'
import { atmVolAt } from './profileMarks'
import { useDebounced } from './useWhatIfWrite'

/** Reads `0, 7, 30, expiry`: days ≥ 0 (at most 12 dates, 3650 days) or `expiry`. */
export function parseDates(text: string): { ok: true; dates: ProfileDate[] } | { ok: false; message: string } {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '')
  if (parts.length === 0) return { ok: false, message: 'at least one date: days from now (0 = today) or expiry' }
  if (parts.length > 12) return { ok: false, message: 'at most 12 dates' }
  const dates: ProfileDate[] = []
  for (const p of parts) {
    if (p.toLowerCase() === 'expiry') dates.push('expiry')
    else {
      const n = Number(p)
      if (!Number.isFinite(n) || n < 0 || n > 3650) return { ok: false, message: `"${p.slice(0, 20)}" is not a number of days 0…3,650 or expiry` }
      dates.push(n)
    }
  }
  return { ok: true, dates }
}

export function ProfilePanel(props: { whatIf: string; asOf: string | undefined; report: WhatIfReport; stale: boolean; surface: VolSurfaceReport | undefined }) {
  const { whatIf, asOf, report, stale, surface } = props
  const [datesText, setDatesText] = useState('0, 7, expiry')
  const [fromText, setFromText] = useState('-50')
  const [toText, setToText] = useState('50')
  const [volShift, setVolShift] = useState(0)
  const [unit, setUnit] = useState<ProfileUnit>('usd')
  const [underlying, setUnderlying] = useState('')
  const [sigmaDaysText, setSigmaDaysText] = useState('7')

  const dates = parseDates(datesText)
  const from = Number(fromText)
  const to = Number(toText)
  const rangeProblem =
    fromText.trim() === '' || !(from >= -90 && from <= 0) ? 'from: −90…0 %' : toText.trim() === '' || !(to >= 0 && to <= 400) ? 'to: 0…400 %' : from === to ? 'from and to must differ' : null
  const sigmaDays = Number(sigmaDaysText)
  const sigmaProblem = sigmaDaysText.trim() === '' || !(sigmaDays > 0 && sigmaDays <= 3650) ? 'σ horizon: days > 0' : null

  const request = dates.ok && !rangeProblem ? JSON.stringify({ dates: dates.dates, fromPercent: from, toPercent: to, volShiftPoints: volShift, underlying: underlying || undefined }) : null
  const settled = useDebounced(request)
  const typing = request !== settled
  const profile = useApiQuery(
    'getRiskProfile',
    settled === null ? undefined : { whatIf, asOf, points: 101, ...(JSON.parse(settled) as { dates: ProfileDate[]; fromPercent: number; toPercent: number; volShiftPoints: number; underlying?: string }) },
    { keepPrevious: true },
  )
  const p = profile.data

  const lines = useMemo((): PriceLine[] => {
    if (!p) return []
    const out: PriceLine[] = [{ price: p.indexPrice, label: 'index', kind: 'index', hover: `${p.underlying} index now: ${fmt(p.indexPrice, 2)} USD (valuation ${p.valuationTime ?? 'time unknown'})` }]
    // A level the legs leave where it was is drawn once, as after.
    const levelOf = (side: 'before' | 'after', key: string, dir: 'below' | 'above') =>
      crossLevels(report[side].margin.find((m) => m.key === key)).find((x) => x.underlying === p.underlying)?.[dir]?.indexPrice
    for (const [side, figures] of [['before', report.before], ['after', report.after]] as const)
      for (const m of figures.margin)
        for (const l of crossLevels(m).filter((x) => x.underlying === p.underlying))
          for (const dir of ['below', 'above'] as const) {
            const at = l[dir]
            if (!at) continue
            if (side === 'before' && levelOf('after', m.key, dir) === at.indexPrice) continue
            out.push({
              price: at.indexPrice,
              label: side === 'before' ? 'liq. before ' : ' liq. after',
              kind: side === 'before' ? 'liq-before' : 'liq-after',
              hover: `${m.key} liquidation ${dir}, ${side} the what-if: index ${fmt(at.indexPrice)} USD (${fmt(at.distancePercent, 1)} %)`,
            })
          }
    const u = surface?.underlyings.find((x) => x.underlying === p.underlying)
    if (u && !sigmaProblem) {
      const atm = atmVolAt(
        u.expiries.map((e) => ({ expiry: e.expiry, days: e.days, atmVolPoints: e.atmVolPoints })),
        sigmaDays,
      )
      out.push(...sigmaLines(p.indexPrice, atm && { ...atm, source: `${atm.source}, SVI fit of ${surface!.venue} ${surface!.asOf}` }, sigmaDays))
    }
    return out
  }, [p, report, surface, sigmaDays, sigmaProblem])

  const outside = p ? lines.filter((l) => l.kind !== 'sigma' && (l.price < p.prices[0]! || l.price > p.prices[p.prices.length - 1]!)) : []
  const underlyings = [...new Set(report.after.greeks.map((g) => g.underlying))].sort()
  const problem = dates.ok ? (rangeProblem ?? sigmaProblem) : dates.message

  return (
    <div className={stale || typing || profile.isFetching ? 'stale' : undefined} data-testid="profile-panel">
      <div className="controls">
        <label>
          Dates <input value={datesText} onChange={(e) => setDatesText(e.target.value)} size={16} title="days from now (0 = today), comma-separated, and/or expiry" aria-invalid={!dates.ok} data-testid="profile-dates" />
        </label>
        <label>
          Range % <input value={fromText} onChange={(e) => setFromText(e.target.value)} size={4} aria-invalid={rangeProblem?.startsWith('from') ?? false} /> to{' '}
          <input value={toText} onChange={(e) => setToText(e.target.value)} size={4} aria-invalid={rangeProblem?.startsWith('to') ?? false} />
        </label>
        {underlyings.length > 1 && (
          <label>
            Underlying{' '}
            <select value={underlying} onChange={(e) => setUnderlying(e.target.value)}>
              <option value="">largest |delta USD|</option>
              {underlyings.map((u) => (
                <option key={u}>{u}</option>
              ))}
            </select>
          </label>
        )}
        <label title="Parallel shift of every option's vol on the underlying (vol points), floored at 1 point">
          Vol shift{' '}
          <input type="range" min={-50} max={50} step={1} value={volShift} onChange={(e) => setVolShift(Number(e.target.value))} data-testid="profile-vol-shift" />{' '}
          <output data-testid="profile-vol-shift-value">{volPts(volShift)}</output>
        </label>
        <label>
          σ lines over <input value={sigmaDaysText} onChange={(e) => setSigmaDaysText(e.target.value)} size={4} aria-invalid={sigmaProblem !== null} /> days
        </label>
        <div className="segmented" role="group" aria-label="P&L unit">
          <button type="button" aria-pressed={unit === 'usd'} onClick={() => setUnit('usd')} data-testid="profile-usd">
            USD
          </button>
          <button type="button" aria-pressed={unit === 'coin'} onClick={() => setUnit('coin')} data-testid="profile-coin" title="USD P&L ÷ the index at each point">
            {p?.underlying ?? 'coin'}
          </button>
        </div>
        {(typing || profile.isFetching) && <span className="busy">recomputing…</span>}
        {problem && <span className="field-error">{problem}</span>}
      </div>
      {profile.error && (
        <p className="error" data-testid="profile-error">
          {profile.error.message}
        </p>
      )}
      {p && <ProfileChart profile={p} unit={unit} lines={lines} />}
      {p && (
        <div className="notes">
          {outside.map((l) => (
            <p key={`${l.kind}${l.price}`} className="note">
              Outside the chart: {l.hover.replace(/<br>/g, '; ')}
            </p>
          ))}
          {p.notes.map((n) => (
            <p key={n} className="note">
              {n}
            </p>
          ))}
          <p className="muted">
            Vols sticky-strike at their marks{p.volShiftPoints !== 0 ? `, shifted ${volPts(p.volShiftPoints)}` : ''}; the legs count from their entry prices and fees. Dashed: the book before the what-if; solid: after.
            {!surface?.underlyings.some((u) => u.underlying === p.underlying) ? ` No fitted surface of ${p.underlying}: no σ lines.` : ''}
          </p>
        </div>
      )}
    </div>
  )
}
