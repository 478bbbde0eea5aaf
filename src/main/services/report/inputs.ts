/**
 * What a report is built from, each computed once and on first use by the sections that need it (a section
 * not asked for costs nothing): the valued book, the stress runs, margin, margin under stress and the cascade,
 * all through the services the app and the CLI use, with the parameters recorded for the report's provenance.
 */
import type { CascadeResult, MarginReport, MarginStressResult, StressResult, StressSettings } from '../../../shared/api'
import type { GreeksBucketRow } from '../../../shared/greeksApi'
import { cascadeRequest, marginRequest, marginStressRequest } from '../../../shared/marginApi'
import type { ReportRequestParsed } from '../../../shared/reportApi'
import { stressRequest } from '../../../shared/stressApi'
import type { Db } from '../../db/database'
import { greeksBuckets } from '../../domain/valuation/greeksBuckets'
import type { StressPool } from '../../engine/stressPool'
import { runCascade } from '../cascadeService'
import { marginReport, marginUnderStress } from '../marginService'
import { loadStressSettings, runStress } from '../stressService'
import { valueBook, type ValuedBook } from '../valuationService'

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

export interface ReportInputs {
  book(): ValuedBook
  buckets(by: 'expiry' | 'tenor'): GreeksBucketRow[]
  stress(set: ReportStressSet): Promise<StressResult>
  margin(): MarginReport
  marginStress(): MarginStressResult
  /** The cascade on the default path, or why it could not run. */
  cascade(): CascadeResult | Error
  stressSettings(): StressSettings
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

export function reportInputs(db: Db, pool: StressPool, request: ReportRequestParsed, now: number): ReportInputs {
  const selector = { portfolio: request.portfolio, asOf: request.asOf }
  const parameters: Record<string, unknown> = { request: { portfolio: request.portfolio ?? null, asOf: request.asOf ?? null, sections: request.sections ?? 'all' } }
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
    parameters: () => parameters,
    runs: () => [...runs].sort((a, b) => a.id - b.id),
  }
}
