/**
 * buildReport: the report model (shared/reportApi.ts) of a portfolio, from the services the app and the CLI use
 * (valuation, stress, margin, cascade) through report/inputs.ts, each computed once; one function per section
 * (report/*Section.ts). A section is added to REPORT_SECTIONS in reportApi.ts and to BUILDERS here, in one place.
 *
 * Reproducible: the model records the stress runs it stored (ids), the input files (sha256 and import times from
 * the import history), the parameters, and the SHA-256 of its sections; building it again from the same database
 * gives the same sections (and hash), only `createdAt` and the new run ids differ.
 */
import { createHash, randomUUID } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPORT_SECTIONS, type ReportModel, type ReportRequestParsed, type ReportSection, type ReportSectionId } from '../../shared/reportApi'
import type { Db } from '../db/database'
import { listImports } from '../db/importHistoryStore'
import type { StressPool } from '../engine/stressPool'
import { coverSection } from './report/coverSection'
import { greeksSection } from './report/greeksSection'
import { reportInputs, ReportWhatIfError, type ReportInputs } from './report/inputs'
import { marginSection } from './report/marginSection'
import { methodologySection } from './report/methodologySection'
import { positionsSection } from './report/positionsSection'
import { stressSection } from './report/stressSection'
import { summarySection } from './report/summarySection'
import { varSection } from './report/varSection'
import { whatIfSection } from './report/whatIfSection'

/** Builders of every section but the cover (built last: it lists the parameters and runs of the others); null =
 * the section's data does not exist (no price history for VaR, no what-if chosen): left out. */
const BUILDERS: Record<Exclude<ReportSectionId, 'cover'>, (inputs: ReportInputs) => ReportSection | null | Promise<ReportSection | null>> = {
  summary: summarySection,
  positions: positionsSection,
  greeks: greeksSection,
  stress: stressSection,
  margin: marginSection,
  var: varSection,
  whatif: whatIfSection,
  methodology: methodologySection,
}

/** Riskdesk's version (package.json) and git commit (RISKDESK_COMMIT, else `git rev-parse HEAD` in a checkout). */
function appInfo(): { version: string; commit: string | null } {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  let version = 'unknown'
  try {
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown'
  } catch {
    // not packaged with its package.json: the version stays unknown, said so on the cover
  }
  let commit = process.env.RISKDESK_COMMIT ?? null
  if (commit === null && existsSync(join(dir, '.git')))
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || null
    } catch {
      commit = null
    }
  return { version, commit }
}
let cachedAppInfo: ReturnType<typeof appInfo> | null = null

/** The input files of a portfolio's report: its own imports and the market files its valuation read. */
function inputFiles(db: Db, inputs: ReportInputs): ReportModel['provenance']['inputs'] {
  const { report, portfolio } = inputs.book()
  const market = new Set(report.market.snapshots.map((s) => `${s.format}\u0000${s.file}`))
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return listImports(db, { limit: 10_000 })
    .filter((i) => i.portfolio === portfolio.name || (i.portfolio === null && market.has(`${i.format}\u0000${i.fileName}`)))
    .sort((a, b) => a.id - b.id)
    .map((i) => ({ importId: i.id, file: i.fileName, format: i.format, sha256: i.sha256, importedAt: iso(i.importedAt)!, dataAsOf: iso(i.asOf) }))
}

/**
 * @param now the clock, ms UTC (the valuation's "now" and the model's createdAt)
 * @throws PortfolioNotFoundError; ValuationAsOfError; WhatIfNotFoundError; ReportWhatIfError (the what-if section
 *   asked for without a what-if, or a what-if of another portfolio); what the stress, margin, VaR and what-if
 *   services throw (VaR's missing price history excepted: the section is left out)
 */
export async function buildReport(db: Db, pool: StressPool, request: ReportRequestParsed, now = Date.now()): Promise<ReportModel> {
  if (request.sections?.includes('whatif') && request.whatIf === undefined) throw new ReportWhatIfError('the whatif section needs a what-if: name one (--whatif NAME)')
  const wanted = new Set(request.sections ?? REPORT_SECTIONS)
  const inputs = reportInputs(db, pool, request, now)
  const { report } = inputs.book()
  const built = new Map<ReportSectionId, ReportSection>()
  // In report order, one at a time: the sections share the stress runs (each run once).
  for (const id of REPORT_SECTIONS)
    if (id !== 'cover' && wanted.has(id)) {
      const section = await BUILDERS[id](inputs)
      if (section) built.set(id, section)
    }
  const info = (cachedAppInfo ??= appInfo())
  const provenance = { riskdeskVersion: info.version, gitCommit: info.commit, runs: inputs.runs(), inputs: inputFiles(db, inputs), parameters: inputs.parameters() }
  if (wanted.has('cover')) built.set('cover', coverSection(inputs, provenance))
  const sections = REPORT_SECTIONS.flatMap((id) => (built.has(id) ? [built.get(id)!] : []))
  return {
    format: 'riskdesk-report/1',
    portfolio: report.portfolio,
    valuationTime: report.valuationTime,
    createdAt: new Date(now).toISOString(),
    provenance: { ...provenance, contentSha256: createHash('sha256').update(JSON.stringify(sections)).digest('hex') },
    sections,
  }
}

/** Thrown by getReportForPrint for an id no print in progress holds (ended, or never issued). */
export class ReportPrintNotFoundError extends Error {
  constructor(printId: string) {
    super(`no report print ${printId} in progress: print the report again`)
    this.name = 'ReportPrintNotFoundError'
  }
}

/**
 * The models exportReportPdf built, each held under a random id for the time of its print, so the printed page
 * draws the model already built (getReportForPrint) instead of building it a second time.
 */
export class ReportPrintModels {
  private readonly models = new Map<string, ReportModel>()

  hold(model: ReportModel): string {
    const id = randomUUID()
    this.models.set(id, model)
    return id
  }

  /** @throws ReportPrintNotFoundError */
  get(printId: string): ReportModel {
    const model = this.models.get(printId)
    if (!model) throw new ReportPrintNotFoundError(printId)
    return model
  }

  release(printId: string): void {
    this.models.delete(printId)
  }
}
