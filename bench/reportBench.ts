/**
 * Report benchmark (issue 15): a 200-position portfolio (options of the real 2020-05-14 chain in four accounts,
 * stressBench.ts `whatIfDatabase`) with every section:
 *  1. the report model (getReport: valuation, four stress runs, margin, margin under SPAN-16, cascade);
 *  2. the PDF as `riskdesk report --out` and the app's Export PDF… make it: the web host on 127.0.0.1 serving
 *     the built renderer (npm run build first), exportReportPdf printing the report route in headless Chromium.
 * Beside them, from the same process, one default stress grid run (the reference unit of work).
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWebHost } from '../src/main/hosts/web/webHost'
import { StressPool } from '../src/main/engine/stressPool'
import { createRiskdeskHandlers, dispatch } from '../src/main/services/riskdeskApi'
import type { ExportedReport, ReportModel } from '../src/shared/reportApi'
import { whatIfDatabase } from './stressBench'

const RENDERER = join(fileURLToPath(new URL('..', import.meta.url)), 'out', 'renderer')
const RUNS = 3

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await f()
  return { ms: performance.now() - t0, value }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export default {
  description: 'the risk report of a 200-position portfolio, all sections: model and PDF',
  async run() {
    const { db, positions } = whatIfDatabase()
    let pool: StressPool | null = null
    const stressPool = () => (pool ??= new StressPool())
    const api = createRiskdeskHandlers({ db, stressPool })
    const host = await startWebHost({ api, rendererDir: RENDERER })
    try {
      await dispatch(api, 'runStress', { portfolio: 'whatif' }) // warm-up: workers, JIT
      const grid = await timed(() => dispatch(api, 'runStress', { portfolio: 'whatif' }))
      const model: number[] = []
      const pdf: number[] = []
      let last: { model: ReportModel; pdf: ExportedReport } | null = null
      for (let i = 0; i < RUNS; i++) {
        const m = await timed(() => dispatch(api, 'getReport', { portfolio: 'whatif' }) as Promise<ReportModel>)
        const p = await timed(() => dispatch(api, 'exportReportPdf', { portfolio: 'whatif' }) as Promise<ExportedReport>)
        model.push(m.ms)
        pdf.push(p.ms)
        last = { model: m.value, pdf: p.value }
      }
      console.log(`${positions} positions, sections ${last!.model.sections.map((s) => s.id).join(', ')}; PDF ${last!.pdf.bytes.toLocaleString('en-US')} bytes`)
      console.log(`reference: one default stress grid (189 scenarios) ${grid.ms.toFixed(0)} ms`)
      console.log(`report model (getReport)        median ${median(model).toFixed(0)} ms of ${RUNS} (${model.map((x) => x.toFixed(0)).join(', ')})`)
      console.log(`PDF (exportReportPdf, Chromium)  median ${median(pdf).toFixed(0)} ms of ${RUNS} (${pdf.map((x) => x.toFixed(0)).join(', ')}): builds the model again in the page, draws, prints`)
    } finally {
      await host.close()
      await (pool as StressPool | null)?.close()
      db.close()
    }
  },
}
