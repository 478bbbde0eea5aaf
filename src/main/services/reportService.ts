/**
 * buildReport: the report model (shared/reportApi.ts) of a portfolio, from the services the app and the CLI use
 * (valuation, stress, margin, cascade) through report/inputs.ts, each computed once; one function per section
 * (report/*Section.ts). A section is added to REPORT_SECTIONS in reportApi.ts and to BUILDERS here, in one place.
 *
 * Reproducible: the model records the stress runs it stored (ids), the input files (sha256 and import times from
 * the import history), the parameters, and the SHA-256 of its sections; building it again from the same database
 * gives the same sections (and hash), only `createdAt` and the new run ids differ.
 */
import { createHash } from 'node:crypto'
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
import { reportInputs, type ReportInputs } from './report/inputs'
import { marginSection } from './report/marginSection'
import { methodologySection } from './report/methodologySection'
import { positionsSection } from './report/positionsSection'
import { stressSection } from './report/stressSection'
import { summarySection } from './report/summarySection'

/** Builders of every section but the cover (built last: it lists the parameters and runs of the others). */
const BUILDERS: Record<Exclude<ReportSectionId, 'cover'>, (inputs: ReportInputs) => ReportSection | Promise<ReportSection>> = {
  summary: summarySection,
  positions: positionsSection,
  greeks: greeksSection,
  stress: stressSection,
  margin: marginSection,
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
 * @throws PortfolioNotFoundError; ValuationAsOfError; what the stress and margin services throw
 */
export async function buildReport(db: Db, pool: StressPool, request: ReportRequestParsed, now = Date.now()): Promise<ReportModel> {
  const wanted = new Set(request.sections ?? REPORT_SECTIONS)
  const inputs = reportInputs(db, pool, request, now)
  const { report } = inputs.book()
  const built = new Map<ReportSectionId, ReportSection>()
  // In report order, one at a time: the sections share the stress runs (each run once).
  for (const id of REPORT_SECTIONS) if (id !== 'cover' && wanted.has(id)) built.set(id, await BUILDERS[id](inputs))
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
