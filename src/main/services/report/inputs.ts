/**
 * What a report is built from, each computed once and on first use by the sections that need it (a section
 * not asked for costs nothing): the valued book, the stress runs, margin, margin under stress, the cascade,
 * VaR/ES with its backtest and the chosen what-if, all through the services the app and the CLI use, with the
 * parameters recorded for the report's provenance.
 */
import type { CascadeResult, MarginReport, MarginStressResult, StressResult, StressSettings } from '../../../shared/api'
import type { GreeksBucketRow } from '../../../shared/greeksApi'
import { cascadeRequest, marginRequest, marginStressRequest } from '../../../shared/marginApi'
import type { ReportRequestParsed } from '../../../shared/reportApi'
import { stressRequest } from '../../../shared/stressApi'
import { backtestRequest, varRequest, type BacktestResult, type VarResult } from '../../../shared/varApi'
import { getWhatIfRequest, type WhatIfReport } from '../../../shared/whatifApi'
import type { Db } from '../../db/database'
import { findWhatIfBook } from '../../db/whatifStore'
import { RiskFactorError } from '../../domain/risk/riskFactors'
import { greeksBuckets } from '../../domain/valuation/greeksBuckets'
import type { StressPool } from '../../engine/stressPool'
import { runBacktest } from '../backtestService'
import { runCascade } from '../cascadeService'
import { marginReport, marginUnderStress } from '../marginService'
import { loadStressSettings, runStress } from '../stressService'
import { valueBook, type ValuedBook } from '../valuationService'
import { EmptyBookError } from '../varFactors'
import { runVar } from '../varService'
import { getWhatIf } from '../whatifService'

/** The stress sets of the report, with the request of each (defaults of the stress API: grid −50…+50 % step 5 ×
 * −30…+50 vol points step 10). Historical episodes are run net of close-out (liquidity-gap) costs. */
export const REPORT_STRESS_SETS = {
  grid: { set: 'grid', liquidity: false },
  span16: { set: 'span16', liquidity: false },
  pm: { set: 'pm', liquidity: false },
  historical: { set: 'historical', liquidity: true },
} as const
export type ReportStressSet = keyof typeof REPORT_STRESS_SETS

/** Margin under stress in the report: the SPAN-16 set. */
export const REPORT_MARGIN_STRESS_SET = 'span16'

/** VaR and ES of the report: the VaR view's defaults (historical simulation, 99 %, 1 day, 365 daily returns),
 * contributions per position; the backtest over the 730 days before the valuation date. */
export const REPORT_VAR = { method: 'historical', confidence: 0.99, horizonDays: 1, window: 365, by: 'position' } as const

/** Thrown when the report's portfolio and its what-if's portfolio differ. */
export class ReportWhatIfError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'ReportWhatIfError'
  }
}

export interface ReportInputs {
  book(): ValuedBook
  buckets(by: 'expiry' | 'tenor'): GreeksBucketRow[]
  stress(set: ReportStressSet): Promise<StressResult>
  margin(): MarginReport
  marginStress(): MarginStressResult
  /** The cascade on the default path, or why it could not run. */
  cascade(): CascadeResult | Error
  stressSettings(): StressSettings
  /** VaR/ES and its backtest; the Error says why there is none (no price history, an empty book). */
  var(): Promise<{ result: VarResult; backtest: BacktestResult | Error } | Error>
  /** The chosen what-if (request.whatIf) with before/after/change; null when none was chosen. */
  whatIf(): WhatIfReport | null
  /** Every parameter used so far, for the provenance. */
  parameters(): Record<string, unknown>
  /** Stress runs made so far (stored run ids). */
  runs(): Array<{ kind: string; id: number; set: string }>
}

const once = <T>(f: () => T): (() => T) => {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = f()
      done = true
    }
    return value
  }
}

/** Errors that mean "no VaR for this book" (said in the report), not a fault: no or stale price history, a
 * window too short, nothing to revalue. */
const noVar = (e: unknown): e is Error => e instanceof RiskFactorError || e instanceof EmptyBookError

