/**
 * The Margin view: per account cards (equity, IM, MM, margin-ratio gauge, available), liquidation and
 * bankruptcy prices on a price ladder with the current index, margin under a chosen stress set (scenario ×
 * account, coloured by margin ratio), and a liquidation-cascade chart.
 */
import { useEffect, useMemo, useState } from 'react'
import { cascadeDefaults, type CascadeResult, type MarginReport, type MarginStressResult } from '../../../../shared/marginApi'
import { BUILTIN_SET_LABELS } from '../../../../shared/stressApi'
import { ScenarioSetSelect } from '../../components/ScenarioSetSelect'
import { riskdesk } from '../../platform/api'
import type { ViewProps } from '../../views'
import { AccountCards } from './AccountCards'
import { CascadeChart } from './CascadeChart'
import { MarginSettingsEditor } from './MarginSettingsEditor'
import { MarginStressTable } from './MarginStressTable'
import { PriceLadder } from './PriceLadder'
import { VenueFigures } from './VenueFigures'
import './margin.css'

/** The built-in sets margin is shown under (horizons are curves, not a table), historical first. */
const SETS = (['historical', 'span16', 'pm', 'grid'] as const).map((id) => [id, BUILTIN_SET_LABELS[id]] as const)

export function MarginView({ portfolio, asOf }: ViewProps) {
  const [report, setReport] = useState<MarginReport | null>(null)
  const [set, setSet] = useState('historical')
  const [saved, setSaved] = useState<string[]>([])
  const [stress, setStress] = useState<MarginStressResult | null>(null)
  // The cascade form starts from the request schema's defaults, the same as the CLI's.
  const [path, setPath] = useState(cascadeDefaults.path)
  const [steps, setSteps] = useState(String(cascadeDefaults.steps))
  const [market, setMarket] = useState(cascadeDefaults.market)
  const [cascade, setCascade] = useState<CascadeResult | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => void riskdesk.listScenarioSets({}).then((l) => setSaved(l.map((s) => s.name))), [])

  const asOfInput = asOf
  const run = async <T,>(what: string, call: () => Promise<T>, set: (v: T) => void) => {
    setBusy(what)
    setError(null)
    try {
      set(await call())
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(null)
    }
  }
  const loadAccounts = () => run('margin', () => riskdesk.getMargin({ portfolio, asOf: asOfInput }), setReport)
  const loadStress = () => run('stress', () => riskdesk.getMarginStress({ portfolio, asOf: asOfInput, set }), setStress)
  const stepsInput = /^\d+$/.test(steps) ? Number(steps) : undefined
  const loadCascade = () => run('cascade', () => riskdesk.runCascade({ portfolio, asOf: asOfInput, path, steps: stepsInput, market }), setCascade)

  useEffect(() => {
    if (!portfolio) return
    void (async () => {
      await loadAccounts()
      await loadStress()
      await loadCascade()
    })()
    // Once per portfolio and valuation time; later runs are the user's.
  }, [portfolio, asOf])

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
          void loadAccounts()
        }}
      >
        <button type="submit" disabled={!portfolio} data-testid="margin-run">
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
          {portfolio && (
            <MarginSettingsEditor
              portfolio={portfolio}
              onSaved={() => {
                void loadAccounts()
                void loadStress()
              }}
            />
          )}
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
            void loadStress()
          }}
        >
          <ScenarioSetSelect value={set} onChange={setSet} builtIn={SETS} saved={saved} testId="margin-stress-set" />
          <button type="submit" disabled={!portfolio} data-testid="margin-stress-run">
            Run
          </button>
        </form>
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
            void loadCascade()
          }}
        >
          <label>
            Path{' '}
            <input
              value={path}
              onChange={(e) => setPath(e.target.value)}
              size={22}
              title="crash:MOVE%[:STEPS] | gap:MOVE% (one jump, no trading in between) | historical:NAME[:STEPS] | history:FROM:TO"
              data-testid="cascade-path"
            />
          </label>
          <label>
            Steps{' '}
            <input
              value={steps}
              onChange={(e) => setSteps(e.target.value)}
              size={5}
              title="steps of a crash or historical path that names none"
              data-testid="cascade-steps"
            />
          </label>
          <label>
            <input type="checkbox" checked={market} onChange={(e) => setMarket(e.target.checked)} data-testid="cascade-market" /> Leveraged market (default table)
          </label>
          <button type="submit" disabled={!portfolio} data-testid="cascade-run">
            Simulate
          </button>
        </form>
        {cascade && (
          <>
            <CascadeChart result={cascade} />
            {cascade.assumptions.length > 0 && <p className="muted">Assumptions: {cascade.assumptions.join('; ')}</p>}
          </>
        )}
      </section>
    </div>
  )
}
