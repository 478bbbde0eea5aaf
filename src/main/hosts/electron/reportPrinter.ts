/**
 * The desktop app's report printer (exportReportPdf): a hidden window loads the report route on app://, waits
 * until the page says it is drawn (`data-report-state` on the body, as features/report/ReportPage.tsx sets it)
 * and prints it with `webContents.printToPDF`, with the same header and footer templates as the CLI's Chromium
 * printer. Kept small on purpose: Electron's binary cannot run on the machines this is tested on, so the
 * report page itself and the Chromium printer carry the tests.
 */
import { BrowserWindow, type WebPreferences } from 'electron'
import { reportPrintTemplates, reportRouteQuery } from '../../../shared/reportApi'
import type { ReportPrinter } from '../../services/riskdeskApi'
import { APP_ORIGIN } from './security'

const TIMEOUT_MS = 120_000

export function electronReportPrinter(webPreferences: WebPreferences): ReportPrinter {
  return async (request) => {
    const win = new BrowserWindow({ show: false, width: 1100, height: 1400, webPreferences })
    try {
      await win.loadURL(`${APP_ORIGIN}/index.html${reportRouteQuery(request)}`)
      const deadline = Date.now() + TIMEOUT_MS
      let state: Record<string, string | undefined>
      for (;;) {
        state = (await win.webContents.executeJavaScript('({ ...document.body.dataset })')) as Record<string, string | undefined>
        if (state.reportState === 'ready' || state.reportState === 'error') break
        if (Date.now() > deadline) throw new Error(`the report page was not drawn within ${TIMEOUT_MS / 1000} s`)
        await new Promise((r) => setTimeout(r, 200))
      }
      if (state.reportState === 'error') throw new Error(state.reportError ?? 'the report page failed')
      const portfolio = state.reportPortfolio ?? ''
      const valuationTime = state.reportValuationTime || null
      const pdf = await win.webContents.printToPDF({
        pageSize: request.paper === 'letter' ? 'Letter' : 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        ...reportPrintTemplates(portfolio, valuationTime),
        margins: { top: 0.63, bottom: 0.55, left: 0.4, right: 0.4 },
      })
      return { pdf: new Uint8Array(pdf), portfolio, valuationTime }
    } finally {
      win.destroy()
    }
  }
}
