/**
 * The report route (`?view=report&portfolio=…&sections=…&paper=a4|letter`, or `?view=report&print=ID&…` for the
 * model a host built for a print in progress): the report model drawn for print.
 * Headless Chromium (CLI, web host) and Electron's printToPDF print this page; the header and footer of every
 * page come from the printer's templates (reportPrintTemplates), the page size from `paper`.
 *
 * When the model is shown and every chart has drawn, the body says so for the printer:
 * `data-report-state="ready"` with `data-report-portfolio` and `data-report-valuation-time` (or
 * `data-report-state="error"` and `data-report-error`).
 */
import { useEffect, useMemo, useState } from 'react'
import type { PaperSize, ReportModel, ReportRequest } from '../../../../shared/reportApi'
import { loadPlotly } from '../../components/PlotlyChart'
import { useApiQuery } from '../../data/useApi'
import { ReportBlockView } from './ReportBlocks'
import './report.css'

function setBodyState(state: Record<string, string | null>) {
  for (const [k, v] of Object.entries(state)) {
    if (v === null) delete document.body.dataset[k]
    else document.body.dataset[k] = v
  }
}

/** How to reproduce the report: when and by what it was built, the stored runs, the content hash. */
function Provenance({ model }: { model: ReportModel }) {
  const p = model.provenance
  return (
    <p className="report-provenance" data-testid="report-provenance">
      Built {model.createdAt} by Riskdesk {p.riskdeskVersion}
      {p.gitCommit ? ` (commit ${p.gitCommit})` : ''}
      {p.runs.length > 0 ? ` · stored runs: ${p.runs.map((r) => `${r.kind} #${r.id} (${r.set})`).join(', ')}` : ''} · content SHA-256 {p.contentSha256} (equal for
      every build from the same database and parameters)
    </p>
  )
}

export function ReportPage({ request, paper, printId = null }: { request: ReportRequest; paper: PaperSize; printId?: string | null }) {
  // A print in progress hands the page the model it built (one build per print); else the page asks for one.
  const held = useApiQuery('getReportForPrint', printId === null ? undefined : { printId })
  const built = useApiQuery('getReport', printId === null ? request : undefined)
  const report = printId === null ? built : held
  const model = report.data
  const charts = useMemo(() => model?.sections.flatMap((s) => s.blocks.filter((b) => b.kind === 'chart')).length ?? 0, [model])
  // Plotly's chunk (the largest part of the page's work) loads while the model comes when the sections asked for
  // may hold charts (stress, VaR), else once the model shows one; a report without charts never loads it.
  const mayChart = request.sections === undefined || request.sections.some((s) => s === 'stress' || s === 'var')
  useEffect(() => {
    if (mayChart || charts > 0) void loadPlotly().catch(() => undefined)
  }, [mayChart, charts])
  const [chartsDone, setChartsDone] = useState(0)
  const [chartError, setChartError] = useState<string | null>(null)

  useEffect(() => {
    if (report.error) setBodyState({ reportState: 'error', reportError: report.error.message })
    else if (chartError) setBodyState({ reportState: 'error', reportError: `a chart failed: ${chartError}` })
    else if (model && chartsDone >= charts)
      setBodyState({ reportState: 'ready', reportPortfolio: model.portfolio, reportValuationTime: model.valuationTime ?? '' })
    else setBodyState({ reportState: 'loading' })
  }, [report.error, model, charts, chartsDone, chartError])

  const onChartDone = (error?: string) => {
    if (error) setChartError(error)
    setChartsDone((n) => n + 1)
  }

  if (report.error) return <p className="error">The report could not be built: {report.error.message}</p>
  if (!model) return <p className="busy">building the report…</p>
  return (
    <div className={`report paper-${paper}`} data-testid="report">
      <style>{`@page { size: ${paper === 'letter' ? 'letter' : 'A4'}; }`}</style>
      {model.sections.map((s) => (
        <section key={s.id} className={`report-section section-${s.id}`} data-section={s.id}>
          <h2>{s.title}</h2>
          <p className="report-asof">
            Valued at {s.asOf ?? '—'} · market: {s.market}
          </p>
          {s.blocks.map((b) => (
            <ReportBlockView key={b.id} block={b} onChartDone={onChartDone} />
          ))}
          {s.id === 'cover' && <Provenance model={model} />}
        </section>
      ))}
      {model.sections[0]?.id !== 'cover' && <Provenance model={model} />}
    </div>
  )
}
