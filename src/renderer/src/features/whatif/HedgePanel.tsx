/**
 * The hedge panel (suggestHedge on the what-if book): targets on its Greeks (delta coin or USD, gamma, vega of
 * one tenor bucket or all, each target ± band), the candidates (kinds, venues, accounts, options' days to expiry
 * and moneyness), limits (max cost USD, liquidity caps, max margin use); "Suggest hedge" solves it and shows the
 * status, the reason when infeasible, the legs with their costs, each target before → after and whether it is met,
 * and the binding constraints; "Add to what-if" adds every leg through addWhatIfLeg at the result's quantity and
 * price. A result is marked stale once the what-if's legs change after it was asked for.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { HEDGE_CANDIDATE_KINDS, HEDGE_GREEKS, HEDGE_TENORS, type HedgeRequest, type HedgeResult } from '../../../../shared/hedgeApi'
import type { WhatIfLeg } from '../../../../shared/whatifApi'
import { fmt, fmtDecimal, plural } from '../../../../shared/format'
import { apiKey } from '../../data/apiQueries'
import { useApiQuery } from '../../data/useApi'
import { riskdesk } from '../../platform/api'
import { legsSignature } from './legsSignature'
import type { useWhatIfWrite } from './useWhatIfWrite'

type Greek = (typeof HEDGE_GREEKS)[number]
type Kind = (typeof HEDGE_CANDIDATE_KINDS)[number]

interface TargetDraft {
  underlying: string
  greek: Greek
  tenor: string
  target: string
  band: string
}

const GREEK_LABEL: Record<Greek, string> = { delta: 'delta (coin)', deltaUsd: 'delta (USD)', gamma: 'gamma (coin per USD)', vega: 'vega (USD per vol pt)' }
const NUMBER = /^-?\d+(\.\d+)?$/
const optionalNumber = (s: string) => (s.trim() === '' ? undefined : Number(s))


export function HedgePanel(props: { whatIf: string; asOf: string | undefined; legs: WhatIfLeg[]; underlyings: string[]; accounts: string[]; write: ReturnType<typeof useWhatIfWrite> }) {
  const { whatIf, asOf, legs, underlyings, accounts, write } = props
  const client = useQueryClient()
  const [targets, setTargets] = useState<TargetDraft[]>([{ underlying: '', greek: 'delta', tenor: '', target: '0', band: '0.5' }])
  const [kinds, setKinds] = useState<ReadonlySet<Kind>>(new Set<Kind>(['perpetual', 'future']))
  const [allowed, setAllowed] = useState<ReadonlySet<string>>(new Set())
  const [venues, setVenues] = useState<ReadonlySet<string>>(new Set())
  const allVenues = [...new Set(accounts.map((a) => a.slice(0, a.indexOf('/'))))].sort()
  const [minDays, setMinDays] = useState('')
  const [maxDays, setMaxDays] = useState('')
  const [minMoney, setMinMoney] = useState('')
  const [maxMoney, setMaxMoney] = useState('')
  const [maxCost, setMaxCost] = useState('')
  const [maxMargin, setMaxMargin] = useState('')
  const [caps, setCaps] = useState(true)
  const [asked, setAsked] = useState<{ request: HedgeRequest; legs: string } | null>(null)
  const [added, setAdded] = useState<string | null>(null)

  const problems: string[] = []
  targets.forEach((t, i) => {
    if (!NUMBER.test(t.target.trim())) problems.push(`target ${i + 1}: the wanted value is a number`)
    if (!NUMBER.test(t.band.trim()) || Number(t.band) < 0) problems.push(`target ${i + 1}: the band is a number ≥ 0`)
  })
  if (kinds.size === 0) problems.push('at least one candidate kind')
  for (const [label, s, ok] of [
    ['min days', minDays, (x: number) => x >= 0 && x <= 3650],
    ['max days', maxDays, (x: number) => x >= 0 && x <= 3650],
    ['min moneyness', minMoney, (x: number) => x > 0],
    ['max moneyness', maxMoney, (x: number) => x > 0],
    ['max cost', maxCost, (x: number) => x > 0],
    ['max margin use', maxMargin, (x: number) => x >= 0 && x <= 100],
  ] as const)
    if (s.trim() !== '' && !(NUMBER.test(s.trim()) && ok(Number(s)))) problems.push(`${label}: ${label.startsWith('max margin') ? '0…100 %' : label.includes('days') ? '0…3,650 days' : 'a number > 0'}`)

  const request = (): HedgeRequest => ({
    whatIf,
    asOf,
    targets: targets.map((t) => ({
      underlying: t.underlying || undefined,
      greek: t.greek,
      tenor: t.greek === 'vega' && t.tenor ? (t.tenor as (typeof HEDGE_TENORS)[number]) : undefined,
      target: Number(t.target),
      band: Number(t.band),
    })),
    candidates: {
      kinds: HEDGE_CANDIDATE_KINDS.filter((k) => kinds.has(k)),
      venues: venues.size > 0 ? [...venues].sort() : undefined,
      accounts: allowed.size > 0 ? [...allowed].sort() : undefined,
      minDays: optionalNumber(minDays),
      maxDays: optionalNumber(maxDays),
      minMoneyness: optionalNumber(minMoney),
      maxMoneyness: optionalNumber(maxMoney),
    },
    maxCostUsd: optionalNumber(maxCost),
    maxMarginUsePct: optionalNumber(maxMargin),
    liquidityCaps: caps,
  })
  const query = useApiQuery('suggestHedge', asked?.request)
  const result = query.data
  const stale = asked !== null && asked.legs !== legsSignature(legs)

  const setTarget = (i: number, patch: Partial<TargetDraft>) => setTargets((ts) => ts.map((t, k) => (k === i ? { ...t, ...patch } : t)))
  const toggle = <T,>(set: ReadonlySet<T>, x: T) => {
    const next = new Set(set)
    if (next.has(x)) next.delete(x)
    else next.add(x)
    return next
  }

  const addLegs = async (r: HedgeResult) => {
    setAdded(null)
    const done = await write.run(async () => {
      let n = 0
      for (const l of r.legs) {
        try {
          await riskdesk.addWhatIfLeg({ whatIf, instrument: l.instrument, venue: l.venue, account: l.account, quantity: l.quantity, price: l.price })
          n++
        } catch (e) {
          throw new Error(`added ${n} of ${plural(r.legs.length, 'leg')}; ${l.instrument}: ${(e as Error).message}`)
        }
      }
      return n
    })
    if (done !== undefined) setAdded(`${plural(done, 'leg')} added to “${whatIf}”`)
  }

  return (
    <div className="hedge-panel" data-testid="hedge-panel">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (problems.length > 0) return
          setAdded(null)
          setAsked({ request: request(), legs: legsSignature(legs) })
        }}
      >
        <table className="plain hedge-targets">
          <thead>
            <tr>
              <th>Underlying</th>
              <th>Greek</th>
              <th>Tenor (vega)</th>
              <th>Target</th>
              <th>± band</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {targets.map((t, i) => (
              <tr key={i} data-testid={`hedge-target-${i}`}>
                <td>
                  <select value={t.underlying} onChange={(e) => setTarget(i, { underlying: e.target.value })}>
                    <option value="">largest |delta USD|</option>
                    {underlyings.map((u) => (
                      <option key={u}>{u}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <select value={t.greek} onChange={(e) => setTarget(i, { greek: e.target.value as Greek })} data-testid="hedge-greek">
                    {HEDGE_GREEKS.map((g) => (
                      <option key={g} value={g}>
                        {GREEK_LABEL[g]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select value={t.tenor} onChange={(e) => setTarget(i, { tenor: e.target.value })} disabled={t.greek !== 'vega'} data-testid="hedge-tenor">
                    <option value="">all expiries</option>
                    {HEDGE_TENORS.map((x) => (
                      <option key={x}>{x}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input value={t.target} onChange={(e) => setTarget(i, { target: e.target.value })} size={8} aria-invalid={!NUMBER.test(t.target.trim())} data-testid="hedge-value" />
                </td>
                <td>
                  <input value={t.band} onChange={(e) => setTarget(i, { band: e.target.value })} size={7} aria-invalid={!NUMBER.test(t.band.trim()) || Number(t.band) < 0} data-testid="hedge-band" />
                </td>
                <td>
                  <button type="button" className="link" disabled={targets.length === 1} onClick={() => setTargets((ts) => ts.filter((_, k) => k !== i))}>
                    remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="controls">
          <button type="button" disabled={targets.length >= 32} onClick={() => setTargets((ts) => [...ts, { underlying: '', greek: 'vega', tenor: '7–30d', target: '0', band: '500' }])} data-testid="hedge-add-target">
            + target
          </button>
          <span role="group" aria-label="Candidate kinds">
            Candidates{' '}
            {HEDGE_CANDIDATE_KINDS.map((k) => (
              <label key={k}>
                <input type="checkbox" checked={kinds.has(k)} onChange={() => setKinds((s) => toggle(s, k))} data-testid={`hedge-kind-${k}`} /> {k}
              </label>
            ))}
          </span>
          {allVenues.length > 1 && (
            <span role="group" aria-label="Venues" title="None ticked: every venue of the book">
              Venues{' '}
              {allVenues.map((v) => (
                <label key={v}>
                  <input type="checkbox" checked={venues.has(v)} onChange={() => setVenues((s) => toggle(s, v))} /> {v}
                </label>
              ))}
            </span>
          )}
          <span role="group" aria-label="Accounts allowed to trade" title="None ticked: each venue's first account in the book">
            Accounts{' '}
            {accounts.map((a) => (
              <label key={a}>
                <input type="checkbox" checked={allowed.has(a)} onChange={() => setAllowed((s) => toggle(s, a))} /> {a}
              </label>
            ))}
          </span>
        </div>
        <div className="controls">
          <label title="Options and futures: days to expiry from the valuation, inclusive">
            Days <input value={minDays} onChange={(e) => setMinDays(e.target.value)} size={4} placeholder="min" /> – <input value={maxDays} onChange={(e) => setMaxDays(e.target.value)} size={4} placeholder="max" />
          </label>
          <label title="Options: strike ÷ index, inclusive (e.g. 0.8 – 1.2)">
            Moneyness <input value={minMoney} onChange={(e) => setMinMoney(e.target.value)} size={4} placeholder="min" /> – <input value={maxMoney} onChange={(e) => setMaxMoney(e.target.value)} size={4} placeholder="max" />
          </label>
          <label>
            Max cost USD <input value={maxCost} onChange={(e) => setMaxCost(e.target.value)} size={7} placeholder="none" />
          </label>
          <label title="Largest initial margin the legs may use, % of each trading account's available balance">
            Max margin use % <input value={maxMargin} onChange={(e) => setMaxMargin(e.target.value)} size={4} placeholder="none" />
          </label>
          <label title="Cap each instrument's size at the liquidity table's share of daily volume">
            <input type="checkbox" checked={caps} onChange={(e) => setCaps(e.target.checked)} /> liquidity caps
          </label>
          <button type="submit" disabled={problems.length > 0 || query.isFetching} data-testid="hedge-run">
            Suggest hedge
          </button>
          {query.isFetching && asked && (
            <span className="progress" data-testid="hedge-progress">
              solving…{' '}
              <button type="button" onClick={() => void client.cancelQueries({ queryKey: apiKey('suggestHedge', asked.request) }).then(() => setAsked(null))} data-testid="hedge-cancel" title="Stop waiting for this answer">
                Cancel
              </button>
            </span>
          )}
          {problems.length > 0 && <span className="field-error">{problems[0]}</span>}
        </div>
      </form>
      {query.error && (
        <p className="error" data-testid="hedge-error">
          {query.error.message}
        </p>
      )}
      {result && asked && (
        <div className={stale ? 'hedge-result stale' : 'hedge-result'} data-testid="hedge-result">
          {stale && !added && <p className="stale-note">The what-if’s legs changed since this was solved: suggest again for its current book.</p>}
          <p>
            <b className={`hedge-status hedge-${result.status}`} data-testid="hedge-status">
              {result.status}
            </b>{' '}
            {result.reason && <span className="error" data-testid="hedge-reason">{result.reason}</span>}
            <span className="muted">
              {' '}
              cost {fmt(result.costUsd, 2)} USD{result.lpCostUsd !== null ? ` (LP optimum before rounding ${fmt(result.lpCostUsd, 2)} USD)` : ''} · {plural(result.candidatesConsidered, 'candidate')} · solved in {fmt(result.solveMs)} ms
            </span>
          </p>
          {result.legs.length > 0 && (
            <table className="plain" data-testid="hedge-legs">
              <thead>
                <tr>
                  <th>Instrument</th>
                  <th>Account</th>
                  <th>Kind</th>
                  <th>Quantity</th>
                  <th>LP quantity</th>
                  <th>Price</th>
                  <th>Half-spread USD</th>
                  <th>Fee USD</th>
                  <th>Impact USD</th>
                  <th>Cost USD</th>
                </tr>
              </thead>
              <tbody>
                {result.legs.map((l) => (
                  <tr key={`${l.venue}/${l.account}/${l.instrument}`}>
                    <td>{l.instrument}</td>
                    <td>
                      {l.venue}/{l.account}
                    </td>
                    <td>{l.kind}</td>
                    <td>
                      {fmtDecimal(l.quantity)} {l.quantityUnit}
                    </td>
                    <td>{fmt(l.lpQuantity, 2)}</td>
                    <td>
                      {fmtDecimal(l.price)} {l.priceUnit}
                    </td>
                    <td>{fmt(l.halfSpreadUsd, 2)}</td>
                    <td>{fmt(l.feeUsd, 2)}</td>
                    <td>{fmt(l.impactUsd, 2)}</td>
                    <td>{fmt(l.costUsd, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <table className="plain" data-testid="hedge-targets-result">
            <thead>
              <tr>
                <th>Target</th>
                <th>Before</th>
                <th>After</th>
                <th>Band</th>
                <th>Met</th>
              </tr>
            </thead>
            <tbody>
              {result.targets.map((t) => {
                const d = t.greek === 'delta' ? 4 : t.greek === 'gamma' ? 6 : 0
                return (
                  <tr key={t.label}>
                    <td>{t.label}</td>
                    <td>{fmt(t.before, d)}</td>
                    <td>{fmt(t.after, d)}</td>
                    <td>
                      {fmt(t.lower, d)} … {fmt(t.upper, d)}
                    </td>
                    <td className={t.met ? 'met' : 'error'}>{t.met ? 'yes' : 'no'}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {result.binding.length > 0 && (
            <div data-testid="hedge-binding">
              <h3>Binding constraints</h3>
              <ul>
                {result.binding.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="notes">
            {result.notes.map((n) => (
              <p key={n} className="note">
                {n}
              </p>
            ))}
          </div>
          {result.legs.length > 0 && result.status !== 'infeasible' && (
            <div className="controls">
              <button type="button" disabled={write.busy || stale} onClick={() => void addLegs(result)} data-testid="hedge-add">
                Add {plural(result.legs.length, 'leg')} to the what-if
              </button>
              {added && (
                <span className="muted" data-testid="hedge-added">
                  {added}: the figures above include them; suggest again to check the targets on the new book
                </span>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  )
}
