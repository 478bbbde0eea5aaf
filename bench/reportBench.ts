/**
 * Report benchmark (issue 15): a 200-position portfolio (options of the real 2020-05-14 chain in four accounts,
 * stressBench.ts `whatIfDatabase`) with the real BTC daily closes (for VaR/ES and its backtest) and a two-leg
 * what-if, every section:
 *  1. the report model (getReport: valuation, four stress runs, margin, margin under SPAN-16, cascade, VaR with
 *     its 730-day backtest, the what-if before/after);
 *  2. the PDF as `riskdesk report --out` and the app's Export PDF… make it: the web host on 127.0.0.1 serving
 *     the built renderer (npm run build first), exportReportPdf building the model once and printing the report
 *     route in headless Chromium (one Chromium for the host's prints, as the web host keeps it).
 * Beside them, from the same process, one default stress grid run (the reference unit of work).
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWebHost } from '../src/main/hosts/web/webHost'
import { StressPool } from '../src/main/engine/stressPool'
import { createRiskdeskHandlers, dispatch } from '../src/main/services/riskdeskApi'
import { importFile } from '../src/main/services/importService'
import type { ExportedReport, ReportModel } from '../src/shared/reportApi'
import { whatIfDatabase } from './stressBench'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RENDERER = join(ROOT, 'out', 'renderer')
/** The real BTC/USD daily closes (../shared/data/real/SOURCES.md), the file the VaR tests import. */
const BTC_DAILY = join(ROOT, '..', 'shared', 'data', 'real', 'market', 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv')
const RUNS = 3

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await f()
  return { ms: performance.now() - t0, value }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export default {
  description: 'the risk report of a 200-position portfolio, all sections (VaR and a what-if included): model and PDF',
  async run() {
    const { db, positions } = whatIfDatabase()
    importFile(db, BTC_DAILY, { underlying: 'BTC' })
    let pool: StressPool | null = null
    const stressPool = () => (pool ??= new StressPool())
    const api = createRiskdeskHandlers({ db, stressPool })
    await dispatch(api, 'createWhatIf', { name: 'bench', portfolio: 'whatif' })
    await dispatch(api, 'addWhatIfLeg', { whatIf: 'bench', instrument: 'BTC-26JUN20-8000-P', quantity: '20', account: 'acct0' })
    await dispatch(api, 'addWhatIfLeg', { whatIf: 'bench', instrument: 'BTC-25SEP20-12000-C', quantity: '-10', account: 'acct1' })
    const request = { portfolio: 'whatif', whatIf: 'bench' }
    const host = await startWebHost({ api, rendererDir: RENDERER })
    try {
      await dispatch(api, 'runStress', { portfolio: 'whatif' }) // warm-up: workers, JIT
      const grid = await timed(() => dispatch(api, 'runStress', { portfolio: 'whatif' }))
      const model: number[] = []
      const pdf: number[] = []
      let last: { model: ReportModel; pdf: ExportedReport } | null = null
      for (let i = 0; i < RUNS; i++) {
        const m = await timed(() => dispatch(api, 'getReport', request) as Promise<ReportModel>)
        const p = await timed(() => dispatch(api, 'exportReportPdf', request) as Promise<ExportedReport>)
        model.push(m.ms)
        pdf.push(p.ms)
        last = { model: m.value, pdf: p.value }
      }
      console.log(`${positions} positions, sections ${last!.model.sections.map((s) => s.id).join(', ')}; PDF ${last!.pdf.bytes.toLocaleString('en-US')} bytes`)
      console.log(`reference: one default stress grid (189 scenarios) ${grid.ms.toFixed(0)} ms`)
      console.log(`report model (getReport)        median ${median(model).toFixed(0)} ms of ${RUNS} (${model.map((x) => x.toFixed(0)).join(', ')})`)
      console.log(`PDF (exportReportPdf, Chromium)  median ${median(pdf).toFixed(0)} ms of ${RUNS} (${pdf.map((x) => x.toFixed(0)).join(', ')}): model once, page load, charts as SVG, print`)
    } finally {
      await host.close()
      await (pool as StressPool | null)?.close()
      db.close()
    }
  },
}
