/**
 * The service implementation of the API contract (src/shared/api.ts), and the one dispatcher every host
 * uses: it accepts only known call names and validates each input with the call's zod schema before any
 * work is done (DESIGN.md §2).
 */
import { api, apiNames, type ApiName, type RiskdeskHandlers } from '../../shared/api'
import type { StressRequestParsed } from '../../shared/stressApi'
import { reportFileName, type ExportReportRequestParsed } from '../../shared/reportApi'
import { buildReport } from './reportService'
import { findPortfolio, listPortfolios, marketSnapshots } from '../db/bookStore'
import type { Db } from '../db/database'
import { StressPool, type StressRunOptions } from '../engine/stressPool'
import { StressJobs, type StressJobListener } from './stressJobs'
import { deleteSavedSet, getSavedSet, listSavedSets, loadStressSettings, saveSet, saveStressSettings } from './scenarioService'
import { runStress, stressDrillDown } from './stressService'
import { surfaceReport } from './surfaceService'
import { greeksBucketsReport, valueBook } from './valuationService'
import { createImportApi } from './importApiService'
import { runCascade } from './cascadeService'
import { marginParamsDocument, marginReport, marginSettingsList, marginUnderStress, saveMarginSettings } from './marginService'

export interface ServiceContext {
  db: Db
  /** The process's stress pool, created on first use. */
  stressPool(): StressPool
}

export function createRiskdeskHandlers(ctx: ServiceContext): RiskdeskHandlers {
  // A request for a worker count other than the process pool's gets a pool of its own for that run.
  const stress = async (input: StressRequestParsed, options: StressRunOptions = {}) => {
    if (input.workers === undefined || input.workers === ctx.stressPool().workers) return runStress(ctx.db, ctx.stressPool(), input, options)
    const pool = new StressPool({ workers: input.workers })
    try {
      return await runStress(ctx.db, pool, input, options)
    } finally {
      await pool.close()
    }
  }
  const jobs = new StressJobs(stress)
  const imports = createImportApi(ctx.db, 'app')
  const handlers: RiskdeskHandlers = {
    listPortfolios: async () =>
      listPortfolios(ctx.db).map((p) => ({
        id: p.id,
        name: p.name,
        positions: p.positions,
        lastImportAt: p.lastImportAt === null ? null : new Date(p.lastImportAt).toISOString(),
      })),
    getPositions: async (input) => valueBook(ctx.db, input).report,
    listMarketSnapshots: async ({ portfolio }) =>
      marketSnapshots(ctx.db, findPortfolio(ctx.db, portfolio).id).map((s) => ({
        id: s.id,
        venue: s.venue,
        asOf: new Date(s.asOf).toISOString(),
        file: s.fileName,
        format: s.format,
        scope: s.scope,
        importedAt: new Date(s.importedAt).toISOString(),
      })),
    runStress: async (input) => stress(input),
    startStress: async (input) => ({ jobId: jobs.start(input) }),
    getStressJob: async ({ jobId }) => jobs.status(jobId),
    cancelStress: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    stressDrillDown: async ({ request, scenario }) => stressDrillDown(ctx.db, request, scenario),
    listScenarioSets: async () => listSavedSets(ctx.db),
    getScenarioSet: async ({ name }) => getSavedSet(ctx.db, name),
    saveScenarioSet: async ({ set }) => saveSet(ctx.db, set),
    deleteScenarioSet: async ({ name }) => ({ deleted: deleteSavedSet(ctx.db, name) }),
    getStressSettings: async () => loadStressSettings(ctx.db),
    saveStressSettings: async (settings) => saveStressSettings(ctx.db, settings),
    // Import (importApiService.ts)
    listFormats: async () => imports.listFormats(),
    previewImport: async (input) => imports.previewImport(input),
    importUpload: async (input) => imports.importUpload(input),
    listImports: async (input) => imports.listImports(input),
    listMappings: async () => imports.listMappings(),
    saveMapping: async (input) => imports.saveMapping(input),
    deleteMapping: async (input) => imports.deleteMapping(input),
    // Margin (marginService.ts, cascadeService.ts)
    getMargin: async (input) => marginReport(ctx.db, input),
    getMarginStress: async (input) => marginUnderStress(ctx.db, input),
    runCascade: async (input) => runCascade(ctx.db, input),
    listMarginSettings: async ({ portfolio }) => marginSettingsList(ctx.db, portfolio),
    saveMarginSettings: async (input) => saveMarginSettings(ctx.db, input),
    getMarginParams: async () => marginParamsDocument(),
    // Volatility surface (surfaceService.ts)
    getVolSurface: async ({ underlying }) => surfaceReport(ctx.db, underlying),
    // Greeks buckets (valuationService.ts)
    getGreeksBuckets: async (input) => greeksBucketsReport(ctx.db, input),
    // Risk report (reportService.ts); the PDF is printed by the host's printer (setReportPrinter)
    getReport: async (input) => buildReport(ctx.db, ctx.stressPool(), input),
    exportReportPdf: async (input) => {
      const printer = reportPrinterOf.get(handlers)
      if (!printer) throw new ReportPrinterMissingError()
      const started = Date.now()
      const printed = await printer(input)
      return {
        fileName: reportFileName(printed.portfolio, printed.valuationTime),
        pdfBase64: Buffer.from(printed.pdf).toString('base64'),
        bytes: printed.pdf.byteLength,
        elapsedMs: Date.now() - started,
      }
    },
  }
  stressJobsOf.set(handlers, jobs)
  return handlers
}

