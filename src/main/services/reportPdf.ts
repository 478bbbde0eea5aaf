/**
 * Prints the renderer's report route to PDF with headless Chromium through playwright-core (Debian's chromium
 * by default; `CHROMIUM_PATH` or the caller's path elsewhere): loads the page, waits until it says it is drawn
 * (`body[data-report-state="ready"]`, set by features/report/ReportPage.tsx once the model is shown and every
 * chart is drawn), then `page.pdf` on A4 or US Letter with the header (portfolio, valuation instant) and footer
 * (page X of N) on every page (shared/reportApi.ts `reportPrintTemplates`).
 */
import type { Browser } from 'playwright-core'
import { reportPrintTemplates, type PaperSize } from '../../shared/reportApi'
import type { PrintedReport } from './riskdeskApi'

/** Chromium used when no path is given: CHROMIUM_PATH, else Debian's package path. */
export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const DEFAULT_TIMEOUT_MS = 300_000

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
  /** Longest wait for the page to be drawn, ms (default 300 s: a loaded 2-core machine draws the WebGL surface slowly). */
  timeoutMs?: number
}

/** Switches Riskdesk launches Chromium with (the tests' browsers add theirs: test/support/chromium.ts). */
export const CHROMIUM_LAUNCH_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGL (the 3-D surface) through SwiftShader: Chrome ≥ 144 no longer falls back to it on its own.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
]

/**
 * A Chromium kept for the prints of one host (the web host's exportReportPdf): launched on the first print,
 * one fresh browser context per print, closed with the host (or launched again if it went away).
 */
export class ReportPrinterSession {
  private browser: Promise<Browser> | null = null

  constructor(private readonly chromiumPath: string = DEFAULT_CHROMIUM) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // Loaded here: only printing needs playwright (riskdesk serve starts without it).
      const launching = import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: this.chromiumPath, args: [...CHROMIUM_LAUNCH_ARGS] }))
      this.browser = launching
      launching.then(
        (b) => b.on('disconnected', () => {
          if (this.browser === launching) this.browser = null
        }),
        () => {
          if (this.browser === launching) this.browser = null
        },
      )
    }
    return this.browser
  }

  /** @throws ReportPrintError; playwright's launch error when Chromium cannot start (its message names the path) */
  async print(options: Omit<PrintOptions, 'chromiumPath'>): Promise<PrintedReport> {
    const browser = await this.launch()
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } })
    try {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(options.url)
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
      const state = page.locator('body[data-report-state="ready"], body[data-report-state="error"]')
      try {
        await state.waitFor({ state: 'attached', timeout: timeoutMs })
      } catch {
        throw new ReportPrintError(`the report page was not drawn within ${Math.round(timeoutMs / 1000)} s${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`)
      }
      const body = page.locator('body')
      const reportState = await body.getAttribute('data-report-state')
      if (reportState === 'error') throw new ReportPrintError((await body.getAttribute('data-report-error')) ?? 'the report page failed')
      const portfolio = (await body.getAttribute('data-report-portfolio')) ?? ''
      const valuationTime = (await body.getAttribute('data-report-valuation-time')) || null
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
      await context.close()
    }
  }

  async close(): Promise<void> {
    const b = await this.browser?.catch(() => null)
    this.browser = null
    await b?.close()
  }
}

/** One print with a Chromium of its own. @throws as ReportPrinterSession.print */
export async function printReportPdf(options: PrintOptions): Promise<PrintedReport> {
  const session = new ReportPrinterSession(options.chromiumPath)
  try {
    return await session.print(options)
  } finally {
    await session.close()
  }
}
