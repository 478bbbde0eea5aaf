/**
 * The What-if view (issue 13): trade on paper on the current portfolio and see every figure move. Pick or make a
 * what-if book, add legs from the snapshot's instruments (keyboard first), resize or remove them in the grid;
 * Greeks per underlying and by bucket, the stress set's worst case and each margin account before → after, and
 * the risk profile chart. Every write is followed by a new getWhatIf (through the data layer's cache); while it
 * runs the figures on show are marked stale, the time spent shows, and Cancel stops waiting for it.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { BUILTIN_SET_LABELS, BUILTIN_SETS } from '../../../../shared/stressApi'
import { fmt } from '../../../../shared/format'
import { ScenarioSetSelect } from '../../components/ScenarioSetSelect'
import { useShortcuts } from '../../components/shortcuts'
import { apiKey } from '../../data/apiQueries'
import { useApiQuery, useScenarioSets } from '../../data/useApi'
import { useViewActive } from '../../data/viewActivity'
import type { ViewProps } from '../../views'
import { BookBar } from './BookBar'
import { BucketTable, type BucketBy } from './BucketTable'
import { GreeksChange } from './GreeksChange'
import { HedgePanel } from './HedgePanel'
import { instrumentChoices } from './instrumentChoices'
import { LegEditor } from './LegEditor'
import { LegsGrid } from './LegsGrid'
import { MarginChange } from './MarginChange'
import { ProfilePanel } from './ProfilePanel'
import { useBookSurface } from './useBookSurface'
import { useWhatIfWrite } from './useWhatIfWrite'
import { VarChange } from './VarChange'
import './whatif.css'

const SETS = BUILTIN_SETS.map((id) => [id, BUILTIN_SET_LABELS[id]] as const)

const signed = (x: number | null) => (x === null ? '—' : Number(x.toFixed(0)) > 0 ? `+${fmt(x)}` : fmt(x))

/** Seconds since `since` (ms), ticking while `on`. */
function useElapsed(on: boolean): number {
  const [start, setStart] = useState(0)
  const [now, setNow] = useState(0)
  useEffect(() => {
    if (!on) return
    const t0 = Date.now()
    setStart(t0)
    setNow(t0)
    const timer = setInterval(() => setNow(Date.now()), 200)
    return () => clearInterval(timer)
  }, [on])
  return on ? (now - start) / 1000 : 0
}