/** @throws WhatIfNotFoundError; ReportWhatIfError when the what-if is on another portfolio than the one named */
export function reportInputs(db: Db, pool: StressPool, request: ReportRequestParsed, now: number): ReportInputs {
  // A what-if names its portfolio: the report is of that portfolio (the one named must be the same).
  const whatIfBook = request.whatIf === undefined ? null : findWhatIfBook(db, request.whatIf)
  if (whatIfBook && request.portfolio !== undefined && request.portfolio !== whatIfBook.portfolio)
    throw new ReportWhatIfError(`what-if "${whatIfBook.name}" is on portfolio "${whatIfBook.portfolio}", not "${request.portfolio}"`)
  const selector = { portfolio: whatIfBook?.portfolio ?? request.portfolio, asOf: request.asOf }
  const parameters: Record<string, unknown> = {
    request: { portfolio: request.portfolio ?? null, asOf: request.asOf ?? null, sections: request.sections ?? 'all', ...(request.whatIf !== undefined ? { whatIf: request.whatIf } : {}) },
  }
  const runs: Array<{ kind: string; id: number; set: string }> = []
  const book = once(() => valueBook(db, selector, now))
  // The portfolio is resolved once, by the valuation: every later call names it.
  const portfolio = () => book().portfolio.name
  const bucketCache = new Map<string, GreeksBucketRow[]>()
  const stressRuns = new Map<ReportStressSet, Promise<StressResult>>()
  const marginParams = marginRequest.parse({ portfolio: undefined, asOf: request.asOf })
  const margin = once(() => {
    const input = { ...marginParams, portfolio: portfolio() }
    parameters.margin = { sigma: input.sigma, asOf: input.asOf ?? null }
    return marginReport(db, input)
  })
  return {
    book,
    buckets(by) {
      let b = bucketCache.get(by)
      if (!b) {
        const { report, valuationMs } = book()
        b = greeksBuckets(report.positions, by, valuationMs ?? now).map(({ order: _order, ...x }) => x)
        bucketCache.set(by, b)
      }
      return b
    },
    stress(set) {
      let run = stressRuns.get(set)
      if (!run) {
        const input = stressRequest.parse({ ...selector, portfolio: portfolio(), ...REPORT_STRESS_SETS[set] })
        parameters[`stress.${set}`] = { set: input.set, liquidity: input.liquidity, spot: input.spot ?? null, vol: input.vol ?? null, by: input.by }
        run = runStress(db, pool, input).then((r) => {
          runs.push({ kind: 'stress', id: r.runId, set })
          return r
        })
        stressRuns.set(set, run)
      }
      return run
    },
    margin,
    marginStress: once(() => {
      const input = marginStressRequest.parse({ portfolio: portfolio(), asOf: request.asOf, set: REPORT_MARGIN_STRESS_SET })
      parameters.marginStress = { set: input.set }
      return marginUnderStress(db, input)
    }),
    cascade: once(() => {
      // The cascade walks the underlying the book is most exposed to (largest |USD delta|), on the default path.
      const totals = book().report.totals.filter((t) => t.positions > t.excluded)
      const main = totals.reduce<(typeof totals)[number] | null>((m, t) => (m === null || Math.abs(t.deltaUsd) > Math.abs(m.deltaUsd) ? t : m), null)
      const input = cascadeRequest.parse({ portfolio: portfolio(), asOf: request.asOf, ...(main ? { underlying: main.underlying } : {}) })
      parameters.cascade = { underlying: input.underlying, path: input.path, steps: input.steps, market: input.market }
      try {
        return runCascade(db, input)
      } catch (e) {
        return e as Error
      }
    }),
    stressSettings: once(() => loadStressSettings(db)),
    var: once(async () => {
      const input = varRequest.parse({ portfolio: portfolio(), asOf: request.asOf, ...REPORT_VAR })
      parameters.var = { method: input.method, confidence: input.confidence, horizonDays: input.horizonDays, window: input.window, by: input.by }
      let result: VarResult
      try {
        result = await runVar(db, pool, input)
      } catch (e) {
        if (noVar(e)) return e
        throw e
      }
      const bt = backtestRequest.parse({ portfolio: portfolio(), asOf: request.asOf, method: input.method, confidence: input.confidence, window: input.window })
      parameters.backtest = { method: bt.method, confidence: bt.confidence, window: bt.window, from: bt.from ?? null, to: bt.to ?? null }
      try {
        return { result, backtest: await runBacktest(db, pool, bt) }
      } catch (e) {
        if (noVar(e)) return { result, backtest: e }
        throw e
      }
    }),
    whatIf: once(() => {
      if (!whatIfBook) return null
      const input = getWhatIfRequest.parse({ name: whatIfBook.name, asOf: request.asOf })
      parameters.whatIf = { name: input.name, set: input.set, liquidity: input.liquidity }
      return getWhatIf(db, input, now)
    }),
    parameters: () => parameters,
    runs: () => [...runs].sort((a, b) => a.id - b.id),
  }
}
