/**
 * API schemas of the risk report (issue 15): the report model a service builds in main — pure data, every
 * figure with its unit, tables, Plotly chart specs — and the PDF export. The renderer's report route draws the
 * model; the CLI (headless Chromium) and the desktop app (Electron printToPDF) print that page.
 *
 * A report is a list of sections; a section is one typed entry (`reportSection`) made of blocks (figures,
 * tables, heatmaps, charts, notes), each built by one function in services/report/. A section whose data does
 * not exist is left out, never filled with a placeholder.
 *
 * Numbers: cells hold the API's own values (float64 numbers at full precision, decimal strings for margin
 * money, ISO-8601 UTC times); a numeric column's `digits` is how many decimals the page shows (shared/format.ts
 * `fmt`, the CLI's rounding), so a figure reads the same in the PDF, the CLI's tables and `--json` rounded alike.
 */
import { z } from 'zod'
import { valuationAsOf } from './valuationAsOf'

export const REPORT_SECTIONS = ['cover', 'summary', 'positions', 'greeks', 'stress', 'margin', 'var', 'whatif', 'methodology'] as const
export const reportSectionId = z.enum(REPORT_SECTIONS)
export type ReportSectionId = z.infer<typeof reportSectionId>
export const REPORT_SECTION_TITLES: Record<ReportSectionId, string> = {
  cover: 'Risk report',
  summary: 'Summary',
  positions: 'Positions',
  greeks: 'Greeks by expiry and tenor',
  stress: 'Stress',
  margin: 'Margin and liquidation',
  var: 'Value at Risk and Expected Shortfall',
  whatif: 'What-if comparison',
  methodology: 'Methodology',
}

export const PAPER_SIZES = ['a4', 'letter'] as const
export const paperSize = z.enum(PAPER_SIZES)
export type PaperSize = z.infer<typeof paperSize>

export const reportRequest = z.object({
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  asOf: valuationAsOf.optional(),
  /** Sections to build, in report order whatever the order given; default all (`whatif` only with `whatIf`). */
  sections: z.array(reportSectionId).min(1).optional(),
  /** A what-if book of the portfolio: adds the what-if comparison section (its legs, before/after/change). */
  whatIf: z.string().trim().min(1).max(100).optional(),
})
export type ReportRequest = z.input<typeof reportRequest>
export type ReportRequestParsed = z.infer<typeof reportRequest>

/** A table cell: a number, a text (decimal strings, ISO times, names) or empty. */
export const reportCell = z.union([z.number(), z.string(), z.null()])
export type ReportCell = z.infer<typeof reportCell>

export const reportColumn = z.object({
  key: z.string(),
  label: z.string(),
  /** Unit shown in the header (`USD`, `coin/USD`, `%`…); null for names and texts. */
  unit: z.string().nullable(),
  /** Decimals shown for numbers (fmt); null = texts, shown as given. */
  digits: z.number().int().min(0).max(12).nullable(),
  /** Numbers are relative (0.05) and shown as percent with `digits` decimals. */
  percent: z.boolean().optional(),
})
export type ReportColumn = z.infer<typeof reportColumn>

export const reportFigure = z.object({
  label: z.string(),
  value: reportCell,
  unit: z.string().nullable(),
  digits: z.number().int().min(0).max(12).nullable(),
  percent: z.boolean().optional(),
  /** What the figure is, where from (one short line). */
  note: z.string().nullable(),
})
export type ReportFigure = z.infer<typeof reportFigure>

export const reportBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('figures'), id: z.string(), title: z.string(), items: z.array(reportFigure) }),
  z.object({
    kind: z.literal('table'),
    id: z.string(),
    title: z.string(),
    columns: z.array(reportColumn),
    rows: z.array(z.record(z.string(), reportCell)),
    /** Indices of rows that are totals (drawn bold). */
    totalRows: z.array(z.number().int()),
    note: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('heatmap'),
    id: z.string(),
    title: z.string(),
    /** Rows: relative spot shocks; columns: vol shocks in vol points; values[row][column] in `unit`. */
    spotShocks: z.array(z.number()),
    volShocks: z.array(z.number()),
    values: z.array(z.array(z.number())),
    unit: z.string(),
    digits: z.number().int(),
  }),
  z.object({
    kind: z.literal('chart'),
    id: z.string(),
    title: z.string(),
    /** Plotly figure: traces and layout as Plotly.react takes them (shared/stressCharts.ts). */
    data: z.array(z.record(z.string(), z.unknown())),
    layout: z.record(z.string(), z.unknown()),
    /** gl: drawn with WebGL (raster in print); svg: vector. */
    render: z.enum(['gl', 'svg']),
  }),
  z.object({ kind: z.literal('notes'), id: z.string(), title: z.string(), items: z.array(z.string()) }),
])
export type ReportBlock = z.infer<typeof reportBlock>

export const reportSection = z.object({
  id: reportSectionId,
  title: z.string(),
  /** Valuation instant the section's figures are at, ISO-8601 UTC. */
  asOf: z.string().nullable(),
  /** The market snapshot in one line (files and index prices). */
  market: z.string(),
  blocks: z.array(reportBlock),
})
export type ReportSection = z.infer<typeof reportSection>

