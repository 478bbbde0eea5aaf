/**
 * Prints the renderer's report route to PDF with headless Chromium through playwright-core (Debian's chromium
 * by default; `CHROMIUM_PATH` or the caller's path elsewhere): loads the page, waits until it says it is drawn
 * (`body[data-report-state="ready"]`, set by features/report/ReportPage.tsx once the model is shown and every
 * chart is drawn), then `page.pdf` on A4 or US Letter with the header (portfolio, valuation instant) and footer
 * (page X of N) on every page (shared/reportApi.ts `reportPrintTemplates`).
 */
import { reportPrintTemplates, type PaperSize } from '../../shared/reportApi'
import type { PrintedReport } from './riskdeskApi'

/** Chromium used when no path is given: CHROMIUM_PATH, else Debian's package path. */
export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Page margins: room for the header and footer templates. */
const MARGIN = { top: '16mm', bottom: '14mm', left: '10mm', right: '10mm' }

/** Thrown when the report page fails (its error message) or is not drawn in time. */
export class ReportPrintError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReportPrintError'
  }
}

export interface PrintOptions {
  /** Full URL of the report route, token included. */
  url: string
  paper: PaperSize
  chromiumPath?: string
  /** Longest wait for the page to be drawn, ms (default 120 s). */
  timeoutMs?: number
}

/** @throws ReportPrintError; playwright's launch error when Chromium cannot start (its message names the path) */
export async function printReportPdf(options: PrintOptions): Promise<PrintedReport> {
  // Loaded here: only printing needs it (riskdesk serve starts without it).
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? DEFAULT_CHROMIUM,
    // WebGL (the 3-D surface) through SwiftShader: Chrome ≥ 144 no longer falls back to it on its own.
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(options.url)
    const state = page.locator('body[data-report-state="ready"], body[data-report-state="error"]')
    try {
      await state.waitFor({ state: 'attached', timeout: options.timeoutMs ?? 120_000 })
    } catch {
      throw new ReportPrintError(`the report page was not drawn within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`)
    }
    const body = page.locator('body')
    const data = {
      reportState: await body.getAttribute('data-report-state'),
      reportError: await body.getAttribute('data-report-error'),
      reportPortfolio: await body.getAttribute('data-report-portfolio'),
      reportValuationTime: await body.getAttribute('data-report-valuation-time'),
    }
    if (data.reportState === 'error') throw new ReportPrintError(data.reportError ?? 'the report page failed')
    const portfolio = data.reportPortfolio ?? ''
    const valuationTime = data.reportValuationTime || null
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({
      format: options.paper === 'letter' ? 'Letter' : 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      ...reportPrintTemplates(portfolio, valuationTime),
      margin: MARGIN,
    })
    return { pdf: new Uint8Array(pdf), portfolio, valuationTime }
  } finally {
    await browser.close()
  }
}
