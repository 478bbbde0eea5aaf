/**
 * The Margin view: per account cards (equity, IM, MM, margin-ratio gauge, available), liquidation and
 * bankruptcy prices on a price ladder with the current index, margin under a chosen stress set (scenario ×
 * account, coloured by margin ratio), and a liquidation-cascade chart.
 *
 * Each form's errors show beside it: the cascade's Path and Steps are read as the request schema reads them
 * (shared/cascadePath.ts), Simulate says why it is disabled, and a failed simulation marks the chart left on
 * show as stale. Recompute (shortcut r) asks every panel again.
 */
import { useMemo, useState } from 'react'
import { parseCascadePath } from '../../../../shared/cascadePath'
import { cascadeDefaults } from '../../../../shared/marginApi'
import { BUILTIN_SET_LABELS } from '../../../../shared/stressApi'
import { Field } from '../../components/Field'
import { ScenarioSetSelect } from '../../components/ScenarioSetSelect'
import { useShortcuts } from '../../components/shortcuts'
import { useApiQuery, useScenarioSets } from '../../data/useApi'
import { useViewActive } from '../../data/viewActivity'
import type { ViewProps } from '../../views'
import { AccountCards } from './AccountCards'
import { CascadeChart } from './CascadeChart'
import { MarginSettingsEditor } from './MarginSettingsEditor'
import { MarginStressTable } from './MarginStressTable'
import { PriceLadder } from './PriceLadder'
import { VenueFigures } from './VenueFigures'
import './margin.css'

/** The built-in sets margin is shown under (horizons are curves, not a table), historical first; the oracle-lag set is where
 * oracle-marked venues (Hyperliquid, dYdX) and the others part: each account is liquidated on its own venue's price. */
const SETS = (['historical', 'span16', 'pm', 'grid', 'oracle-lag', 'stablecoin-depeg'] as const).map((id) => [id, BUILTIN_SET_LABELS[id]] as const)