/** What a host's report printer returns: the PDF, and the portfolio and valuation instant it printed. */
export interface PrintedReport {
  pdf: Uint8Array
  portfolio: string
  valuationTime: string | null
}
/** Prints the report route of a request to PDF (the web host: headless Chromium; Electron: printToPDF). */
export type ReportPrinter = (request: ExportReportRequestParsed) => Promise<PrintedReport>

/** Thrown by exportReportPdf when the host has no printer (the CLI's in-process API without a web host). */
export class ReportPrinterMissingError extends Error {
  constructor() {
    super('this host cannot print a PDF: use riskdesk report --out FILE.pdf, the app, or riskdesk serve')
    this.name = 'ReportPrinterMissingError'
  }
}

const reportPrinterOf = new WeakMap<RiskdeskHandlers, ReportPrinter>()

/** Gives a handler map its host's report printer (exportReportPdf uses it). */
export function setReportPrinter(api: RiskdeskHandlers, printer: ReportPrinter): void {
  reportPrinterOf.set(api, printer)
}

/** The stress jobs behind a handler map made by createRiskdeskHandlers (hosts push their progress). */
const stressJobsOf = new WeakMap<RiskdeskHandlers, StressJobs>()

/**
 * Follows a stress job started through `api` (see StressJobs.watch): the hosts forward the events as IPC
 * events (Electron) or server-sent events (web host). Returns a function that stops them.
 * @throws Error when `api` was not made by createRiskdeskHandlers, or for an unknown (or expired) job id
 */
export function watchStressJob(api: RiskdeskHandlers, jobId: string, listener: StressJobListener): () => void {
  const jobs = stressJobsOf.get(api)
  if (!jobs) throw new Error('these handlers push no stress job events (not made by createRiskdeskHandlers)')
  return jobs.watch(jobId, listener)
}

/** Thrown for an unknown call name or an input that fails its schema; `status` suits an HTTP reply. */
export class ApiRequestError extends Error {
  readonly status = 400
  constructor(message: string) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

export function isApiName(name: string): name is ApiName {
  return (apiNames as string[]).includes(name)
}

/**
 * Validates and runs one call.
 * @throws ApiRequestError for an unknown name or invalid input; otherwise whatever the call throws.
 */
export async function dispatch(impl: RiskdeskHandlers, name: string, rawInput: unknown): Promise<unknown> {
  if (!isApiName(name)) throw new ApiRequestError(`unknown call "${name}"; known: ${apiNames.join(', ')}`)
  const parsed = api[name].input.safeParse(rawInput ?? {})
  if (!parsed.success)
    throw new ApiRequestError(`invalid input for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`)
  const call = impl[name] as (input: unknown) => Promise<unknown>
  return call(parsed.data)
}