export const reportModel = z.object({
  format: z.literal('riskdesk-report/1'),
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  /** When the model was built, ISO-8601 UTC (the one field that changes between two builds from one database). */
  createdAt: z.string(),
  provenance: z.object({
    riskdeskVersion: z.string(),
    /** Git commit of the running code when it runs from a checkout (or RISKDESK_COMMIT); null otherwise. */
    gitCommit: z.string().nullable(),
    /** Stored runs the figures come from (stress runs in the stress_runs table). */
    runs: z.array(z.object({ kind: z.string(), id: z.number().int(), set: z.string() })),
    /** Input files: every import of the portfolio and the market files its valuation read. */
    inputs: z.array(z.object({ importId: z.number().int(), file: z.string(), format: z.string(), sha256: z.string(), importedAt: z.string(), dataAsOf: z.string().nullable() })),
    /** The parameters the report was built with (request, scenario sets, margin and cascade settings). */
    parameters: z.record(z.string(), z.unknown()),
    /** SHA-256 of the sections (JSON): equal for two builds from the same database and parameters. */
    contentSha256: z.string(),
  }),
  sections: z.array(reportSection),
})
export type ReportModel = z.infer<typeof reportModel>

export const exportReportRequest = reportRequest.extend({ paper: paperSize.default('a4') })
export type ExportReportRequest = z.input<typeof exportReportRequest>
export type ExportReportRequestParsed = z.infer<typeof exportReportRequest>
export const exportedReport = z.object({
  /** Suggested file name (reportFileName). */
  fileName: z.string(),
  /** The PDF, base64. */
  pdfBase64: z.string(),
  bytes: z.number().int(),
  elapsedMs: z.number(),
})
export type ExportedReport = z.infer<typeof exportedReport>

/** The id under which a host holds the model it built for one print (exportReportPdf), until the print ends. */
export const reportPrintId = z.object({ printId: z.string().uuid() })

export const reportCalls = {
  getReport: { input: reportRequest, output: reportModel },
  /** The model exportReportPdf built for the print in progress (the printed page draws it, no second build). */
  getReportForPrint: { input: reportPrintId, output: reportModel },
  exportReportPdf: { input: exportReportRequest, output: exportedReport },
} as const

/**
 * A file name for a portfolio's report: `riskdesk-report-<portfolio>-<YYYY-MM-DD>.pdf`, the portfolio name
 * reduced to letters, digits, `.`, `_` and `-` (path separators, `..`, control and other characters become
 * `_`), so it can never name a path outside the folder it is joined to.
 */
export function reportFileName(portfolio: string, valuationTime: string | null): string {
  const name = portfolio.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.{2,}/g, '_').replace(/^[.-]+/, '_').slice(0, 80) || 'portfolio'
  const date = valuationTime && /^\d{4}-\d{2}-\d{2}/.test(valuationTime) ? valuationTime.slice(0, 10) : 'undated'
  return `riskdesk-report-${name}-${date}.pdf`
}

/**
 * The query string of the renderer's report route (`?view=report&…`), read back by `parseReportRoute`. With a
 * `printId` the page draws the model the host built for that print (getReportForPrint) and the other fields
 * only name it; without, the page builds the model from them (getReport).
 */
export function reportRouteQuery(r: { portfolio?: string; asOf?: string; sections?: readonly ReportSectionId[]; whatIf?: string; paper?: PaperSize; printId?: string }): string {
  const q = new URLSearchParams({ view: 'report' })
  if (r.printId !== undefined) q.set('print', r.printId)
  if (r.portfolio !== undefined) q.set('portfolio', r.portfolio)
  if (r.whatIf !== undefined) q.set('whatif', r.whatIf)
  if (r.asOf !== undefined) q.set('asOf', r.asOf)
  if (r.sections !== undefined) q.set('sections', r.sections.join(','))
  q.set('paper', r.paper ?? 'a4')
  return `?${q.toString()}`
}

/** The report route's request from a query string; null when the page is not the report route. */
export function parseReportRoute(search: string): { request: ReportRequest; paper: PaperSize; printId: string | null } | null {
  const q = new URLSearchParams(search)
  if (q.get('view') !== 'report') return null
  const sections = q.get('sections')?.split(',').filter((s): s is ReportSectionId => (REPORT_SECTIONS as readonly string[]).includes(s))
  const paper = q.get('paper') === 'letter' ? 'letter' : 'a4'
  const request = { portfolio: q.get('portfolio') ?? undefined, asOf: q.get('asOf') ?? undefined, sections: sections && sections.length > 0 ? sections : undefined, whatIf: q.get('whatif') ?? undefined }
  return { request, paper, printId: q.get('print') }
}

/** Escapes text for HTML (the print header and footer templates). */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The header and footer Chromium prints on every page (Playwright `page.pdf` and Electron `printToPDF` take the
 * same templates): portfolio and valuation instant in the header; page X of N in the footer.
 */
export function reportPrintTemplates(portfolio: string, valuationTime: string | null): { headerTemplate: string; footerTemplate: string } {
  const style = 'font-family: sans-serif; font-size: 8px; color: #444; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;'
  return {
    headerTemplate: `<div style="${style}"><span>Riskdesk risk report · portfolio ${escapeHtml(portfolio)}</span><span>valued at ${escapeHtml(valuationTime ?? '—')}</span></div>`,
    footerTemplate: `<div style="${style}"><span>${escapeHtml(portfolio)} · ${escapeHtml(valuationTime ?? '—')}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  }
}