export function MarginView({ portfolio, asOf }: ViewProps) {
  const saved = useScenarioSets().data?.map((s) => s.name) ?? []
  // Form fields are drafts; a Run / Simulate submits them (the submitted values are part of the query's key).
  const [set, setSet] = useState('historical')
  const [stressSet, setStressSet] = useState(set)
  // The cascade form starts from the request schema's defaults, the same as the CLI's.
  const [path, setPath] = useState(cascadeDefaults.path)
  const [steps, setSteps] = useState(String(cascadeDefaults.steps))
  const [market, setMarket] = useState(cascadeDefaults.market)
  const stepsOf = (text: string) => (/^\d+$/.test(text) ? Number(text) : undefined)
  const pathCheck = parseCascadePath(path)
  const pathError = pathCheck.ok ? null : pathCheck.message
  const stepsValue = stepsOf(steps.trim())
  const stepsError = stepsValue !== undefined && stepsValue >= 1 && stepsValue <= 10_000 ? null : `steps must be a whole number 1…10,000, got "${steps.slice(0, 20)}"`
  const cascadeBlocked = !portfolio ? 'no portfolio' : pathError || stepsError ? `fix the ${[pathError && 'path', stepsError && 'steps'].filter(Boolean).join(' and ')} to simulate` : null
  const [cascadeParams, setCascadeParams] = useState({ path, steps: stepsOf(steps), market })

  const book = portfolio ? { portfolio, asOf } : undefined
  const accounts = useApiQuery('getMargin', book, { keepPrevious: true })
  const stressQuery = useApiQuery('getMarginStress', book && { ...book, set: stressSet }, { keepPrevious: true })
  const cascadeQuery = useApiQuery('runCascade', book && { ...book, ...cascadeParams }, { keepPrevious: true })
  const report = accounts.data ?? null
  const stress = stressQuery.data ?? null
  const cascade = cascadeQuery.data ?? null
  const busy = [accounts.isFetching && 'margin', stressQuery.isFetching && 'stress', cascadeQuery.isFetching && 'cascade'].filter(Boolean).join(', ')
  const error = accounts.error?.message ?? null
  const active = useViewActive()
  const recompute = () => {
    void accounts.refetch()
    void stressQuery.refetch()
    void cascadeQuery.refetch()
  }
  useShortcuts([{ key: 'r', description: 'Recompute margin, margin under stress and the cascade', run: recompute }], active)

  /** Submits a form: a new value is a new query; the same value again asks again. */
  const submit = <T,>(next: T, current: T, setCurrent: (v: T) => void, refetch: () => unknown) => {
    if (JSON.stringify(next) === JSON.stringify(current)) void refetch()
    else setCurrent(next)
  }

  const underlyings = useMemo(() => {
    const set = new Set<string>()
    for (const a of report?.accounts ?? []) {
      for (const l of a.liquidation) set.add(l.underlying)
      for (const p of a.positions) if (p.liquidation) set.add(p.liquidation.underlying)
    }
    return [...set]
  }, [report])

  return (
    <div className="margin-view">
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault()
          recompute()
        }}
      >
        <button type="submit" disabled={!portfolio} data-testid="margin-run" title="ask every panel of this view again (shortcut r)">
          Recompute
        </button>
        {busy && <span className="busy">computing {busy}…</span>}
      </form>
      {error && <p className="error">{error}</p>}
      {report && (
        <section>
          <p className="muted" data-testid="margin-summary">
            Portfolio {report.portfolio}, valued at {report.valuationTime ?? '—'} (the market chosen in the header); venue tables as of {report.asOf} ({report.asOfBasis}),{' '}
            {report.venueRules}. Margin ratio = (MM + fee) ÷ equity; liquidated at 100 %.
          </p>
          <AccountCards accounts={report.accounts} />
          {portfolio && <MarginSettingsEditor portfolio={portfolio} />}
          {report.excluded.length > 0 && <p className="warning">Left out: {report.excluded.map((e) => `${e.venue}/${e.account} ${e.instrument} (${e.reason})`).join('; ')}</p>}
          {report.assumptions.length > 0 && <p className="muted">Assumptions: {report.assumptions.join('; ')}</p>}
          <h2>Liquidation prices</h2>
          {underlyings.length === 0 && <p className="muted">No liquidation prices: import balances for the accounts to see them.</p>}
          {underlyings.map((u) => (
            <PriceLadder key={u} accounts={report.accounts} underlying={u} />
          ))}
          <VenueFigures accounts={report.accounts} />
        </section>
      )}
      <section>
        <h2>Under stress</h2>
        <form
          className="controls"
          onSubmit={(e) => {
            e.preventDefault()
            submit(set, stressSet, setStressSet, stressQuery.refetch)
          }}
        >
          <ScenarioSetSelect value={set} onChange={setSet} builtIn={SETS} saved={saved} testId="margin-stress-set" />
          <button type="submit" disabled={!portfolio} data-testid="margin-stress-run">
            Run
          </button>
        </form>
        {stressQuery.error && (
          <p className="error" data-testid="margin-stress-error">
            {stressQuery.error.message}
          </p>
        )}
        {stress && (
          <>
            <p className="muted">
              {stress.set.description}: margin ratio of each account after each scenario (coin collateral falls with the coin); LIQ = liquidated, short = shortfall
              beyond equity.
            </p>
            <MarginStressTable result={stress} />
            {stress.assumptions.length > 0 && <p className="muted">Assumptions: {stress.assumptions.join('; ')}</p>}
          </>
        )}
      </section>
      <section>
        <h2>Liquidation cascade</h2>
        <form
          className="controls"
          onSubmit={(e) => {
            e.preventDefault()
            if (!cascadeBlocked) submit({ path: path.trim(), steps: stepsValue, market }, cascadeParams, setCascadeParams, cascadeQuery.refetch)
          }}
        >
          <Field
            label="Path"
            value={path}
            onChange={setPath}
            error={pathError}
            size={22}
            title="crash:MOVE%[:STEPS] | gap:MOVE% (one jump, no trading in between) | historical:NAME[:STEPS] | history:FROM:TO"
            testId="cascade-path"
          />
          <Field label="Steps" value={steps} onChange={setSteps} error={stepsError} size={5} title="steps of a crash or historical path that names none" testId="cascade-steps" />
          <label>
            <input type="checkbox" checked={market} onChange={(e) => setMarket(e.target.checked)} data-testid="cascade-market" /> Leveraged market (default table)
          </label>
          <button type="submit" disabled={cascadeBlocked !== null} title={cascadeBlocked ?? undefined} data-testid="cascade-run">
            Simulate
          </button>
          {cascadeBlocked && portfolio && <span className="field-error">{cascadeBlocked}</span>}
        </form>
        {cascadeQuery.error && (
          <p className="error" data-testid="cascade-error">
            {cascadeQuery.error.message}
          </p>
        )}
        {cascade && (
          <div className={cascadeQuery.error ? 'stale' : undefined}>
            {cascadeQuery.error && (
              <p className="stale-note" data-testid="cascade-stale">
                Stale: the simulation above failed; the chart is of the previous path ({cascade.path.spec}).
              </p>
            )}
            <CascadeChart result={cascade} />
            {cascade.assumptions.length > 0 && <p className="muted">Assumptions: {cascade.assumptions.join('; ')}</p>}
          </div>
        )}
      </section>
    </div>
  )
}
