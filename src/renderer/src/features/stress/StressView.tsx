/**
 * The stress view: pick a scenario set and its parameters, run it as a job (progress bar, Cancel), and read
 * the result as a heatmap and surface (grids: P&L, Taylor estimate or Taylor error), P&L-vs-spot curves
 * (horizons) or a scenario table (SPAN, PM, historical, saved sets), with a per-position drill-down.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { BUILTIN_SET_LABELS, BUILTIN_SETS, type Aggregation, type Range, type StressRequest } from '../../../../shared/stressApi'
import { fmt, parseRange as parseRangeText } from '../../../../shared/format'
import { MarketLine } from '../../components/MarketLine'
import { ScopeToggle, type Scope } from '../../components/ScopeToggle'
import { ScenarioSetSelect } from '../../components/ScenarioSetSelect'
import { useApiQuery, useBookVersion, useScenarioSets } from '../../data/useApi'
import { useViewActive } from '../../data/viewActivity'
import type { ViewProps } from '../../views'
import { DrillDown } from './DrillDown'
import { HorizonCurves } from './HorizonCurves'
import { ScenarioEditor } from './ScenarioEditor'
import { ScenarioTable } from './ScenarioTable'
import { StressGrid } from './StressGrid'
import { StressSurface } from './StressSurface'
import { useStressJob } from './useStressJob'

const BUILTIN = BUILTIN_SETS.map((id) => [id, BUILTIN_SET_LABELS[id]] as const)

type Shown = 'pnl' | 'taylor' | 'error'

function parseRange(text: string): Range | undefined {
  const r = parseRangeText(text)
  return r.ok ? r.range : undefined
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
  const [lastRequest, setLastRequest] = useState<StressRequest | null>(null)
  const { state, run, cancel } = useStressJob()
  const result = state.result
  const active = useViewActive()
  const bookVersion = useBookVersion()
  const detail = useApiQuery('stressDrillDown', lastRequest && selected !== null ? { request: lastRequest, scenario: selected } : undefined).data ?? null

  const request = (): StressRequest => ({
    portfolio,
    asOf,
    set,
    spot: parseRange(spot),
    vol: parseRange(vol),
    horizonDays: Number(horizonDays) > 0 ? Number(horizonDays) : undefined,
    volRule: volRule || undefined,
    liquidity,
    by,
  })
  const start = () => {
    const r = request()
    setLastRequest(r)
    setSelected(null)
    void run(r)
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

  const matrix = useMemo(() => {
    if (!result?.spotShocks || !result.volShocks) return null
    const cols = result.volShocks.length
    const value = (k: number) => {
      const s = result.scenarios[k]!
      if (scope === 'derivatives') return s.derivativesPnlUsd
      return shown === 'pnl' ? s.pnlUsd : shown === 'taylor' ? s.taylorUsd : s.pnlUsd + s.liquidityUsd - s.taylorUsd
    }
    return result.spotShocks.map((_, i) => result.volShocks!.map((_, j) => value(i * cols + j)))
  }, [result, shown, scope])
  const worst = result ? (scope === 'total' ? result.worst : result.worstDerivatives) : null

  return (
    <div className="stress-view">
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault()
          start()
        }}
      >
        <ScenarioSetSelect value={set} onChange={setSet} builtIn={BUILTIN} saved={saved} testId="stress-set" />
        {(set === 'grid' || set === 'horizons') && (
          <label>
            Spot % <input value={spot} onChange={(e) => setSpot(e.target.value)} size={10} title="from:to:step" />
          </label>
        )}
        {set === 'grid' && (
          <label>
            Vol pts <input value={vol} onChange={(e) => setVol(e.target.value)} size={10} title="from:to:step" />
          </label>
        )}
        {set !== 'horizons' && (
          <label>
            Horizon days <input value={horizonDays} onChange={(e) => setHorizonDays(e.target.value)} size={4} />
          </label>
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
        <label>
          By{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as Aggregation)}>
            {['underlying', 'position', 'instrument', 'expiry', 'account', 'venue'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!portfolio} data-testid="stress-run">
          Run
        </button>
        {state.running && (
          <span className="progress" data-testid="stress-progress">
            <progress max={state.total || 1} value={state.done} /> {state.done}/{state.total || '…'}{' '}
            <button type="button" onClick={() => void cancel()} data-testid="stress-cancel">
              Cancel
            </button>
          </span>
        )}
      </form>
      {state.error && <p className="error">{state.error}</p>}
      {result && (
        <section>
          <MarketLine valuationTime={result.valuationTime} market={result.market} />
          <p className="muted" data-testid="stress-summary">
            {result.set.description}: {result.positions} lines ({result.balances} balance{result.balances === 1 ? '' : 's'}) × {result.scenarioCount} scenarios on{' '}
            {result.workers} workers in {fmt(result.elapsedMs)} ms{result.liquidity ? ', net of close-out costs' : ''}.{' '}
            {result.worst && (
              <>
                Worst, whole book: <b>{result.worst.name}</b> {fmt(result.worst.pnlUsd)} USD
                {result.worst.driver && ` (largest loss: ${result.worst.driver.account}/${result.worst.driver.instrument} ${fmt(result.worst.driver.pnlUsd)} USD)`}.{' '}
              </>
            )}
            {result.worstDerivatives && (
              <>
                Worst, derivatives only: <b>{result.worstDerivatives.name}</b> {fmt(result.worstDerivatives.pnlUsd)} USD.
              </>
            )}
          </p>
          {result.assumptions.length > 0 && <p className="warning">Assumptions: {result.assumptions.join('; ')}</p>}
          {result.excluded.length > 0 && (
            <p className="warning">Not valued, left out: {result.excluded.map((e) => `${e.instrument} (${e.reason})`).join('; ')}</p>
          )}
          {matrix && result.spotShocks && result.volShocks && (
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
              <div className="stress">
                <StressGrid spotShocks={result.spotShocks} volShocks={result.volShocks} values={matrix} highlight={selected ?? worst?.index ?? null} onCellClick={setSelected}
                  exportName={`stress-grid-${scope === 'derivatives' ? 'derivatives' : 'whole-book'}-${shown}.csv`} />
                <StressSurface spotShocks={result.spotShocks} volShocks={result.volShocks} values={matrix} />
              </div>
            </>
          )}
          {result.curves && <HorizonCurves curves={result.curves} />}
          {!matrix && !result.curves && <ScenarioTable result={result} onSelect={setSelected} />}
          {detail && <DrillDown detail={detail} />}
        </section>
      )}
      <ScenarioEditor />
    </div>
  )
}
