/**
 * The service implementation of the API contract (src/shared/api.ts), and the one dispatcher every host
 * uses: it accepts only known call names and validates each input with the call's zod schema before any
 * work is done (DESIGN.md §2).
 */
import { api, apiNames, type ApiName, type RiskdeskHandlers } from '../../shared/api'
import type { StressRequestParsed, StressResult } from '../../shared/stressApi'
import type { VarRequestParsed, VarResult } from '../../shared/varApi'
import { reportFileName, type ExportReportRequestParsed } from '../../shared/reportApi'
import { buildReport, ReportPrintModels } from './reportService'
import { findPortfolio, listPortfolios, marketSnapshots } from '../db/bookStore'
import type { Db } from '../db/database'
import { inWriteTransaction } from '../db/writeGate'

export { DatabaseBusyError } from '../db/writeGate'
import { StressPool, type StressRunOptions } from '../engine/stressPool'
import { JobRunner, type JobListener } from './jobRunner'
import { StressSlots } from './stressLimits'
import { deleteSavedSet, getSavedSet, listSavedSets, loadStressSettings, saveSet, saveStressSettings } from './scenarioService'
import { runStress, stressDrillDown } from './stressService'
import { runBacktest } from './backtestService'
import { runVar } from './varService'
import { whatIfVar } from './whatifVarService'
import { surfaceReport } from './surfaceService'
import { deletePortfolio, removeImport, removePositions, renamePortfolio } from './portfolioService'
import { greeksBucketsReport, valueBook } from './valuationService'
import { createImportApi } from './importApiService'
import { runCascade } from './cascadeService'
import { riskProfileReport } from './profileService'
import { suggestHedge } from './hedgeService'
import { addLeg, createWhatIf, deleteWhatIf, duplicateWhatIf, getWhatIf, listWhatIfs, removeLeg, renameWhatIf, resizeLeg, whatIfPositions } from './whatifService'
import { marginParamsDocument, marginReport, marginSettingsList, marginUnderStress, saveMarginSettings } from './marginService'

export interface ServiceContext {
  db: Db
  /** The process's stress pool, created on first use. */
  stressPool(): StressPool
}

