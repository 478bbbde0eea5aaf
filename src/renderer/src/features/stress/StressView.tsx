/**
 * The stress view: pick a scenario set and its parameters, run it as a job (progress bar, Cancel), and read
 * the result as a heatmap and surface (grids: P&L, Taylor estimate or Taylor error), P&L-vs-spot curves
 * (horizons) or a scenario table (SPAN, PM, historical, saved sets), with a per-position drill-down and the
 * P&L by the chosen aggregation ("By"), whose rows sum to the book and whose row drives the figures.
 *
 * Nothing typed is ignored: each field is read by the parser the CLI uses (shared/format.ts `parseRange`,
 * `parseDays`), its message shows beside it, and Run stays disabled, saying why, until every field reads;
 * no request is sent meanwhile. A cancelled or failed run leaves the previous result on show, marked stale.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { AGGREGATIONS, BUILTIN_SET_LABELS, BUILTIN_SETS, type Aggregation, type StressRequest, type StressResult } from '../../../../shared/stressApi'
import { decimalsFor, fmt, parseDays, parseRange, plural } from '../../../../shared/format'
import { MarketLine } from '../../components/MarketLine'
import { JobProgress } from '../../components/JobProgress'
import { Field } from '../../components/Field'
import { ScopeToggle, type Scope } from '../../components/ScopeToggle'
import { ScenarioSetSelect } from '../../components/ScenarioSetSelect'
import { useShortcuts } from '../../components/shortcuts'
import { useApiQuery, useBookVersion, useScenarioSets } from '../../data/useApi'
import { useViewActive } from '../../data/viewActivity'
import { stressJob, useJob } from '../../data/useJob'
import type { ViewProps } from '../../views'
import { DrillDown } from './DrillDown'
import { GroupTable } from './GroupTable'
import { HorizonCurves } from './HorizonCurves'
import { ScenarioEditor } from './ScenarioEditor'
import { ScenarioTable } from './ScenarioTable'
import { StressGrid } from './StressGrid'
import { StressHeatmap } from './StressHeatmap'
import { StressSurface } from './StressSurface'

const BUILTIN = BUILTIN_SETS.map((id) => [id, BUILTIN_SET_LABELS[id]] as const)

/** Beyond this many cells (or columns) the matrix is drawn as a heatmap instead of a table of figures. */
const TABLE_MAX_CELLS = 2_500
const TABLE_MAX_COLUMNS = 24

type Shown = 'pnl' | 'taylor' | 'error'

/** Weighted and unweighted worst of the whole book side by side, when the set's scenarios carry weights. */
function WorstFigures({ result }: { result: StressResult }) {
  const w = result.worst
  if (!w) return null
  const weighted = result.scenarios.some((s) => s.weight !== 1)
  let plain = 0
  for (let k = 1; k < result.scenarios.length; k++) if (result.scenarios[k]!.pnlUsd < result.scenarios[plain]!.pnlUsd) plain = k
  const p = result.scenarios[plain]
  if (!weighted || !p)
    return (
      <>
        Worst, whole book: <b>{w.name}</b> {fmt(w.pnlUsd)} USD
        {w.driver && ` (largest loss: ${w.driver.account}/${w.driver.instrument} ${fmt(w.driver.pnlUsd)} USD)`}.{' '}
      </>
    )
  return (
    <span data-testid="stress-worst">
      Worst, whole book — <b>weighted</b> (P&amp;L × the scenario's weight, what the set's margin takes): <b>{w.name}</b> {fmt(w.weightedPnlUsd)} USD (weight{' '}
      {fmt(result.scenarios[w.index]!.weight, 2)}, unweighted {fmt(w.pnlUsd)} USD); <b>unweighted</b>: <b>{p.name}</b> {fmt(p.pnlUsd)} USD (weight {fmt(p.weight, 2)},
      weighted {fmt(p.pnlUsd * p.weight)} USD).{' '}
    </span>
  )
}

