/**
 * The VaR view: pick a method, level, horizon and window, run it as a job (Monte Carlo shows progress and can be
 * cancelled), and read VaR and ES with the P&L histogram, the four methods side by side, the contributions grid
 * (sortable, CSV) and the backtest chart with its exceptions and traffic-light zone. docs/var.md.
 */
import { useEffect, useRef, useState } from 'react'
import { fmt } from '../../../../shared/format'
import { VAR_AGGREGATIONS, VAR_METHOD_LABELS, VAR_METHODS, type BacktestRequest, type VarMethod, type VarRequest } from '../../../../shared/varApi'
import { JobProgress } from '../../components/JobProgress'
import { useApiQuery, useBookVersion } from '../../data/useApi'
import { useViewActive } from '../../data/viewActivity'
import { useJob, varJob } from '../../data/useJob'
import type { ViewProps } from '../../views'
import { BacktestChart } from './BacktestChart'
import { ContributionsGrid } from './ContributionsGrid'
import { MethodComparison } from './MethodComparison'
import { PnlHistogram } from './PnlHistogram'
import './var.css'

export function VarView({ portfolio, asOf }: ViewProps) {
  const [method, setMethod] = useState<VarMethod>('historical')
  const [confidence, setConfidence] = useState('0.99')
  const [horizon, setHorizon] = useState('1')
  const [windowText, setWindowText] = useState('365')
  const [paths, setPaths] = useState('10000')
  const [seed, setSeed] = useState('1')
  const [by, setBy] = useState<(typeof VAR_AGGREGATIONS)[number]>('position')
  const [last, setLast] = useState<VarRequest | null>(null)
  const { state, run, cancel } = useJob(varJob)
  const result = state.result
  const active = useViewActive()
  const bookVersion = useBookVersion()

  const request = (): VarRequest => ({
    portfolio,
    asOf,
    method,
    confidence: Number(confidence),
    horizonDays: Number(horizon),
    window: /^20\d\d$/.test(windowText) ? windowText : Number(windowText),
    paths: Number(paths),
    seed: Number(seed),
    by,
  })
  const start = () => {
    const r = request()
    setLast(r)
    void run(r)
  }
  const ranFor = useRef<string | null>(null)
  useEffect(() => {
    const key = JSON.stringify([portfolio, asOf, bookVersion])
    if (!portfolio || !active || ranFor.current === key) return
    ranFor.current = key
    start()
  }, [portfolio, asOf, bookVersion, active])

  // The backtest needs the same price history as the VaR: asked once the VaR has a result, so a book without
  // history shows the VaR's one message and no second failing request.
  const backtest: BacktestRequest | undefined = last && result
    ? { portfolio: last.portfolio, asOf: last.asOf, method: last.method === 'montecarlo' ? 'historical' : last.method, confidence: last.confidence }
    : undefined
  const bt = useApiQuery('runBacktest', backtest, { keepPrevious: true })
  const base: VarRequest | undefined = last ? { ...last, method: undefined, by: 'position' } : undefined

  return (
    <div className="var-view">
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault()
          start()
        }}
      >
        <label>
          Method{' '}
          <select value={method} onChange={(e) => setMethod(e.target.value as VarMethod)} data-testid="var-method">
            {VAR_METHODS.map((m) => (
              <option key={m} value={m}>
                {VAR_METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Confidence <input value={confidence} onChange={(e) => setConfidence(e.target.value)} size={5} list="var-levels" data-testid="var-confidence" />
          <datalist id="var-levels">
            <option value="0.95" />
            <option value="0.99" />
            <option value="0.995" />
          </datalist>
        </label>
        <label>
          Horizon days{' '}
          <select value={horizon} onChange={(e) => setHorizon(e.target.value)}>
            <option>1</option>
            <option>10</option>
          </select>
        </label>
        <label>
          Window <input value={windowText} onChange={(e) => setWindowText(e.target.value)} size={5} title="daily returns (365, 730) or a year (2019)" />
        </label>
        {method === 'montecarlo' && (
          <>
            <label>
              Paths <input value={paths} onChange={(e) => setPaths(e.target.value)} size={7} data-testid="var-paths" />
            </label>
            <label>
              Seed <input value={seed} onChange={(e) => setSeed(e.target.value)} size={6} />
            </label>
          </>
        )}
        <label>
          By{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
            {VAR_AGGREGATIONS.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!portfolio} data-testid="var-run">
          Run
        </button>
        <JobProgress state={state} cancel={cancel} testId="var" />
        {(state.error || state.cancelled) && (
          <span className="error" data-testid="var-error">
            {state.error ?? 'cancelled'}
          </span>
        )}
      </form>
      {result && (
        <>
          <div className="summary">
            <div className="card" data-testid="var-summary">
              <h3>
                {VAR_METHOD_LABELS[result.method]}
                {result.model ? ` (${result.model})` : ''} · {result.confidence * 100}% · {result.horizonDays} day{result.horizonDays > 1 ? 's' : ''}
              </h3>
              <dl>
                <dt>VaR</dt>
                <dd>
                  <b>{fmt(result.var)} USD</b>
                </dd>
                <dt>Expected Shortfall</dt>
                <dd>
                  <b>{fmt(result.es)} USD</b>
                </dd>
                <dt>Book value</dt>
                <dd>
                  {fmt(result.valueUsd)} USD ({result.positions} lines)
                </dd>
                <dt>Window</dt>
                <dd>
                  {result.window.first} … {result.window.last} ({result.window.returns} returns)
                </dd>
                <dt>Factors</dt>
                <dd>{result.factors.map((f) => `${f.name}${f.proxy ? ' (proxy)' : ''}`).join(', ')}</dd>
                <dt>Scenarios</dt>
                <dd>{result.scenarios > 0 ? fmt(result.scenarios) : 'closed form'}</dd>
              </dl>
            </div>
            <div className="card">
              <h3>Methods</h3>
              {base && <MethodComparison base={base} />}
            </div>
          </div>
          <div className="var-grid">
            <div>
              <h2>P&L distribution</h2>
              <PnlHistogram result={result} />
            </div>
            <div>
              <h2>Contributions by {result.by}</h2>
              <ContributionsGrid result={result} />
            </div>
          </div>
          <h2>Backtest</h2>
          {bt.error && <p className="error">{bt.error.message}</p>}
          {bt.data ? <BacktestChart result={bt.data} /> : !bt.error && <p className="muted">backtesting…</p>}
          <div className="var-notes" data-testid="var-notes">
            {result.notes.map((n) => (
              <p key={n} className="note">
                {n}
              </p>
            ))}
          </div>
        </>
      )}
    </div>
  )
}
