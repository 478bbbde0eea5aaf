/**
 * The report PDF through the API (exportReportPdf: the host prints its report route, headless Chromium in the
 * web host, printToPDF in the desktop app). A PDF is a one-off download, not cached like the reads.
 */
import type { ExportReportRequest } from '../../../shared/reportApi'
import { riskdesk } from '../platform/api'

/** @returns the PDF and its suggested file name */
export async function exportReportPdf(request: ExportReportRequest): Promise<{ fileName: string; blob: Blob }> {
  const r = await riskdesk.exportReportPdf(request)
  const bytes = Uint8Array.from(atob(r.pdfBase64), (c) => c.charCodeAt(0))
  return { fileName: r.fileName, blob: new Blob([bytes], { type: 'application/pdf' }) }
}