export function WhatIfView({ portfolio, asOf }: ViewProps) {
  const active = useViewActive()
  const client = useQueryClient()
  const write = useWhatIfWrite()
  const books = useApiQuery('listWhatIfs', portfolio ? { portfolio } : undefined)
  const [chosen, setChosen] = useState<string | undefined>()
  const list = books.data ?? []
  const selected = list.some((b) => b.name === chosen) ? chosen : list[0]?.name

  const saved = useScenarioSets().data?.map((s) => s.name) ?? []
  const [set, setSet] = useState('grid')
  const [liquidity, setLiquidity] = useState(false)
  const [by, setBy] = useState<BucketBy>('expiry')
  const [pendingLegs, setPendingLegs] = useState<ReadonlySet<number>>(new Set())
  const onPending = useCallback(
    (id: number, pending: boolean) =>
      setPendingLegs((s) => {
        if (s.has(id) === pending) return s
        const next = new Set(s)
        if (pending) next.add(id)
        else next.delete(id)
        return next
      }),
    [],
  )

  const input = selected ? { name: selected, asOf, set, liquidity } : undefined
  const report = useApiQuery('getWhatIf', input, { keepPrevious: true })
  const r = report.data && report.data.whatIf.name === selected ? report.data : undefined
  const [cancelled, setCancelled] = useState(false)
  const running = report.isFetching
  const elapsed = useElapsed(running)
  useEffect(() => {
    if (running) setCancelled(false)
  }, [running])
  const cancel = () => {
    if (!input) return
    setCancelled(true)
    void client.cancelQueries({ queryKey: apiKey('getWhatIf', input) })
  }
  const stale = running || report.isPlaceholderData || write.busy || pendingLegs.size > 0 || cancelled

  // The instrument list: the snapshot's options (surface report) and the book's own instruments.
  const positions = useApiQuery('getPositions', portfolio ? { portfolio, asOf } : undefined)
  const surface = useBookSurface(positions.data)
  const choices = useMemo(() => instrumentChoices(surface.surface, positions.data), [surface.surface, positions.data])
  const accounts = useMemo(() => [...new Set((positions.data?.positions ?? []).map((p) => `${p.venue}/${p.account}`))].sort(), [positions.data])

  const searchRef = useRef<HTMLInputElement>(null)
  useShortcuts([{ key: '/', description: 'type an instrument to add as a what-if leg', run: () => searchRef.current?.focus() }], active && selected !== undefined)

  if (!portfolio) return <p className="muted">No portfolio: import one first.</p>

  return (
    <div className="whatif-view">
      <BookBar portfolio={portfolio} books={list} selected={selected} onSelect={setChosen} write={write} />
      {books.error && <p className="error">{books.error.message}</p>}
      {write.error && (
        <p className="error" data-testid="whatif-error">
          {write.error}{' '}
          <button type="button" className="link" onClick={write.clearError}>
            dismiss
          </button>
        </p>
      )}
      {!selected && books.data && <p className="muted">Give a name and press New to start a what-if on {portfolio}: its legs never touch the imported positions.</p>}
      {selected && (
        <>
          <LegEditor whatIf={selected} choices={choices} accounts={accounts} write={write} searchRef={searchRef} />
          {surface.error && <p className="note">Instrument list without the option chain: {surface.error.message}</p>}
          {surface.note && <p className="note">{surface.note}</p>}
          <LegsGrid legs={r?.legs ?? []} whatIf={selected} write={write} onPending={onPending} />
          <div className="controls">
            <ScenarioSetSelect value={set} onChange={setSet} builtIn={SETS} saved={saved} testId="whatif-set" />
            <label>
              <input type="checkbox" checked={liquidity} onChange={(e) => setLiquidity(e.target.checked)} /> close-out costs
            </label>
            {running && (
              <span className="progress" data-testid="whatif-progress">
                recomputing every figure… {fmt(elapsed, 1)} s{' '}
                <button type="button" onClick={cancel} data-testid="whatif-cancel" title="Stop waiting for this answer (the figures on show stay, marked stale)">
                  Cancel
                </button>
              </span>
            )}
            {cancelled && !running && (
              <span className="stale-note" data-testid="whatif-cancelled">
                Cancelled: the figures are from before the last change.{' '}
                <button type="button" className="link" onClick={() => void report.refetch()}>
                  Recompute
                </button>
              </span>
            )}
            {write.busy && <span className="busy">saving…</span>}
            {!write.busy && pendingLegs.size > 0 && <span className="busy">waiting for typing to pause…</span>}
          </div>
          {report.error && (
            <p className="error" data-testid="whatif-report-error">
              {report.error.message}
            </p>
          )}
          {r && (
            <div className={stale ? 'whatif-figures stale' : 'whatif-figures'} data-testid="whatif-figures" data-stale={stale}>
              <div className="whatif-top">
                <div>
                  <h2>Greeks</h2>
                  <GreeksChange report={r} />
                </div>
                <div className="card" data-testid="whatif-stress">
                  <h3>
                    Stress worst case <span className="muted">{r.after.stress.set}, {fmt(r.after.stress.scenarios)} scenarios{liquidity ? ', close-out costs' : ''}</span>
                  </h3>
                  <dl>
                    <dt>Before</dt>
                    <dd>{r.before.stress.worst ? `${fmt(r.before.stress.worst.weightedPnlUsd)} USD (${r.before.stress.worst.name})` : '—'}</dd>
                    <dt>After</dt>
                    <dd>{r.after.stress.worst ? `${fmt(r.after.stress.worst.weightedPnlUsd)} USD (${r.after.stress.worst.name})` : '—'}</dd>
                    <dt>Change</dt>
                    <dd className="changed">{signed(r.change.stressWorstPnlUsd)} USD</dd>
                    <dt>Book value</dt>
                    <dd>
                      {fmt(r.before.valueUsd)} → {fmt(r.after.valueUsd)} USD ({signed(r.change.valueUsd)})
                    </dd>
                  </dl>
                </div>
                <VarChange whatIf={selected} asOf={asOf} legs={r.legs} />
              </div>
              <h2>Greeks by bucket</h2>
              <BucketTable report={r} by={by} onBy={setBy} />
              <h2>Margin per account</h2>
              <MarginChange report={r} />
              <h2>Risk profile</h2>
              <ProfilePanel whatIf={selected} asOf={asOf} report={r} stale={stale} surface={surface.surface} />
              <h2>Hedge</h2>
              <HedgePanel whatIf={selected} asOf={asOf} legs={r.legs} underlyings={[...new Set(r.after.greeks.map((g) => g.underlying))].sort()} accounts={accounts} write={write} />
              <div className="notes">
                {[...r.notes, ...r.after.excluded.map((x) => `${x.instrument} left out: ${x.reason}`)].map((n) => (
                  <p key={n} className="note">
                    {n}
                  </p>
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </div>
  )
}
