/**
 * VaR and ES of the what-if book before and after its legs (getWhatIfVar, docs/var.md): method, confidence and
 * horizon, asked on demand ("Compute": it needs the stored daily closes and revalues the book over every
 * scenario); positive USD losses, the change (the legs' incremental VaR and ES together) and per leg its own
 * incremental and component figures. A result asked before the legs last changed is marked stale.
 */
import { useState } from 'react'
import { VAR_METHOD_LABELS, VAR_METHODS, type VarMethod } from '../../../../shared/varApi'
import type { GetWhatIfVarRequest, WhatIfLeg } from '../../../../shared/whatifApi'
import { fmt } from '../../../../shared/format'
import { useApiQuery } from '../../data/useApi'
import { legsSignature } from './legsSignature'
import { BeforeAfterHead } from './BeforeAfterHead'

const signed = (x: number | null) => (x === null ? '—' : Number(x.toFixed(0)) > 0 ? `+${fmt(x)}` : fmt(x))

export function VarChange({ whatIf, asOf, legs }: { whatIf: string; asOf: string | undefined; legs: WhatIfLeg[] }) {
  const [method, setMethod] = useState<VarMethod>('historical')
  const [confidence, setConfidence] = useState('0.99')
  const [horizon, setHorizon] = useState('1')
  const [asked, setAsked] = useState<{ request: GetWhatIfVarRequest; legs: string } | null>(null)
  const query = useApiQuery('getWhatIfVar', asked?.request)
  const r = query.data
  const stale = asked !== null && asked.legs !== legsSignature(legs)
  return (
    <div className="card whatif-var" data-testid="whatif-var">
      <h3>VaR and ES (USD losses)</h3>
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault()
          setAsked({ request: { name: whatIf, asOf, method, confidence: Number(confidence), horizonDays: Number(horizon) }, legs: legsSignature(legs) })
        }}
      >
        <select value={method} onChange={(e) => setMethod(e.target.value as VarMethod)} aria-label="VaR method">
          {VAR_METHODS.map((m) => (
            <option key={m} value={m}>
              {VAR_METHOD_LABELS[m]}
            </option>
          ))}
        </select>
        <select value={confidence} onChange={(e) => setConfidence(e.target.value)} aria-label="Confidence">
          <option value="0.95">95 %</option>
          <option value="0.99">99 %</option>
        </select>
        <select value={horizon} onChange={(e) => setHorizon(e.target.value)} aria-label="Horizon days">
          <option value="1">1 day</option>
          <option value="10">10 days</option>
        </select>
        <button type="submit" disabled={query.isFetching} data-testid="whatif-var-run">
          Compute
        </button>
        {query.isFetching && <span className="busy">computing…</span>}
      </form>
      {query.error && (
        <p className="error" data-testid="whatif-var-error">
          {query.error.message}
        </p>
      )}
      {r && asked && (
        <div className={stale ? 'stale' : undefined}>
          {stale && <p className="stale-note">The legs changed since: compute again.</p>}
          <table className="plain" data-testid="whatif-var-table">
            <BeforeAfterHead
              label={
                <>
                  {VAR_METHOD_LABELS[r.method]} · {fmt(r.confidence * 100, 1)} % · {r.horizonDays} d
                </>
              }
            />
            <tbody>
              <tr>
                <td>VaR</td>
                <td>{fmt(r.before.var)}</td>
                <td>{fmt(r.after.var)}</td>
                <td className="changed">{signed(r.change.var)}</td>
              </tr>
              <tr>
                <td>Expected Shortfall</td>
                <td>{fmt(r.before.es)}</td>
                <td>{fmt(r.after.es)}</td>
                <td className="changed">{signed(r.change.es)}</td>
              </tr>
            </tbody>
          </table>
          {r.legs.length > 0 && (
            <table className="plain">
              <thead>
                <tr>
                  <th>Leg</th>
                  <th title="VaR of the book with this leg only − VaR of the book">Incremental VaR</th>
                  <th>Incremental ES</th>
                  <th title="The leg's Euler share of the after VaR">Component VaR</th>
                  <th>Component ES</th>
                </tr>
              </thead>
              <tbody>
                {r.legs.map((l) => (
                  <tr key={l.legId}>
                    <td>
                      {l.legId} {l.instrument}
                    </td>
                    <td>{signed(l.incrementalVar)}</td>
                    <td>{signed(l.incrementalEs)}</td>
                    <td>{fmt(l.componentVar)}</td>
                    <td>{fmt(l.componentEs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">
            Window {r.window.first} … {r.window.last} ({fmt(r.window.returns)} returns){r.scenarios > 0 ? ` · ${fmt(r.scenarios)} scenarios` : ''} · {fmt(r.elapsedMs)} ms
          </p>
          {r.notes.map((n) => (
            <p key={n} className="note">
              {n}
            </p>
          ))}
        </div>
      )}
    </div>
  )
}