export function StressView({ portfolio, asOf }: ViewProps) {
  const [set, setSet] = useState('grid')
  const saved = useScenarioSets().data?.map((s) => s.name) ?? []
  const [spot, setSpot] = useState('-50:50:5')
  const [vol, setVol] = useState('-30:50:10')
  const [horizonDays, setHorizonDays] = useState('0')
  const [volRule, setVolRule] = useState<'' | 'sticky-strike' | 'sticky-moneyness'>('')
  const [liquidity, setLiquidity] = useState(false)
  const [by, setBy] = useState<Aggregation>('underlying')
  const [shown, setShown] = useState<Shown>('pnl')
  const [scope, setScope] = useState<Scope>('total')
  const [selected, setSelected] = useState<number | null>(null)
  const [focus, setFocus] = useState<string | null>(null)
  const [lastRequest, setLastRequest] = useState<StressRequest | null>(null)
  const { state, run, cancel } = useJob(stressJob)
  const result = state.result
  const active = useViewActive()
  const bookVersion = useBookVersion()
  const detail = useApiQuery('stressDrillDown', lastRequest && selected !== null ? { request: lastRequest, scenario: selected } : undefined).data ?? null

  // Each field read as the CLI reads it; only the fields the chosen set uses count.
  const spotField = set === 'grid' || set === 'horizons' ? parseRange(spot) : null
  const volField = set === 'grid' ? parseRange(vol) : null
  const daysField = set !== 'horizons' ? parseDays(horizonDays) : null
  const errors = {
    spot: spotField && !spotField.ok ? spotField.message : null,
    vol: volField && !volField.ok ? volField.message : null,
    days: daysField && !daysField.ok ? daysField.message : null,
  }
  const invalid = [errors.spot && 'spot range', errors.vol && 'vol range', errors.days && 'horizon days'].filter(Boolean)
  const blocked = !portfolio ? 'no portfolio to stress: import one first' : invalid.length > 0 ? `fix the ${invalid.join(' and ')} to run` : null

  /** The request the fields describe, or null while one of them does not read. */
  const request = (): StressRequest | null => {
    if (blocked) return null
    return {
      portfolio,
      asOf,
      set,
      spot: spotField?.ok ? spotField.range : undefined,
      vol: volField?.ok ? volField.range : undefined,
      horizonDays: daysField?.ok && daysField.days > 0 ? daysField.days : undefined,
      volRule: volRule || undefined,
      liquidity,
      by,
    }
  }
  const runRequest = (r: StressRequest) => {
    setLastRequest(r)
    setSelected(null)
    void run(r)
  }
  const start = () => {
    const r = request()
    if (r) runRequest(r)
  }
  // Run once per portfolio, valuation time and book (an import changes it), when on show; later runs are the
  // user's. Shown again with nothing changed, the view keeps the result it has.
  const ranFor = useRef<string | null>(null)
  useEffect(() => {
    const key = JSON.stringify([portfolio, asOf, bookVersion])
    if (!portfolio || !active || ranFor.current === key) return
    ranFor.current = key
    start()
  }, [portfolio, asOf, bookVersion, active])

  useShortcuts(
    [
      { key: 'r', description: 'Run the stress set', run: start },
      { key: 'x', description: 'Cancel the running stress', run: () => void cancel() },
    ],
    active,
  )

  // The group drawn in the figures, while the result has it.
  const focusGroup = result && focus ? (result.groups.find((g) => g.key === focus) ?? null) : null
  const matrix = useMemo(() => {
    if (!result?.spotShocks || !result.volShocks) return null
    const cols = result.volShocks.length
    const value = (k: number) => {
      if (focusGroup) return focusGroup.pnlUsd[k]!
      const s = result.scenarios[k]!
      if (scope === 'derivatives') return s.derivativesPnlUsd
      return shown === 'pnl' ? s.pnlUsd : shown === 'taylor' ? s.taylorUsd : s.pnlUsd + s.liquidityUsd - s.taylorUsd
    }
    return result.spotShocks.map((_, i) => result.volShocks!.map((_, j) => value(i * cols + j)))
  }, [result, shown, scope, focusGroup])
  const worst = result ? (scope === 'total' ? result.worst : result.worstDerivatives) : null
  const spotDigits = result?.spotShocks ? decimalsFor(result.spotShocks.map((s) => s * 100), 2) : 0
  const volDigits = result?.volShocks ? decimalsFor(result.volShocks, 2) : 0
  const large = !!result?.spotShocks && !!result.volShocks && (result.spotShocks.length * result.volShocks.length > TABLE_MAX_CELLS || result.volShocks.length > TABLE_MAX_COLUMNS)

  return (
    <div className="stress-view">
      <form
        className="controls"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          start()
        }}
      >
        <ScenarioSetSelect value={set} onChange={setSet} builtIn={BUILTIN} saved={saved} testId="stress-set" />
        {(set === 'grid' || set === 'horizons') && <Field label="Spot %" value={spot} onChange={setSpot} error={errors.spot} size={10} title="FROM:TO:STEP in percent, e.g. -50:50:5" testId="stress-spot" />}
        {set === 'grid' && <Field label="Vol pts" value={vol} onChange={setVol} error={errors.vol} size={10} title="FROM:TO:STEP in vol points, e.g. -30:50:10" testId="stress-vol" />}
        {set !== 'horizons' && (
          <Field label="Horizon days" value={horizonDays} onChange={setHorizonDays} error={errors.days} size={4} title="days that pass in every scenario, 0…3,650" testId="stress-horizon" />
        )}
        <label>
          Vol rule{' '}
          <select value={volRule} onChange={(e) => setVolRule(e.target.value as typeof volRule)}>
            <option value="">as the set says</option>
            <option value="sticky-strike">sticky strike</option>
            <option value="sticky-moneyness">sticky moneyness</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={liquidity} onChange={(e) => setLiquidity(e.target.checked)} data-testid="stress-liquidity" /> Close-out costs
        </label>
        <label title="the aggregation of the P&L table below the figures; changing it runs the last run again, grouped so">
          By{' '}
          <select
            value={by}
            data-testid="stress-by"
            onChange={(e) => {
              const next = e.target.value as Aggregation
              setBy(next)
              setFocus(null)
              if (lastRequest && !state.running) runRequest({ ...lastRequest, by: next })
            }}
          >
            {AGGREGATIONS.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={blocked !== null} title={blocked ?? 'run the set (shortcut r)'} data-testid="stress-run">
          Run
        </button>
        {blocked && (
          <span className="field-error" data-testid="stress-run-reason">
            {blocked}
          </span>
        )}
        <JobProgress state={state} cancel={cancel} testId="stress" />
      </form>
      {state.error && <p className="error">{state.error}</p>}
      {state.cancelled && !result && <p className="muted" data-testid="stress-cancelled">Run cancelled; nothing to show yet.</p>}
      {result && (
        <section className={state.stale ? 'stale' : undefined} data-testid="stress-result">
          {state.stale && (
            <p className="stale-note" data-testid="stress-stale">
              Stale: {state.stale}; showing the previous result ({result.set.description || result.set.name} on portfolio {result.portfolio}, run {result.runId}).
            </p>
          )}
          <MarketLine valuationTime={result.valuationTime} market={result.market} />
          <p className="muted" data-testid="stress-summary">
            {result.set.description || result.set.name}: {plural(result.positions, 'line')} ({plural(result.balances, 'balance')}) × {plural(result.scenarioCount, 'scenario')} on{' '}
            {plural(result.workers, 'worker')} in {fmt(result.elapsedMs)} ms{result.liquidity ? ', net of close-out costs' : ''}. <WorstFigures result={result} />
            {result.worstDerivatives && (
              <>
                Worst, derivatives only{result.scenarios.some((s) => s.weight !== 1) ? ' (largest weighted loss; unweighted P&amp;L shown)' : ''}: <b>{result.worstDerivatives.name}</b> {fmt(result.worstDerivatives.pnlUsd)}{' '}
                USD.
              </>
            )}
          </p>
          {result.assumptions.length > 0 && <p className="warning">Assumptions: {result.assumptions.join('; ')}</p>}
          {result.excluded.length > 0 && (
            <p className="warning">Not valued, left out: {result.excluded.map((e) => `${e.instrument} (${e.reason})`).join('; ')}</p>
          )}
          {matrix && result.spotShocks && result.volShocks && (
            <>
              {focusGroup ? (
                <p className="muted" data-testid="stress-figure-of">
                  Figures show the P&amp;L of {result.by} <b>{focusGroup.key}</b> (full revaluation, USD).
                </p>
              ) : (
                <>
                  <ScopeToggle value={scope} onChange={setScope} balances={result.balances} />
                  <div className="segmented" role="group">
                    {(['pnl', 'taylor', 'error'] as const).map((k) => (
                      <button
                        key={k}
                        type="button"
                        aria-pressed={scope === 'total' ? shown === k : k === 'pnl'}
                        disabled={scope === 'derivatives' && k !== 'pnl'}
                        title={scope === 'derivatives' && k !== 'pnl' ? 'the Taylor explain is of the whole book' : undefined}
                        onClick={() => setShown(k)}
                      >
                        {k === 'pnl' ? 'Full revaluation' : k === 'taylor' ? 'Δ-Γ-vega-θ estimate' : 'Estimate error'}
                      </button>
                    ))}
                    <span className="muted">Click a cell for the per-position P&amp;L.</span>
                  </div>
                </>
              )}
              <div className="stress">
                {large ? (
                  <StressHeatmap spotShocks={result.spotShocks} volShocks={result.volShocks} values={matrix} spotDigits={spotDigits} volDigits={volDigits} onCellClick={setSelected} />
                ) : (
                  <StressGrid
                    spotShocks={result.spotShocks}
                    volShocks={result.volShocks}
                    values={matrix}
                    highlight={selected ?? worst?.index ?? null}
                    onCellClick={setSelected}
                    exportName={`stress-grid-${scope === 'derivatives' ? 'derivatives' : 'whole-book'}-${shown}.csv`}
                    spotDigits={spotDigits}
                    volDigits={volDigits}
                  />
                )}
                <StressSurface spotShocks={result.spotShocks} volShocks={result.volShocks} values={matrix} />
              </div>
              {large && (
                <p className="muted">
                  {fmt(result.spotShocks.length * result.volShocks.length)} scenarios: drawn as a heatmap (hover a cell for its figures, click it for the per-position P&amp;L).
                </p>
              )}
            </>
          )}
          {result.curves && <HorizonCurves curves={result.curves} />}
          {!matrix && !result.curves && <ScenarioTable result={result} onSelect={setSelected} />}
          {result.groups.length > 0 && result.scenarios.length > 0 && (
            <GroupTable result={result} scenario={selected ?? result.worst?.index ?? 0} focus={focusGroup?.key ?? null} onFocus={setFocus} />
          )}
          {detail && <DrillDown detail={detail} />}
        </section>
      )}
      <ScenarioEditor />
    </div>
  )
}