export function createRiskdeskHandlers(ctx: ServiceContext): RiskdeskHandlers {
  const printModels = new ReportPrintModels()
  // A request for a worker count other than the process pool's gets a pool of its own for that run.
  const withPool = async <T>(workers: number | undefined, run: (pool: StressPool) => Promise<T>): Promise<T> => {
    if (workers === undefined || workers === ctx.stressPool().workers) return run(ctx.stressPool())
    const pool = new StressPool({ workers })
    try {
      return await run(pool)
    } finally {
      await pool.close()
    }
  }
  const stress = (input: StressRequestParsed, options: StressRunOptions = {}) => withPool(input.workers, (pool) => runStress(ctx.db, pool, input, options))
  // At most MAX_CONCURRENT_STRESS_RUNS runs at once, stress and VaR, calls and jobs together (stressLimits.ts).
  const slots = new StressSlots()
  const capped = async <T>(workers: number | undefined, run: () => Promise<T>): Promise<T> => {
    slots.take(workers)
    try {
      return await run()
    } finally {
      slots.release()
    }
  }
  // Jobs take their slot when they start and give it back at their terminal state (jobRunner.ts).
  const jobs = new JobRunner<StressRequestParsed, StressResult>({ kind: 'stress', work: stress, unitsOf: (r) => r.scenarioCount, slots })
  const runCapped = (input: StressRequestParsed) => capped(input.workers, () => stress(input))
  const varJobs = new JobRunner<VarRequestParsed, VarResult>({
    kind: 'VaR',
    work: (input, options) => withPool(input.workers, (pool) => runVar(ctx.db, pool, input, options)),
    unitsOf: (r) => r.scenarios,
    slots,
  })
  const imports = createImportApi(ctx.db, 'app')
  // Saves wait their turn at the write gate (one writer per file; waiting from timers, never in SQLite's busy loop).
  const write = <T>(work: () => T): Promise<T> => inWriteTransaction(ctx.db, work)
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
    runStress: async (input) => runCapped(input),
    startStress: async (input) => ({ jobId: jobs.start(input) }),
    getStressJob: async ({ jobId }) => jobs.status(jobId),
    cancelStress: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    stressDrillDown: async ({ request, scenario }) => stressDrillDown(ctx.db, request, scenario),
    listScenarioSets: async () => listSavedSets(ctx.db),
    getScenarioSet: async ({ name }) => getSavedSet(ctx.db, name),
    saveScenarioSet: ({ set }) => write(() => saveSet(ctx.db, set)),
    deleteScenarioSet: ({ name }) => write(() => ({ deleted: deleteSavedSet(ctx.db, name) })),
    getStressSettings: async () => loadStressSettings(ctx.db),
    saveStressSettings: (settings) => write(() => saveStressSettings(ctx.db, settings)),
    // Import (importApiService.ts)
    listFormats: async () => imports.listFormats(),
    previewImport: async (input) => imports.previewImport(input),
    importUpload: async (input) => imports.importUpload(input),
    listImports: async (input) => imports.listImports(input),
    listMappings: async () => imports.listMappings(),
    saveMapping: (input) => write(() => imports.saveMapping(input)),
    deleteMapping: (input) => write(() => imports.deleteMapping(input)),
    // Margin (marginService.ts, cascadeService.ts)
    getMargin: async (input) => marginReport(ctx.db, input),
    getMarginStress: async (input) => marginUnderStress(ctx.db, input),
    runCascade: async (input) => runCascade(ctx.db, input),
    listMarginSettings: async ({ portfolio }) => marginSettingsList(ctx.db, portfolio),
    saveMarginSettings: (input) => write(() => saveMarginSettings(ctx.db, input)),
    getMarginParams: async () => marginParamsDocument(),
    // Volatility surface (surfaceService.ts)
    getVolSurface: async ({ underlying, snapshotId }) => surfaceReport(ctx.db, underlying, snapshotId),
    // Portfolio management (portfolioService.ts)
    renamePortfolio: ({ from, to }) => write(() => renamePortfolio(ctx.db, from, to)),
    deletePortfolio: ({ name }) => write(() => deletePortfolio(ctx.db, name)),
    removePositions: (input) => write(() => removePositions(ctx.db, input)),
    removeImport: ({ importId }) => write(() => removeImport(ctx.db, importId)),
    // Value at Risk (varService.ts, backtestService.ts)
    runVar: async (input) => capped(input.workers, () => withPool(input.workers, (pool) => runVar(ctx.db, pool, input))),
    startVar: async (input) => ({ jobId: varJobs.start(input) }),
    getVarJob: async ({ jobId }) => varJobs.status(jobId),
    cancelVar: async ({ jobId }) => ({ cancelled: varJobs.cancel(jobId) }),
    runBacktest: async (input) => runBacktest(ctx.db, ctx.stressPool(), input),
    // Greeks buckets (valuationService.ts)
    getGreeksBuckets: async (input) => greeksBucketsReport(ctx.db, input),
    // What-if books (whatifService.ts): legs and books are written through the write gate
    listWhatIfs: async ({ portfolio }) => listWhatIfs(ctx.db, portfolio),
    getWhatIf: async (input) => getWhatIf(ctx.db, input),
    createWhatIf: ({ name, portfolio }) => write(() => createWhatIf(ctx.db, name, portfolio)),
    addWhatIfLeg: (input) => write(() => addLeg(ctx.db, input)),
    resizeWhatIfLeg: ({ whatIf, legId, quantity }) => write(() => resizeLeg(ctx.db, whatIf, legId, quantity)),
    removeWhatIfLeg: ({ whatIf, legId }) => write(() => removeLeg(ctx.db, whatIf, legId)),
    deleteWhatIf: ({ name }) => write(() => deleteWhatIf(ctx.db, name)),
    renameWhatIf: ({ from, to }) => write(() => renameWhatIf(ctx.db, from, to)),
    duplicateWhatIf: ({ from, to }) => write(() => duplicateWhatIf(ctx.db, from, to)),
    getWhatIfPositions: async ({ name }) => whatIfPositions(ctx.db, name),
    // VaR before / after on the pool, capped like runVar (whatifVarService.ts).
    getWhatIfVar: async (input) => capped(input.workers, () => withPool(input.workers, (pool) => whatIfVar(ctx.db, pool, input))),
    getRiskProfile: async (input) => riskProfileReport(ctx.db, input),
    // Hedge suggestion (hedgeService.ts): reads only; the CLI's --add-to-whatif adds legs through addWhatIfLeg
    suggestHedge: async (input) => suggestHedge(ctx.db, input),
    // Risk report (reportService.ts); the PDF is printed by the host's printer (setReportPrinter)
    getReport: async (input) => buildReport(ctx.db, ctx.stressPool(), input),
    getReportForPrint: async ({ printId }) => printModels.get(printId),
    exportReportPdf: async (input) => {
      const printer = reportPrinterOf.get(handlers)
      if (!printer) throw new ReportPrinterMissingError()
      const started = Date.now()
      // The model is built once, here; the printed page fetches it by the print's id (getReportForPrint).
      const model = await buildReport(ctx.db, ctx.stressPool(), input)
      const printId = printModels.hold(model)
      let printed: PrintedReport
      try {
        printed = await printer({ ...input, printId })
      } finally {
        printModels.release(printId)
      }
      return {
        fileName: reportFileName(model.portfolio, model.valuationTime),
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
/**
 * Prints the report route of a request to PDF (the web host: headless Chromium; Electron: printToPDF). The route
 * names `printId`, under which exportReportPdf holds the model it built until the print ends.
 */
export type ReportPrinter = (request: ExportReportRequestParsed & { printId: string }) => Promise<PrintedReport>

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
const stressJobsOf = new WeakMap<RiskdeskHandlers, JobRunner<StressRequestParsed, StressResult>>()

/**
 * Follows a stress job started through `api` (see JobRunner.watch): the hosts forward the events as IPC
 * events (Electron) or server-sent events (web host). Returns a function that stops them.
 * @throws Error when `api` was not made by createRiskdeskHandlers, or for an unknown (or expired) job id
 */
export function watchStressJob(api: RiskdeskHandlers, jobId: string, listener: JobListener): () => void {
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
